"""The shared caches (ui.data): results are shared by everyone of one visibility class and never reach
another class — a director's people are never served to another director, a head's list with every
institution's names is never served to a director."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from auth import identity
from tests.pages import handmade
from tests.pages.conftest import APP
from ui import data
from ui.views import tables as views
from warehouse import queries
from warehouse.db import file_version

HEAD = identity.User(login="head", role="head")
DIRECTOR_S1 = identity.User(login="dir-s1", role="director", inst_id="S1")
DIRECTOR_S1_DEPUTY = identity.User(login="dir-s1-deputy", role="director", inst_id="S1")
DIRECTOR_S3 = identity.User(login="dir-s3", role="director", inst_id="S3")
SCOPE = queries.Scope(handmade.P_NEW)
# the hand-made warehouse's training list (tests/pages/handmade.py): two people of S1, one of S3
S1_TRAINING = [("S1", "Иванова Анна Петровна"), ("S1", "Сидорова Ольга Ивановна")]
S3_TRAINING = [("S3", "Волков Андрей Андреевич")]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Empty caches, and the logins the due-list query actually ran for (a cache hit runs nothing)."""
    calls: list[str] = []
    query = queries.QUERIES["staff_due_list"]

    def counting(db_path: str, user: identity.User, *args: object, **kwargs: object) -> pd.DataFrame:
        calls.append(user.login)
        return query(db_path, user, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setitem(queries.QUERIES, "staff_due_list", counting)
    st.cache_data.clear()
    yield calls
    st.cache_data.clear()
    queries.close_all()


def _due(db: Path, user: identity.User) -> list[tuple[str, str]]:
    rows = data.cached_call(queries.staff_due_list, str(db), file_version(db), user, SCOPE, "training")
    return sorted(zip(rows["inst_id"], rows["full_name"], strict=True))


def test_the_visibility_class_is_the_role_and_a_directors_institution_never_the_login() -> None:
    assert data.visibility(DIRECTOR_S1) == data.visibility(DIRECTOR_S1_DEPUTY)
    assert data.visibility(DIRECTOR_S1) == identity.User("class:director:S1", "director", "S1")
    assert data.visibility(DIRECTOR_S1) != data.visibility(DIRECTOR_S3)
    assert data.visibility(HEAD) == identity.User("class:head", "head")
    assert data.visibility(identity.User("h2", "head", inst_id="S1")) == data.visibility(HEAD)
    assert data.visibility(HEAD) != data.visibility(identity.User("m", "methodist"))


def test_a_directors_cached_due_list_is_never_served_to_another_director(
    handmade_db: Path, counted: list[str]
) -> None:
    assert _due(handmade_db, DIRECTOR_S1) == S1_TRAINING
    assert _due(handmade_db, DIRECTOR_S3) == S3_TRAINING
    # a second director of S1 shares the first one's result: the query ran once per institution
    assert _due(handmade_db, DIRECTOR_S1_DEPUTY) == S1_TRAINING
    assert counted == ["class:director:S1", "class:director:S3"]


def test_a_heads_list_with_names_is_never_served_to_a_director(handmade_db: Path, counted: list[str]) -> None:
    assert _due(handmade_db, HEAD) == sorted(S1_TRAINING + S3_TRAINING)
    assert _due(handmade_db, DIRECTOR_S1) == S1_TRAINING
    # another head reads the first head's result; the director had a query of their own
    assert _due(handmade_db, identity.User(login="head-2", role="head")) == sorted(S1_TRAINING + S3_TRAINING)
    assert counted == ["class:head", "class:director:S1"]


def test_a_shaped_table_is_cached_per_class(
    handmade_db: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shaped: list[int] = []
    due_table = views.due_table

    def counting(rows: pd.DataFrame, kind: str) -> views.Table:
        shaped.append(len(rows))
        return due_table(rows, kind)

    monkeypatch.setattr(views, "due_table", counting)
    counting.__module__, counting.__name__ = "ui.views.tables", "due_table"
    version = file_version(handmade_db)
    rows = queries.staff_due_list(str(handmade_db), HEAD, SCOPE, "training")
    first = data.cached_view(counting, version, HEAD, rows, "training")
    again = data.cached_view(counting, version, identity.User("head-2", "head"), rows, "training")
    data.cached_view(counting, version, DIRECTOR_S1, rows, "training")
    assert shaped == [3, 3]  # the second head got the first one's table; the director's class shaped its own
    assert first.frame.equals(again.frame)
    with pytest.raises(KeyError):
        data.cached_view(len, version, HEAD, rows)  # only the shaping functions of ui/views


def _names_on_staff_page(db: Path, user: identity.User, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    monkeypatch.setenv("IMC_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["imc_user"] = user
    at.run()
    at.switch_page("pages/staff.py")
    at.run()
    assert not at.exception
    names: set[str] = set()
    for frame in at.dataframe:
        value = frame.value
        if "ФИО" in value.columns:
            names.update(value["ФИО"])
    return names


def test_the_staff_page_of_a_director_after_a_head_shows_only_their_own_people(
    handmade_db: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Волков Андрей Андреевич" in _names_on_staff_page(handmade_db, HEAD, monkeypatch)
    names = _names_on_staff_page(handmade_db, DIRECTOR_S1, monkeypatch)
    assert names == {"Иванова Анна Петровна", "Сидорова Ольга Ивановна"}


def _context(db: Path, user: identity.User) -> data.Context:
    return data.Context(str(db), file_version(db), user, queries.warehouse_state(str(db), user))


def test_a_ref_names_the_class_so_a_view_of_a_heads_rows_never_reaches_a_director(
    handmade_db: Path, counted: list[str]
) -> None:
    head, director = _context(handmade_db, HEAD), _context(handmade_db, DIRECTOR_S1)
    head_rows = head.ref(queries.staff_due_list, SCOPE, "training")
    director_rows = director.ref(queries.staff_due_list, SCOPE, "training")
    assert head_rows != director_rows  # same query and arguments, another class: another key
    assert director_rows.visible_to == data.visibility(DIRECTOR_S1)
    assert director_rows == _context(handmade_db, DIRECTOR_S1_DEPUTY).ref(
        queries.staff_due_list, SCOPE, "training"
    )
    everyone = head.view(views.due_table, head_rows, "training")
    own = director.view(views.due_table, director_rows, "training")
    assert sorted(everyone.frame["ФИО"]) == sorted(name for _, name in S1_TRAINING + S3_TRAINING)
    assert sorted(own.frame["ФИО"]) == [name for _, name in S1_TRAINING]
    assert counted == ["class:head", "class:director:S1"]
    with pytest.raises(KeyError):
        director.later(len, director_rows)  # a Ref computes only query and view functions

"""Every page of the app shows on a DuckLake what it shows on a DuckDB file built from the same inputs.

Pairs of warehouses, each built once per session: the hand-made one (tests/pages/handmade.py, written by
the same `handmade.build` to a file, to a SQLite-catalog lake and to a PostgreSQL-catalog lake) and the city
demo (`python -m etl demo` with `--db` a file, tests/conftest.py `demo_db`, and with `--db ducklake:sqlite:…`).
A page is run with AppTest on both, signed in as each role that sees something different there (HANDMADE_RUNS,
DEMO_RUNS; on the PostgreSQL lake every page as an administrator), with and without filters in the address,
and what the user sees is reduced to a digest: the element tree of the main area and the sidebar in order,
each element's type and the fields of its message (texts, labels, help, metric values and deltas, widgets'
options and values), a table's DataFrame (`.value`) and a chart's figure (its data and layout). The two
digests must be equal, floats to 1e-9 (a sum computed in another order differs in the last bit:
60.44881747208227 against …276, in a metric's sparkline and in plotly's typed arrays, which are decoded for
that).

What differs between two builds or two runs is normalised by these rules, nothing else:

- `deferredFileId` of a download button is a new random id at every run (the same page on the same file
  twice differs in it): dropped, with the `id` of every element (a hash of its key and parameters, which
  are compared themselves);
- the columns «Загружен» and «Дата и время» of «Качество данных» (quarantine, load log) hold the minute each
  file was loaded: a value `02.12.2026 13:39` there becomes LOAD_TIME;
- an administrator on a lake has «Отменить загрузку» on «Качество данных» (DuckLake keeps every load as a
  snapshot, tests/lake/test_lake_page.py): the expander and what is in it leave the lake's digest once its
  presence there and its absence on the file are checked.

The readers a lake run opens are closed after the module (queries, read and lake each keep theirs).
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Widget

from auth.identity import User
from tests.lake.cluster import Cluster
from tests.pages import handmade
from tests.pages.conftest import ADMIN, APP
from ui import messages
from ui.navigation import NAMES as APP_PAGES
from warehouse import lake, queries, read
from warehouse.db import attach_read_only, write_transaction

REPO = Path(__file__).resolve().parents[2]
METHODIST = User(login="methodist", role="methodist")
UNDO = "Отменить загрузку"
LOAD_TIME_COLUMNS = ("Загружен", "Дата и время")
LOAD_TIME_VALUE = re.compile(r"\d\d\.\d\d\.\d{4} \d\d:\d\d")
LOAD_TIME = "<время загрузки>"
TOLERANCE = 1e-9


def director(inst_id: str) -> User:
    return User(login=f"director-{inst_id}", role="director", inst_id=inst_id)


@dataclass(frozen=True)
class Warehouse:
    """Where a page reads: IMC_DB, and IMC_DATA_PATH for a lake whose data are not in the default folder."""

    db: str
    data_path: str | None = None


@dataclass(frozen=True)
class Pair:
    file: Warehouse
    lake: Warehouse
    director: User  # a director of an institution with people, ict and innovation rows


# ----------------------------------------------------------------------------------------- warehouses
@pytest.fixture(scope="module", autouse=True)
def _close_readers() -> Iterator[None]:
    """Lake readers stay open across the module (an attachment costs 0.3 s) and are closed after it."""
    yield
    queries.close_all()
    read.close_all()
    lake.close_all()


@pytest.fixture(scope="session")
def handmade_pair(handmade_db: Path, handmade_lake: str) -> Pair:
    return Pair(Warehouse(str(handmade_db)), Warehouse(handmade_lake), director("S1"))


@pytest.fixture(scope="session")
def handmade_pg_pair(
    handmade_db: Path, pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
) -> Pair:
    """The hand-made warehouse as a lake with a PostgreSQL catalog (the session's throwaway cluster), its
    data in a folder of its own (IMC_DATA_PATH)."""
    data = str(tmp_path_factory.mktemp("handmade-pg") / "data")
    db = f"{lake.PREFIX}postgres:{pg_cluster.new_database()}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv(lake.DATA_PATH_ENV, data)
        handmade.build(db)
    return Pair(Warehouse(str(handmade_db)), Warehouse(db, data), director("S1"))


@pytest.fixture(scope="session")
def demo_lake(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The city demo built as a SQLite-catalog lake by the command line, as tests/conftest.py `build_demo`
    builds the file (a failure fails the test)."""
    folder = tmp_path_factory.mktemp("demo-city-lake")
    db = f"{lake.PREFIX}sqlite:{folder / 'catalog.sqlite'}"
    data = str(folder / "data")
    result = subprocess.run(
        [sys.executable, "-m", "etl", "demo", "--db", db, "--scale", "city", "--quiet"],
        cwd=REPO,
        env={**os.environ, lake.DATA_PATH_ENV: data},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        pytest.fail(f"python -m etl demo --db {db} failed: {(result.stderr or result.stdout)[-2000:]}")
    return Warehouse(db, data)


@pytest.fixture(scope="session")
def demo_pair(demo_db: Path, demo_lake: Warehouse) -> Pair:
    con = attach_read_only(demo_db)
    try:
        row = con.execute("SELECT min(inst_id) FROM core.institutions WHERE inst_type = 'school'").fetchone()
    finally:
        con.close()
    assert row is not None and row[0]
    return Pair(Warehouse(str(demo_db)), demo_lake, director(row[0]))


# ----------------------------------------------------------------------------------------- a page's digest
@dataclass(frozen=True)
class Shown:
    """One element of a page as the user sees it: its depth in the tree, its type and its fields (a table's
    DataFrame under "frame", a chart's figure under "figure")."""

    depth: int
    type: str
    fields: dict[str, Any]

    def text(self) -> str:
        value = self.fields.get("label", self.fields.get("body", ""))
        return str(value)


def run_page(
    wh: Warehouse, page: str, user: User, monkeypatch: pytest.MonkeyPatch, params: dict | None = None
) -> AppTest:
    """A finished AppTest run of `page` on `wh` for `user`; a page that raised fails the test."""
    monkeypatch.setenv("IMC_DB", wh.db)
    if wh.data_path is None:
        monkeypatch.delenv(lake.DATA_PATH_ENV, raising=False)
    else:
        monkeypatch.setenv(lake.DATA_PATH_ENV, wh.data_path)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["imc_user"] = user
    # before the first run a page is found by its file name, which is its address in app.py: one run only
    at.switch_page(f"pages/{page}.py")
    if params:
        at.query_params.update(params)
    at.run()
    assert not at.exception, (wh.db, page, user, [e.value for e in at.exception])
    assert [t.value for t in at.title][:1] == [messages.PAGE_TITLES[page]], "the page asked for ran"
    return at


def digest(at: AppTest) -> list[Shown]:
    shown: list[Shown] = []
    for block in (at.main, at.sidebar):
        _walk(block, 0, shown)
    return shown


def _walk(node: Any, depth: int, shown: list[Shown]) -> None:
    shown.append(Shown(depth, node.type, _fields(node)))
    if isinstance(node, Block):
        for child in node.children.values():
            _walk(child, depth + 1, shown)


def _fields(node: Any) -> dict[str, Any]:
    proto = getattr(node, "proto", None)
    fields = MessageToDict(proto) if proto is not None else {}
    fields.pop("id", None)
    fields.pop("deferredFileId", None)
    if node.type == "dataframe":
        fields.pop("arrowData", None)
        fields.pop("lazyData", None)
        fields["frame"] = _without_load_times(node.value)
    elif node.type == "plotly_chart":
        figure = json.loads(fields.pop("spec"))
        fields["figure"] = _decoded({"data": figure["data"], "layout": figure["layout"]})
    elif isinstance(node, Widget):
        fields["value"] = _plain(node.value)
    return fields


def _decoded(value: Any) -> Any:
    """A figure with plotly's typed arrays (`{"dtype": "f8", "bdata": <base64>}`) as lists of numbers, to be
    compared to TOLERANCE as the other numbers are."""
    if isinstance(value, dict):
        if isinstance(value.get("bdata"), str) and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:
                array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
            return array.tolist()
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def _without_load_times(frame: pd.DataFrame) -> pd.DataFrame:
    for column in LOAD_TIME_COLUMNS:
        if column in frame.columns:
            frame = frame.assign(
                **{column: [LOAD_TIME if LOAD_TIME_VALUE.fullmatch(str(v)) else v for v in frame[column]]}
            )
    return frame


def without_undo(shown: list[Shown]) -> list[Shown]:
    """`shown` without the expander «Отменить загрузку» and what is inside it (it must be there)."""
    start = [i for i, s in enumerate(shown) if s.type == "expander" and s.fields.get("label") == UNDO]
    assert len(start) == 1, "an administrator on a lake has the undo on «Качество данных»"
    end = start[0] + 1
    while end < len(shown) and shown[end].depth > shown[start[0]].depth:
        end += 1
    return shown[: start[0]] + shown[end:]


def first_difference(a: Any, b: Any, where: str, names: tuple[str, str]) -> str | None:
    """Where `a` and `b` first differ and how (None when they are equal), floats (in fields, figures and
    tables) to TOLERANCE."""
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=TOLERANCE, atol=TOLERANCE)
        except AssertionError as exc:
            return f"{where} ({names[0]} left, {names[1]} right): {exc}"
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return f"{where}: keys {sorted(a.keys() ^ b.keys())} not on both ({names[0]}: {sorted(a)})"
        return next(
            (d for k in a if (d := first_difference(a[k], b[k], f"{where}.{k}", names)) is not None), None
        )
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items on the {names[0]}, {len(b)} on the {names[1]}"
        return next(
            (
                d
                for i, (x, y) in enumerate(zip(a, b, strict=True))
                if (d := first_difference(x, y, f"{where}[{i}]", names))
            ),
            None,
        )
    if _number(a) and _number(b):
        equal = math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    else:
        equal = type(a) is type(b) and a == b
    return None if equal else f"{where}: {a!r} on the {names[0]}, {b!r} on the {names[1]}"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def differences(
    file: list[Shown], lake_: list[Shown], names: tuple[str, str] = ("file", "lake"), limit: int = 5
) -> list[str]:
    """What the lake's page shows otherwise than the file's (`names` says which is which): element by
    element, each under the heading it follows; the comparison stops where the trees part (everything
    after would be shifted)."""
    found: list[str] = []
    heading = ""
    for i, (a, b) in enumerate(itertools.zip_longest(file, lake_)):
        if a is not None and a.type in ("title", "header", "subheader"):
            heading = a.text()
        if a is None or b is None or (a.depth, a.type) != (b.depth, b.type):
            found.append(
                f"#{i} after «{heading}»: the trees part: {names[0]} {_brief(a)}, {names[1]} {_brief(b)}"
            )
            break
        difference = first_difference(a.fields, b.fields, a.type, names)
        if difference is not None:
            found.append(f"#{i} after «{heading}» ({a.text()[:80]!r}): {difference[:2000]}")
            if len(found) == limit:
                break
    return found


def _brief(s: Shown | None) -> str:
    return "nothing" if s is None else f"{s.type} {s.text()[:200]!r}"


# what each page must show for its digest to mean something (the handmade warehouse has no results data:
# the results page shows its tabs and says so)
MUST_SHOW = {
    "overview": {"metric", "plotly_chart"},
    "staff": {"metric", "plotly_chart", "dataframe"},
    "ict": {"metric", "plotly_chart", "dataframe"},
    "innovation": {"metric", "plotly_chart", "dataframe"},
    "results": {"tab", "caption"},
    "plan": {"metric", "dataframe"},
    "compare": {"info"},
    "upload": {"file_uploader", "download_button"},
    "quality": {"metric", "dataframe"},
    "note": {"selectbox", "button"},
    "catalog": {"dataframe"},
}


def assert_shows_something(page: str, shown: list[Shown]) -> None:
    types = {s.type for s in shown}
    assert MUST_SHOW[page] <= types, (page, sorted(types))
    metrics = [s.fields["body"] for s in shown if s.type == "metric"]
    assert all(re.search(r"\d", m) for m in metrics), metrics
    assert sum(bool(s.text()) for s in shown) >= 8, [s.text() for s in shown]


def compare_page(
    pair: Pair, page: str, user: User, monkeypatch: pytest.MonkeyPatch, params: dict | None = None
) -> list[Shown]:
    """Run `page` on both warehouses of `pair` and assert that the user sees the same; the file's digest."""
    on_file = digest(run_page(pair.file, page, user, monkeypatch, params))
    on_lake = digest(run_page(pair.lake, page, user, monkeypatch, params))
    assert_shows_something(page, on_file)
    if page == "quality":
        assert not any(s.type == "expander" and s.fields.get("label") == UNDO for s in on_file)
        if user.role == "admin":
            on_lake = without_undo(on_lake)
    found = differences(on_file, on_lake)
    assert not found, "\n".join(found)
    return on_file


# ----------------------------------------------------------------------------------------- the tests
@pytest.mark.parametrize("page", ["quality", "staff"])
def test_the_digest_of_a_page_is_stable(demo_db, page, monkeypatch):
    """The same page on the same file twice, the second time with nothing cached: equal digests (the
    comparison of two modes means something only then; it found the download buttons' random ids)."""
    first = digest(run_page(Warehouse(str(demo_db)), page, ADMIN, monkeypatch))
    st.cache_data.clear()
    second = digest(run_page(Warehouse(str(demo_db)), page, ADMIN, monkeypatch))
    assert not differences(first, second, ("first run", "second run"))


# a director on the pages where they see something else than an administrator: their own people (staff),
# their own loads (quality, upload), their institution chosen for them (compare, note), another institution's
# small results groups masked (results; the hand-made warehouse has no results rows, the demo has:
# DEMO_RUNS); plan's lists of people are scoped by staff's queries.due_scope. A methodist sees
# what an administrator sees but the undo of a load on a lake.
DIRECTOR_PAGES = ("staff", "results", "compare", "upload", "quality", "note")
HANDMADE_RUNS = [
    *((page, "admin") for page in APP_PAGES),
    *((page, "director") for page in APP_PAGES if page in DIRECTOR_PAGES),
    ("quality", "methodist"),
]


def user_of(pair: Pair, role: str) -> User:
    return {"admin": ADMIN, "methodist": METHODIST, "director": pair.director}[role]


@pytest.mark.parametrize(("page", "role"), HANDMADE_RUNS, ids=[f"{p}-{r}" for p, r in HANDMADE_RUNS])
def test_a_page_shows_the_same_on_a_lake(handmade_pair, page, role, monkeypatch):
    compare_page(handmade_pair, page, user_of(handmade_pair, role), monkeypatch)


@pytest.mark.parametrize("page", APP_PAGES)
def test_a_page_shows_the_same_on_a_postgres_lake(handmade_pg_pair, page, monkeypatch):
    """The catalog in PostgreSQL is read through another extension (postgres_scanner): every page once, as
    an administrator (the roles and filters are compared on the SQLite lake above)."""
    compare_page(handmade_pg_pair, page, ADMIN, monkeypatch)


# the sidebar's filters in the address (the period filter on a lake: tests/pages/test_pages.py)
FILTERED = [
    ("overview", {"mun": handmade.CITY}),
    ("overview", {"inst": "S1"}),
    ("ict", {"mun": handmade.CITY, "type": "school"}),
    ("catalog", {"code": "ICT_SPEED_TARGET"}),
]


@pytest.mark.parametrize(("page", "params"), FILTERED, ids=[f"{p}-{'-'.join(q)}" for p, q in FILTERED])
def test_a_filtered_page_shows_the_same_on_a_lake(handmade_pair, page, params, monkeypatch):
    compare_page(handmade_pair, page, ADMIN, monkeypatch, params)


DEMO_RUNS = [
    ("overview", "admin"),
    ("staff", "admin"),
    ("results", "admin"),
    ("quality", "admin"),
    ("compare", "admin"),  # with the director's school chosen (an administrator has none by default)
    ("results", "director"),  # the other schools' small groups masked
]


@pytest.mark.parametrize(("page", "role"), DEMO_RUNS, ids=[f"{p}-{r}" for p, r in DEMO_RUNS])
def test_a_demo_page_shows_the_same_on_a_lake(demo_pair, page, role, monkeypatch):
    params = {"inst": demo_pair.director.inst_id} if page == "compare" and role == "admin" else None
    shown = compare_page(demo_pair, page, user_of(demo_pair, role), monkeypatch, params)
    if page == "compare":
        assert any(s.type == "plotly_chart" for s in shown), "the institution is compared"


def test_the_comparison_sees_one_changed_value(handmade_pair, tmp_path, monkeypatch):
    """A lake built from the same rows but for one mart value: the overview differs in that card (and its
    trend chart), and the difference says where."""
    changed = Warehouse(f"{lake.PREFIX}sqlite:{tmp_path / 'catalog.sqlite'}")
    monkeypatch.delenv(lake.DATA_PATH_ENV, raising=False)
    handmade.build(changed.db)
    with write_transaction(changed.db) as con:
        con.execute(
            "UPDATE mart.indicator_values SET value = 55.0 WHERE indicator_code = ? AND period = ? "
            "AND level = 'region' AND inst_type = 'all'",
            [handmade.KPI_CODE, handmade.P_NEW],
        )
    on_file = digest(run_page(handmade_pair.file, "overview", ADMIN, monkeypatch))
    found = differences(on_file, digest(run_page(changed, "overview", ADMIN, monkeypatch)))
    assert found and all("): metric." in f or "): plotly_chart." in f for f in found), found
    assert "Доля педагогических работников с высшей или первой" in found[0], found[0]
    assert "metric.body: '57,1\\xa0%' on the file, '55,0\\xa0%' on the lake" in found[0], found[0]


@pytest.mark.parametrize("page", APP_PAGES)
def test_a_page_run_again_attaches_nothing(handmade_lake, page, monkeypatch):
    """A server process keeps one DuckDB instance per lake: a page's next run (the user's next click)
    attaches no lake of its own (the upload page's size limit did, on every run: 0.5 s on a SQLite lake,
    1.6 s on PostgreSQL, where the file mode pays 0.08 s for the whole page)."""
    opened: list[str] = []
    attach = lake.connect

    def counted(spec: lake.LakeSpec, **kwargs: Any) -> Any:
        opened.append(spec.uri)
        return attach(spec, **kwargs)

    monkeypatch.setattr(lake, "connect", counted)
    at = run_page(Warehouse(handmade_lake), page, ADMIN, monkeypatch)
    before = len(opened)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert opened[before:] == [], f"{page}: {len(opened) - before} new attachments on its second run"

"""A director sees their own institution's people and nobody else's — whatever function, page, query
parameter, widget state or export they use — and their uploads load their own rows only.

The data layer is called directly (every query of the three allow-lists, aimed at another institution), and
the pages through the router with AppTest, the Excel downloads included.
"""

from __future__ import annotations

import inspect
import io
import logging
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from auth.identity import User
from reports import note
from reports.passport import PassportError, build_passport
from tests.auth.conftest import OTHER, OWN, assert_no_exception, texts
from tests.db import frame as db_frame
from tests.db import sql
from tests.etl.helpers import STAFF_HEADER, staff_row, write_csv
from warehouse import compare, quality, queries, results
from warehouse.queries import Scope
from warehouse.small_groups import RESULT_CODES, SMALL_GROUP, group_sizes

PERIOD = "2024/2025"
DIRECTOR = User("dir", "director", inst_id=OWN)
ADMIN = User("admin", "admin")
PERSON_COLUMNS = {"full_name", "birth_date", "staff_id"}


def names_of(db: Path, inst_id: str) -> set[str]:
    return {
        r[0]
        for r in sql(
            db, "SELECT full_name FROM core.staff WHERE inst_id = ? AND full_name IS NOT NULL", [inst_id]
        )
    }


# ----------------------------------------------------------------------------------------- the data layer
def arguments(name: str, func, db: Path, target: str) -> dict:
    """Arguments for a query, aimed at `target` wherever an institution can be named."""
    batches = [r[0] for r in sql(db, "SELECT batch_id FROM dq.load_log")]
    known = {
        "codes": ["STAFF_COUNT", "STAFF_ATTESTATION_DUE", *sorted(RESULT_CODES)],
        "period": PERIOD,
        "municipality": None,
        "inst_type": None,
        "inst_id": target,
        "inst_ids": [OWN, target],
        "scope": Scope(PERIOD, inst_id=target),
        "dimension": "category",
        "kind": "attestation",
        "batch_ids": batches,
    }
    params = list(inspect.signature(func).parameters)[2:]
    return {p: known[p] for p in params if p in known}


ALL_QUERIES = [
    (mod.__name__, name, func)
    for mod in (queries, quality, compare, results)
    for name, func in mod.QUERIES.items()
]


SQL_INJECTION = "' OR '1'='1' --"


@pytest.mark.parametrize("target", [OTHER, SQL_INJECTION])
@pytest.mark.parametrize(("module", "name", "func"), ALL_QUERIES, ids=[f"{m}.{n}" for m, n, _ in ALL_QUERIES])
def test_no_query_gives_a_director_another_institutions_people(demo_db, module, name, func, target):
    """Every query of the three allow-lists, aimed at another institution (or at an SQL injection: the
    values are bound, never formatted into the SQL)."""
    kwargs = arguments(name, func, demo_db, target)
    due = name in ("staff_due_list", "staff_due_count", "staff_due_statuses")
    extra = [{"kind": "attestation"}, {"kind": "training"}] if due else [{}]
    for more in extra:
        try:
            result = func(demo_db, DIRECTOR, **{**kwargs, **more})
        except PermissionError:
            continue  # refused outright (the passport's data quality)
        except (KeyError, ValueError, LookupError):
            assert target == SQL_INJECTION, name  # an unknown institution code is an error, not a leak
            continue
        if name == "staff_due_count":  # a count of the people the director may see, never of others
            assert result == len(queries.staff_due_list(demo_db, DIRECTOR, **{**kwargs, **more})), name
        if name == "staff_due_statuses":
            assert sum(result.values()) == len(
                queries.staff_due_list(demo_db, DIRECTOR, **{**kwargs, **more})
            )
        frames = [result] if isinstance(result, pd.DataFrame) else []
        for frame in frames:
            if PERSON_COLUMNS & set(frame.columns):
                assert set(frame["inst_id"]) <= {OWN}, f"{name}: people of {set(frame['inst_id'])}"
            if {"value", "rule"} <= set(frame.columns):  # quarantined rows: raw values from the files
                foreign = frame[frame["inst_id"] != OWN]
                assert foreign["value"].isna().all(), f"{name}: raw values of another institution"
                if "message_ru" in foreign:
                    assert foreign["message_ru"].isna().all()


# ----------------------------------------------------------------------------------------- small groups
def small_groups(db: Path) -> set[tuple[str, str, str, str, str]]:
    """(period, inst_id, indicator_code, subject, grade) of every results value of a school other than OWN
    computed from fewer than 5 results, in every period (sized from the mart as an administrator reads it): a
    series over the years may show a school's group of one year and must hide it in another."""
    frame = db_frame(
        db,
        "SELECT period, inst_id, indicator_code, subject, grade, numerator, denominator, value "
        "FROM mart.indicator_values WHERE level = 'institution' AND inst_id <> ?",
        [OWN],
    )
    frame = frame[frame["indicator_code"].isin(RESULT_CODES)]
    small = frame[~(group_sizes(frame) >= SMALL_GROUP)]
    return {_key(r.period, r.inst_id, r.indicator_code, r.subject, r.grade) for r in small.itertuples()}


def _key(period, inst_id, code, subject, grade) -> tuple[str, str, str, str, str]:
    return (str(period), str(inst_id), str(code), str(subject), "" if pd.isna(grade) else str(int(grade)))


@pytest.fixture(scope="module")
def small(demo_db) -> set[tuple[str, str, str, str, str]]:
    return small_groups(demo_db)


@pytest.fixture(scope="module")
def small_school(small) -> str:
    """The school other than OWN with the most values from fewer than 5 results over all subjects (the demo's
    basic school)."""
    whole = pd.Series(sorted(k[1] for k in small if k[0] == PERIOD and k[3] == "all"))
    assert not whole.empty, "the demo city has a school with tiny groups"
    counts = whole.value_counts()
    return str(min(counts[counts == counts.max()].index))  # ties by code: the same school on every run


def shown_values(name: str, frame: pd.DataFrame, target: str) -> pd.DataFrame:
    """The rows of a result with a number for an institution: inst_id, indicator_code, subject, grade, value
    (a frame without inst_id is the target's; without subject, the whole-school row)."""
    if not {"indicator_code", "value"} <= set(frame.columns):
        return frame.iloc[0:0]
    out = frame.copy()
    if "inst_id" not in out.columns:
        if name in ("aggregate_series", "aggregate_values", "municipality_values"):
            return frame.iloc[0:0]  # aggregates are never masked
        out["inst_id"] = target
    for column, default in (("period", PERIOD), ("subject", "all"), ("grade", None)):
        if column not in out.columns:
            out[column] = default
    return out[out["value"].notna() & out["indicator_code"].isin(RESULT_CODES) & out["inst_id"].notna()]


@pytest.mark.parametrize(("module", "name", "func"), ALL_QUERIES, ids=[f"{m}.{n}" for m, n, _ in ALL_QUERIES])
def test_no_query_gives_a_director_a_value_of_fewer_than_5_results(
    demo_db, small, small_school, module, name, func
):
    """Every query, aimed at the school with tiny groups: no number of its (or any other school's) value
    computed from fewer than 5 results reaches the director; the scope of the whole city is swept too."""
    for target in (small_school, None):
        kwargs = arguments(name, func, demo_db, small_school)
        if target is None:
            kwargs = {**kwargs, **({"scope": Scope(PERIOD)} if "scope" in kwargs else {})}
        try:
            result = func(demo_db, DIRECTOR, **kwargs)
        except (PermissionError, KeyError, ValueError, LookupError):
            continue
        if not isinstance(result, pd.DataFrame):
            continue
        rows = shown_values(name, result, small_school)
        leaked = [
            k
            for k in (
                _key(r.period, r.inst_id, r.indicator_code, r.subject, r.grade) for r in rows.itertuples()
            )
            if k in small
        ]
        assert not leaked, f"{name}: values of fewer than 5 results {leaked[:3]}"


def test_the_small_group_sweep_is_not_vacuous(demo_db, small, small_school):
    """An administrator gets the numbers the sweep looks for, through the same queries."""
    scope = Scope(PERIOD, inst_id=small_school)
    admin = results.institution_values(demo_db, ADMIN, scope, sorted(RESULT_CODES))
    keys = {
        _key(PERIOD, r.inst_id, r.indicator_code, r.subject, r.grade)
        for r in admin.dropna(subset=["value"]).itertuples()
    }
    assert keys & small
    profile = compare.institution_profile(demo_db, ADMIN, small_school, PERIOD)
    hidden = compare.institution_profile(demo_db, DIRECTOR, small_school, PERIOD)
    whole = {k[2] for k in small if k[:2] == (PERIOD, small_school) and k[3] == "all"} - compare.NOT_COMPARED
    values = profile.set_index("indicator_code").loc[sorted(whole), "value"]
    shown = sorted(values[values.notna()].index)  # a count of 0 is a number too
    assert shown, "the administrator sees numbers of the small groups"
    assert hidden.set_index("indicator_code").loc[shown, "masked"].all()
    assert hidden.set_index("indicator_code").loc[shown, "value"].isna().all()


def test_the_person_level_functions_do_hold_people_for_other_roles(demo_db):
    """The sweep above is not vacuous: the same calls give an administrator the other institution's people."""
    due = queries.staff_due_list(demo_db, ADMIN, Scope(PERIOD, inst_id=OTHER), "training")
    assert not due.empty and set(due["inst_id"]) == {OTHER}
    assert not quality.quarantine_rows(demo_db, ADMIN, inst_id=OTHER).empty
    assert queries.staff_due_list(demo_db, DIRECTOR, Scope(PERIOD, inst_id=OTHER), "training").empty
    assert quality.quarantine_rows(demo_db, DIRECTOR, inst_id=OTHER).empty
    own = queries.staff_due_list(demo_db, DIRECTOR, Scope(PERIOD), "training")
    assert not own.empty and set(own["inst_id"]) == {OWN}, "without a filter: their own people"
    facets = quality.quarantine_facets(demo_db, DIRECTOR)
    assert set(facets["inst_id"]) <= {OWN}
    assert OTHER in set(quality.quarantine_facets(demo_db, ADMIN)["inst_id"])


def test_documents_of_another_institution_are_refused(demo_db):
    with pytest.raises(PermissionError):
        compare.data_quality(demo_db, DIRECTOR, OTHER, PERIOD)
    with pytest.raises((PermissionError, PassportError)):
        build_passport(demo_db, DIRECTOR, OTHER, PERIOD)
    for scope in (note.NoteScope(inst_id=OTHER), note.NoteScope()):
        with pytest.raises(note.NoteError):
            note.build_note_model(demo_db, DIRECTOR, PERIOD, scope=scope, charts=False)
    # the appendices with names are an explicit choice (off by default, issue 14 point 14)
    model = note.build_note_model(
        demo_db, DIRECTOR, PERIOD, scope=note.NoteScope(inst_id=OWN), charts=False, include_names=True
    )
    document = docx.Document(io.BytesIO(note.render_docx(model)))
    words = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )
    assert model.has_personal_data and any(n in words for n in names_of(demo_db, OWN))
    assert not [n for n in names_of(demo_db, OTHER) if n in words]


# ----------------------------------------------------------------------------------------- the pages
@pytest.fixture
def downloads(monkeypatch):
    """Every deferred download a page registers: (file name, the callable that makes its bytes)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    made: list[tuple[str | None, object]] = []
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made.append((file_name, data_callable))
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return made


def workbook_text(data: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


def shown_text(at) -> str:
    frames = [df.value for df in at.dataframe]
    return texts(at) + "\n" + "\n".join(f.to_csv() for f in frames)


def assert_no_people_of(at, downloads, db: Path, inst_id: str) -> None:
    people = names_of(db, inst_id)
    assert people
    shown = shown_text(at)
    leaked = [n for n in people if n in shown]
    assert not leaked, f"shown on the page: {leaked[:3]}"
    for file_name, make in downloads:
        if file_name and file_name.endswith(".xlsx"):
            content = workbook_text(make())
            leaked = [n for n in people if n in content]
            assert not leaked, f"in the download {file_name}: {leaked[:3]}"


@pytest.mark.parametrize("how", ["query", "widget", "stored"])
def test_staff_page_lists_only_own_people_whatever_the_director_asks(app, demo_copy, downloads, how):
    at = app(demo_copy, user=DIRECTOR)
    if how == "query":  # a crafted link: ?inst=OTHER
        at.switch_page("pages/staff.py")
        at.query_params["inst"] = OTHER
        at.run()
    elif how == "widget":  # the sidebar's institution filter
        at.switch_page("pages/staff.py")
        at.run()
        at.sidebar.selectbox(key="_imc_f_inst").set_value(OTHER).run()
        assert at.query_params["inst"] == OTHER
    else:  # the session's remembered filters, crafted
        at.session_state["_imc_filters"] = {"period": PERIOD, "inst": OTHER}
        at.switch_page("pages/staff.py")
        at.run()
    assert_no_exception(at)
    # said plainly, with the own institution's name, and never a false «никого»
    assert "Списки работников показываются только по вашей организации (" in texts(at)
    assert "Никого" not in texts(at)
    assert_no_people_of(at, downloads, demo_copy, OTHER)
    # and the own people are there when the director asks for their own institution
    downloads.clear()
    at.query_params["inst"] = OWN
    at.run()
    due = [df.value for df in at.dataframe if "ФИО" in df.value.columns]
    assert due and all(
        set(d["Организация"])
        == {sql(demo_copy, "SELECT short_name FROM core.institutions WHERE inst_id = ?", [OWN])[0][0]}
        for d in due
    )
    exported = [
        workbook_text(make())
        for name, make in downloads
        if name and name.startswith(("attestation", "training"))
    ]
    assert exported and any(n in "\n".join(exported) for n in names_of(demo_copy, OWN))


def test_quality_page_quarantine_is_own_only_whatever_the_widget_state(app, demo_copy, downloads):
    at = app(demo_copy, user=User("d4", "director", inst_id="BGR-S01"))
    at.session_state["quarantine_inst"] = OTHER  # a value the page does not offer a director
    at.switch_page("pages/quality.py")
    at.run()
    assert_no_exception(at)
    quarantine = [
        df.value for df in at.dataframe if "Правило" in df.value.columns and "Значение" in df.value.columns
    ]
    for frame in quarantine:
        assert set(frame["Код организации"]) <= {OWN}
    for file_name, make in downloads:
        if file_name and file_name.startswith("karantin"):
            content = workbook_text(make())
            assert OTHER not in content


def test_note_page_of_a_director_has_no_other_people(app, demo_copy, downloads):
    at = app(demo_copy, user=DIRECTOR)
    at.switch_page("pages/note.py")
    at.run()
    at.button[0].click().run()
    assert_no_exception(at)
    shown = shown_text(at)
    assert not [n for n in names_of(demo_copy, OTHER) if n in shown]


# ----------------------------------------------------------------------------------------- uploads
def test_a_directors_upload_loads_only_their_rows_and_tells_nothing_of_the_others(
    app, demo_copy, tmp_path, caplog, capfd
):
    caplog.set_level(logging.DEBUG)
    before_other = sql(
        demo_copy,
        "SELECT count(*), min(full_name) FROM core.staff WHERE inst_id = ? AND period = ?",
        [OTHER, PERIOD],
    )
    status_before = quality.completeness(demo_copy, ADMIN, PERIOD, inst_id=OTHER)
    stranger, secret_birth = "Чужая Сотрудница Секретовна", "31.02.1977"  # a broken date: quoted in its error
    path = write_csv(
        tmp_path / "kadry.csv",
        STAFF_HEADER,
        [
            staff_row(OWN, "9001", name="Своя Сотрудница Ивановна"),
            staff_row(OWN, "9002", name="Свой Сотрудник Петрович"),
            staff_row(OTHER, "9003", name=stranger, birth=secret_birth),
        ],
    )
    at = app(demo_copy, "pages/upload.py", user=DIRECTOR).run()
    at.get("file_uploader")[0].set_value([("kadry.csv", path.read_bytes(), "text/csv")])
    at.run()
    at.button(key="upload_go").click()
    at.run()
    assert_no_exception(at)

    # only their rows went in; the other institution's rows are as they were
    assert sql(
        demo_copy,
        "SELECT staff_id FROM core.staff WHERE inst_id = ? AND period = ? ORDER BY 1",
        [OWN, PERIOD],
    ) == [("9001",), ("9002",)]
    assert (
        sql(
            demo_copy,
            "SELECT count(*), min(full_name) FROM core.staff WHERE inst_id = ? AND period = ?",
            [OTHER, PERIOD],
        )
        == before_other
    )
    assert sql(demo_copy, "SELECT count(*) FROM core.staff WHERE full_name = ?", [stranger]) == [(0,)]
    # refused and reported — the row, not its values
    shown = shown_text(at) + "\n" + "\n".join(c.value for c in at.code)
    assert "Строка другой организации" in shown and "скрыто: строка другой организации" in shown
    assert stranger not in shown and secret_birth not in shown
    # the refused rows do not change the other institution's status (it did not send them)
    after = quality.completeness(demo_copy, ADMIN, PERIOD, inst_id=OTHER)
    pd.testing.assert_frame_equal(
        after[["dataset", "status", "rows"]], status_before[["dataset", "status", "rows"]]
    )
    # the other institution's director does not get them in their quarantine, nor the file in their log
    other_director = User("d2", "director", inst_id=OTHER)
    assert stranger not in quality.quarantine_rows(demo_copy, other_director).to_csv()
    assert "kadry.csv" not in set(quality.load_log(demo_copy, other_director)["source_file"])
    # the administrator sees everything, values included
    everything = quality.quarantine_rows(demo_copy, ADMIN, rule="foreign_institution")
    assert set(everything["inst_id"]) == {OTHER}
    assert "kadry.csv" in set(quality.load_log(demo_copy, DIRECTOR)["source_file"])
    # nothing personal in the logs or on the console
    out, err = capfd.readouterr()
    for secret in (stranger, secret_birth, "Своя Сотрудница Ивановна"):
        assert secret not in caplog.text and secret not in out and secret not in err


def test_comparison_page_shows_another_schools_small_groups_as_fewer_than_5(
    app, demo_db, small, small_school
):
    """The comparison page and its profile download, for a director who opens the school with tiny groups."""
    at = app(demo_db, page="pages/compare.py", user=DIRECTOR)
    at.query_params.update({"period": PERIOD, "inst": small_school})
    at.run()
    assert_no_exception(at)
    profile = compare.institution_profile(demo_db, DIRECTOR, small_school, PERIOD)
    masked = profile[profile["masked"] & (profile["area"] == "results")]
    assert not masked.empty
    tables = [df.value for df in at.dataframe if {"Показатель", "Значение"} <= set(df.value.columns)]
    shown = pd.concat(tables).set_index("Показатель")["Значение"]
    assert (shown.loc[list(masked["name_ru"])] == "менее 5").all()

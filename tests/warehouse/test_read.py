"""warehouse/read.py, the read API: named parameters bound by name, unknown and missing ones refused, the
parameter scan, includes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.conftest import PREV, P, fill_main, warehouse_file
from warehouse import read


@pytest.fixture(scope="module")
def main_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The hand-made warehouse of conftest.py as a closed file, read through the read API."""
    yield from warehouse_file(tmp_path_factory, "read", fill_main)


@pytest.fixture()
def sql_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder of query files of the test's own in place of warehouse/sql."""
    monkeypatch.setattr(read, "SQL_DIR", tmp_path)
    read.query.cache_clear()
    yield tmp_path
    read.query.cache_clear()


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ----------------------------------------------------------------------------------------- binding
def test_named_parameters_are_bound_by_name(main_db: Path) -> None:
    # S1 has 5 pedagogical staff in 2023/2024 and 8 in 2024/2025 (conftest.py); keyword order is irrelevant
    got = read.frame(main_db, "dashboards/institution_series", codes=["STAFF_COUNT"], inst_id="S1")
    assert [(r.period, r.indicator_code, r.value) for r in got.itertuples()] == [
        (PREV, "STAFF_COUNT", 5),
        (P, "STAFF_COUNT", 8),
    ]
    assert read.rows(main_db, "compare/institution", inst_id="K1") == [
        ("K1", "Организация K1", "K1", "preschool", "Северный", "urban", None)
    ]
    assert read.scalar(main_db, "compare/municipality_count") == 2


def test_one_parameter_used_in_many_places(main_db: Path) -> None:
    # the scope include names $municipality, $inst_type and $inst_id twice each: each is passed once
    got = read.frame(
        main_db, "note/submissions", period=P, municipality="Южный", inst_type="school", inst_id=None
    )
    assert [(r.inst_id, r.staff, r.ict) for r in got.itertuples()] == [
        ("S2", True, True),
        ("X1", False, False),
    ]


def test_unknown_parameter_is_an_error(main_db: Path) -> None:
    with pytest.raises(read.QueryParameterError, match=r"unknown period"):
        read.frame(main_db, "dashboards/institution_series", inst_id="S1", codes=["STAFF_COUNT"], period=P)


def test_missing_parameter_is_an_error_not_a_null(main_db: Path) -> None:
    # a forgotten filter must not silently mean "every institution"
    with pytest.raises(read.QueryParameterError, match=r"missing inst_id"):
        read.frame(main_db, "note/submissions", period=P, municipality=None, inst_type=None)
    with pytest.raises(read.QueryParameterError, match=r"unknown scope; missing codes"):
        read.rows(main_db, "dashboards/institution_series", inst_id="S1", scope="x")


def test_a_query_name_is_a_group_and_a_file() -> None:
    for bad in (
        "../queries",
        "dashboards",
        "dashboards/../../x",
        "Dashboards/periods",
        "common/_scope_institutions",  # a fragment, not a query
        "dashboards/periods\n",
    ):
        with pytest.raises(ValueError):
            read.query(bad)


# ----------------------------------------------------------------------------------------- files
def test_comments_and_strings_name_no_parameter(sql_dir: Path) -> None:
    write(
        sql_dir, "t/q.sql", "-- $ignored in a comment\nSELECT '$not_a_param' AS s, /* $nor */ $value AS v\n"
    )
    assert read.query("t/q").params == frozenset({"value"})
    con = duckdb.connect()
    try:
        assert read.execute(con, "t/q", value=3).fetchall() == [("$not_a_param", 3)]
    finally:
        con.close()


def test_includes_are_resolved_and_their_parameters_counted(sql_dir: Path) -> None:
    write(sql_dir, "t/_part.sql", "-- a fragment\npart AS (SELECT $x AS x)\n")
    write(sql_dir, "t/q.sql", 'WITH {% include "t/_part.sql" %}\nSELECT x + $y AS s FROM part\n')
    assert read.query("t/q").params == frozenset({"x", "y"})
    con = duckdb.connect()
    try:
        assert read.execute(con, "t/q", x=2, y=3).fetchall() == [(5,)]
    finally:
        con.close()


def test_a_query_is_read_once(sql_dir: Path) -> None:
    write(sql_dir, "t/q.sql", "SELECT 1 AS one\n")
    first = read.query("t/q")
    write(sql_dir, "t/q.sql", "SELECT 2 AS two\n")
    assert read.query("t/q") is first


def test_every_query_file_reads() -> None:
    # every include resolves and no query names a parameter of an odd shape
    names = [
        f"{p.parent.name}/{p.stem}"
        for p in sorted(read.SQL_DIR.glob("*/*.sql"))
        if not p.name.startswith("_")
    ]
    assert len(names) >= 40
    for name in names:
        q = read.query(name)
        assert "{%" not in q.sql, name
        assert all(p.islower() for p in q.params), name

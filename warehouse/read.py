"""The one public read API: every read query is a file, run by name with named parameters.

A query lives in `warehouse/sql/<group>/<name>.sql` (one query per file, in the models' import → logic →
`final` CTE shape) and is called by its name `"<group>/<name>"`:

    read.frame(db_path, "dashboards/institution_values", period=p, codes=[...], municipality=None, ...)

Parameters are DuckDB's named parameters (`$period`) and are always bound, never formatted into the text.
Every parameter the query names must be passed and every one passed must be named by the query: an unknown
or a missing parameter raises `QueryParameterError` instead of silently binding NULL. A file may take in a
fragment shared by several queries with `{% include "<group>/_<fragment>.sql" %}` (fragments begin
with an underscore and are not queries); the text is read once per process and cached.

Readers share one `ReadOnlyWarehouse` per database file and process (it follows atomic swaps by a load) and
take a fresh cursor per query, as DuckDB connections are not shared between threads.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from warehouse import lake
from warehouse.db import ReadOnlyWarehouse, open_reader, reader_key
from warehouse.lake import LakeReader

SQL_DIR = Path(__file__).resolve().parent / "sql"

_NAME = re.compile(r"[a-z][a-z0-9_]*/[a-z][a-z0-9_]*")
_INCLUDE = re.compile(r"""\{%\s*include\s+"([a-z][a-z0-9_]*/_[a-z0-9_]+\.sql)"\s*%\}""")
# what is not SQL text for the parameter scan: comments and string literals ('it''s' included)
_NOT_CODE = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"", re.S)
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class QueryParameterError(TypeError):
    """A read query was called with a parameter it does not name, or without one it needs."""


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    params: frozenset[str]


def _read_text(relative: str, seen: tuple[str, ...] = ()) -> str:
    if relative in seen:
        raise ValueError(f"include cycle: {' → '.join((*seen, relative))}")
    text = (SQL_DIR / relative).read_text(encoding="utf-8")
    return _INCLUDE.sub(lambda m: _read_text(m.group(1), (*seen, relative)).strip(), text)


@functools.cache
def query(name: str) -> Query:
    """The query `<group>/<name>` (warehouse/sql/<group>/<name>.sql), its includes resolved; read once."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a query name: {name!r}")
    sql = _read_text(f"{name}.sql")
    params = frozenset(_PARAM.findall(_NOT_CODE.sub(" ", sql)))
    return Query(name, sql, params)


def bind(name: str, params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The text of the query and its parameters, checked: every named one given, nothing else."""
    q = query(name)
    given = set(params)
    unknown = sorted(given - q.params)
    missing = sorted(q.params - given)
    if unknown or missing:
        parts = []
        if unknown:
            parts.append("unknown " + ", ".join(unknown))
        if missing:
            parts.append("missing " + ", ".join(missing))
        raise QueryParameterError(f"query {name!r}: " + "; ".join(parts) + " parameter(s)")
    return q.sql, dict(params)


def execute(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> duckdb.DuckDBPyConnection:
    """Run the query on a connection the caller holds (the result is read from what it returns)."""
    sql, values = bind(name, params)
    return con.execute(sql, values) if values else con.execute(sql)


# ----------------------------------------------------------------------------------------- connections
_WAREHOUSES: dict[str, ReadOnlyWarehouse | LakeReader] = {}
_WAREHOUSES_LOCK = threading.Lock()


def _warehouse(db_path: str | os.PathLike[str]) -> ReadOnlyWarehouse | LakeReader:
    key = reader_key(db_path)
    with _WAREHOUSES_LOCK:
        wh = _WAREHOUSES.get(key)
        if wh is None:
            wh = _WAREHOUSES[key] = open_reader(db_path)
        return wh


def close_all() -> None:
    """Close every shared connection, the lakes' writers too (tests that delete warehouse files call this)."""
    with _WAREHOUSES_LOCK:
        for wh in _WAREHOUSES.values():
            wh.close()
        _WAREHOUSES.clear()
    lake.close_all()


def _fetch(db_path: str | os.PathLike[str], name: str, params: Mapping[str, Any], how: str) -> Any:
    sql, values = bind(name, params)
    cur = _warehouse(db_path).cursor()
    try:
        result = cur.execute(sql, values)
        return result.df() if how == "frame" else result.fetchall()
    finally:
        cur.close()


def frame(db_path: str | os.PathLike[str], name: str, **params: Any) -> pd.DataFrame:
    """The result of the query as a DataFrame."""
    result: pd.DataFrame = _fetch(db_path, name, params, "frame")
    return result


def rows(db_path: str | os.PathLike[str], name: str, **params: Any) -> list[tuple[Any, ...]]:
    """The result of the query as a list of tuples."""
    result: list[tuple[Any, ...]] = _fetch(db_path, name, params, "rows")
    return result


def scalar(db_path: str | os.PathLike[str], name: str, **params: Any) -> Any:
    """The first column of the first row (None when the query returns no row)."""
    result = rows(db_path, name, **params)
    return result[0][0] if result else None


def with_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """`frame` reduced to `columns`, in that order; a column it lacks comes back empty (None), as a table
    stored by an older version of the warehouse lacks the newer optional columns."""
    empty = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return pd.DataFrame({c: frame[c] if c in frame.columns else empty for c in columns})

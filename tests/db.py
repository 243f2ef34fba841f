"""Plain SQL on a test's warehouse file, read-only, for asserting on what a load or a build stored."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import duckdb


def sql(db: str | os.PathLike[str], query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of `query` (its values bound from `params`) on a short read-only connection of its own."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query, list(params)).fetchall()
    finally:
        con.close()


def frame(db: str | os.PathLike[str], query: str, params: Sequence[Any] = ()) -> Any:
    """The result of `query` as a pandas DataFrame, on a short read-only connection of its own."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query, list(params)).df()
    finally:
        con.close()

"""The pages' access to the query layer: the current user, the warehouse path, cached results.

Results are cached with `st.cache_data`, keyed only by the call's arguments: the query's name (from the
query layer's allow-list), the database path, the file's version (inode, mtime — it changes when a load
swaps in a new warehouse, so a page never shows stale numbers), the user and the filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from warehouse import queries
from warehouse.db import file_version, resolve_db_path

USER_KEY = "imc_user"


def current_user() -> queries.User:
    """Who is using the app. Until logins arrive (another issue) every session is the demo admin."""
    user = st.session_state.get(USER_KEY)
    return user if isinstance(user, queries.User) else queries.DEMO_USER


@st.cache_data(show_spinner=False, max_entries=4096)
def _cached(
    name: str,
    db_path: str,
    version: tuple[int, int] | None,
    user: queries.User,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    return queries.QUERIES[name](db_path, user, *args, **dict(kwargs))


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Context:
    db_path: str
    version: tuple[int, int] | None
    user: queries.User
    state: queries.WarehouseState

    def q(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call query `name` of the query layer with this context's path and user, cached."""
        if name not in queries.QUERIES:
            raise KeyError(name)
        frozen_args = tuple(_freeze(a) for a in args)
        frozen_kwargs = tuple(sorted((k, _freeze(v)) for k, v in kwargs.items()))
        return _cached(name, self.db_path, self.version, self.user, frozen_args, frozen_kwargs)


def context() -> Context:
    """The warehouse this run reads (IMC_DB, else warehouse/imc.duckdb) and whether it has data."""
    db_path = str(resolve_db_path())
    version = file_version(resolve_db_path())
    user = current_user()
    state = _cached("warehouse_state", db_path, version, user, (), ())
    return Context(db_path=db_path, version=version, user=user, state=state)

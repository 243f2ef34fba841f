"""The scope a read query is asked about, written once for the query modules.

A scope is a period, a municipality (None = every one, the region), an institution type (None = every type)
and an institution (None = every institution of the rest of the scope): the named parameters of the SQL
files' scope predicate (warehouse/sql/common/_scope_institutions.sql). `scope_params` gives them;
`ScopedQuery` gives a query written for them the positional signature its callers use —
`(db_path, user, period, municipality=None, inst_type=None, inst_id=None)` — stated here once instead of on
every function of the note's and the quality page's query layers.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Generic, TypedDict, TypeVar

from auth.identity import User

R = TypeVar("R")


class ScopeParams(TypedDict):
    period: str
    municipality: str | None
    inst_type: str | None
    inst_id: str | None


def scope_params(
    period: str, municipality: str | None = None, inst_type: str | None = None, inst_id: str | None = None
) -> ScopeParams:
    return {"period": period, "municipality": municipality, "inst_type": inst_type, "inst_id": inst_id}


class ScopedQuery(Generic[R]):
    """A query `body(db_path, user, scope)` called as `query(db_path, user, period, municipality, inst_type,
    inst_id)` (a decorator). It keeps the body's module, name and docstring: the allow-lists (`QUERIES`) and
    the pages' cache know a query by its module and name, and `inspect.signature` gives the call's signature.
    """

    def __init__(self, body: Callable[[str | os.PathLike[str], User, ScopeParams], R]) -> None:
        self._body = body
        self.__module__ = body.__module__
        self.__name__ = body.__name__
        self.__qualname__ = body.__qualname__
        self.__doc__ = body.__doc__

    def __call__(
        self,
        db_path: str | os.PathLike[str],
        user: User,
        period: str,
        municipality: str | None = None,
        inst_type: str | None = None,
        inst_id: str | None = None,
    ) -> R:
        return self._body(db_path, user, scope_params(period, municipality, inst_type, inst_id))

    def __repr__(self) -> str:
        return f"<query {self.__module__}.{self.__qualname__}>"

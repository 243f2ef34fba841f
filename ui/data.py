"""The pages' access to the query layer: the current user, the warehouse path, cached results.

The user is the one the router (app.py, ui.auth) signed in for this session; a page never runs without
the router in the same run (`require_router`) and never falls back to some default user.

Results are cached with `st.cache_data` in one place (`cached_call`), keyed only by the call's arguments: the
query function's module and name (from the query modules' allow-lists), the database path, the file's version (inode, mtime — it changes when a load
swaps in a new warehouse, so a page never shows stale numbers), the user's visibility class and the filters.

The visibility class (`visibility`) is what the query layer reads of a user: the role, and for a director the
one institution whose people they may see; never the login. Twenty methodists looking at the same scope
share one result; a director's due list (names) is computed for their institution's class only and is
never served to another director or to another role. The shaped tables of ui/views (`Context.view`) are
cached the same way, keyed by the view's module and name, the warehouse version, the class and the
arguments, so a page's rerun does not re-shape the same rows for every session.
"""

from __future__ import annotations

import contextlib
import importlib
import runpy
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from auth import identity
from warehouse import queries
from warehouse.db import file_version, resolve_db_path

USER_KEY = "imc_user"
ROUTER_PATH = Path(__file__).resolve().parents[1] / "app.py"
NOT_SIGNED_IN = "Вход не выполнен. Откройте главную страницу приложения и войдите."

# set while app.py runs the chosen page: a page script runs inside the router's call, in the same thread
_ROUTER = threading.local()


@contextlib.contextmanager
def routed() -> Iterator[None]:
    """The router runs the page inside this block (app.py: `with data.routed(): st.navigation(…).run()`)."""
    _ROUTER.active = True
    try:
        yield
    finally:
        _ROUTER.active = False


def require_router() -> None:
    """Make sure the page runs under the router's sign-in check; call it before a page draws anything.

    Streamlit serves pages/ by itself (its first multipage mode) on a freshly started server until
    st.navigation has been called once in the process — and always under AppTest: opening `/upload` then runs
    pages/upload.py without app.py. Such a run is handed to the router here: app.py decides who the user is
    (the sign-in form for nobody), registers the pages of their role and, when the page asked for is one of
    them, runs it inside `routed()`; the unrouted run then stops. A page run whose main script is not the app
    at all (a page file started on its own) only stops.
    """
    if getattr(_ROUTER, "active", False):
        return
    ctx = get_script_run_ctx()
    main = Path(ctx.main_script_path).resolve() if ctx is not None else None
    if main == ROUTER_PATH:
        runpy.run_path(str(ROUTER_PATH))
    else:
        st.error(NOT_SIGNED_IN)
    st.stop()


def current_user() -> identity.User:
    """Who is using the app: the user the router signed in (or the demo administrator it chose in demo
    mode). Without one the page stops: there is no default user."""
    user = st.session_state.get(USER_KEY)
    if isinstance(user, identity.User):
        return user
    st.error(NOT_SIGNED_IN)
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises


# the modules whose functions a page may call through the cache: each lists its public queries in QUERIES,
# and every one of them applies the user's scope (tests/auth/test_director.py checks them all)
QUERY_MODULES = ("warehouse.queries", "warehouse.quality", "warehouse.compare", "warehouse.results")

P = ParamSpec("P")
R = TypeVar("R")


def _query(module: str, name: str) -> Callable[..., Any]:
    """The query `name` of `module`, if both are on the allow-lists (nothing else runs through the cache)."""
    if module not in QUERY_MODULES:
        raise KeyError(f"{module}.{name}")
    queries_of = importlib.import_module(module).QUERIES
    if name not in queries_of:
        raise KeyError(f"{module}.{name}")
    return queries_of[name]


def visibility(user: identity.User) -> identity.User:
    """The user as the query layer sees them: their role, and a director's institution (`person_scope`),
    under a login that names the class. Everyone of one class gets the same results, so results are
    cached per class, not per login; person-level rows and small-cell masking depend on the class only
    (the queries read `user.person_scope` and `user.role`, tests/pages/test_cache_keys.py)."""
    inst_id = user.inst_id if user.role == "director" else None
    login = f"class:{user.role}" + (f":{inst_id}" if inst_id else "")
    return identity.User(login=login, role=user.role, inst_id=inst_id)


@st.cache_data(show_spinner=False, max_entries=4096)
def _cached(
    module: str,
    name: str,
    db_path: str,
    version: tuple[int, int] | None,
    user: identity.User,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    return _query(module, name)(db_path, user, *args, **dict(kwargs))


def cached_call(
    func: Callable[Concatenate[str, identity.User, P], R],
    db_path: str,
    version: tuple[int, int] | None,
    user: identity.User,
    *args: P.args,
    **kwargs: P.kwargs,
) -> R:
    """`func(db_path, user, *args, **kwargs)` of a query module, cached by the function's module and name, the
    warehouse file's version, the user's visibility class and the arguments (Context.q calls this; so do
    cached helpers that get the context's parts). The query runs for the class (`visibility`)."""
    module, name = func.__module__, func.__name__
    _query(module, name)
    frozen_args = tuple(_freeze(a) for a in args)
    frozen_kwargs = tuple(sorted((k, _freeze(v)) for k, v in kwargs.items()))
    result: R = _cached(module, name, db_path, version, visibility(user), frozen_args, frozen_kwargs)
    return result


# the modules whose pure functions a page may call through the view cache (shaping of tables, no streamlit)
VIEW_MODULES = ("ui.views.tables", "ui.views.quality", "ui.views.compare", "ui.views.results")


def _view(module: str, name: str) -> Callable[..., Any]:
    if module not in VIEW_MODULES or name.startswith("_"):
        raise KeyError(f"{module}.{name}")
    func = getattr(importlib.import_module(module), name, None)
    if not callable(func):
        raise KeyError(f"{module}.{name}")
    return func  # type: ignore[no-any-return]


# a catalogue is keyed by the rows it was built from (its look-up dicts are derived from them)
@st.cache_data(
    show_spinner=False, max_entries=2048, hash_funcs={"ui.views.tables.Catalog": lambda c: c.frame}
)
def _cached_view(
    module: str,
    name: str,
    version: tuple[int, int] | None,
    visible_to: identity.User,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    # `version` and `visible_to` are keys only: the view is pure, but the rows it gets came from that
    # warehouse for that class, and its result must not outlive the one or reach another class
    return _view(module, name)(*(resolve(a) for a in args), **{k: resolve(v) for k, v in kwargs})


def cached_view(
    func: Callable[P, R],
    version: tuple[int, int] | None,
    user: identity.User,
    *args: P.args,
    **kwargs: P.kwargs,
) -> R:
    """`func(*args, **kwargs)`, a pure shaping function of ui/views, cached by its module and name, the
    warehouse version, the user's visibility class and the arguments (Context.view calls this)."""
    module, name = func.__module__, func.__name__
    _view(module, name)
    frozen_kwargs = tuple(sorted(kwargs.items()))
    result: R = _cached_view(module, name, version, visibility(user), tuple(args), frozen_kwargs)
    return result


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | set) else value


@dataclass(frozen=True)
class Ref:
    """A value named by how it is computed instead of by its rows: a query of one warehouse version for one
    visibility class (`ctx.ref`), or a shaping function of ui/views over other values (`ctx.later`). A
    cached figure or view given Refs is keyed by these few scalars — hashing them costs microseconds where
    hashing the rows costs milliseconds every run — and resolves them only when it is computed."""

    kind: Literal["query", "view"]
    module: str
    name: str
    db_path: str
    version: tuple[int, int] | None
    visible_to: identity.User
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]

    def value(self) -> Any:
        if self.kind == "query":
            return _cached(
                self.module, self.name, self.db_path, self.version, self.visible_to, self.args, self.kwargs
            )
        func = _view(self.module, self.name)
        return func(*(resolve(a) for a in self.args), **{k: resolve(v) for k, v in self.kwargs})


def resolve(value: Any) -> Any:
    """`value`, or what it names when it is a Ref (cached functions call this on their arguments)."""
    return value.value() if isinstance(value, Ref) else value


@dataclass(frozen=True)
class Context:
    db_path: str
    version: tuple[int, int] | None
    user: identity.User
    state: queries.WarehouseState

    def q(
        self, func: Callable[Concatenate[str, identity.User, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """`func` of a query module with this context's warehouse and user, cached
        (`ctx.q(queries.staff_structure, sel.scope, "category")`)."""
        return cached_call(func, self.db_path, self.version, self.user, *args, **kwargs)

    def view(self, func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """A shaped table of ui/views, cached for this warehouse version and the user's visibility class
        (`ctx.view(views.due_table, rows, "training")`): a rerun or another session of the same class
        gets the shaped result without shaping the rows again."""
        return cached_view(func, self.version, self.user, *args, **kwargs)

    def ref(
        self, func: Callable[Concatenate[str, identity.User, P], Any], *args: P.args, **kwargs: P.kwargs
    ) -> Ref:
        """`ctx.q(func, …)` by name, to hand to a cached figure or view (`widgets.figures.trend(ctx.later(
        views.series_frame, ctx.ref(queries.aggregate_series, codes, None, None), …), …)`)."""
        _query(func.__module__, func.__name__)
        return self._ref("query", func, args, kwargs)

    def later(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Ref:
        """A shaping function of ui/views over values or Refs, by name (`ctx.later(views.Catalog,
        ctx.ref(queries.indicator_catalog))`); computed only inside the cached figure or view given it."""
        _view(func.__module__, func.__name__)
        return self._ref("view", func, args, kwargs)

    def _ref(
        self,
        kind: Literal["query", "view"],
        func: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Ref:
        """A Ref of `kind` ("query" or "view") to `func` called with `args` and `kwargs`, frozen to be hashable."""
        return Ref(
            kind,
            func.__module__,
            func.__name__,
            self.db_path,
            self.version,
            visibility(self.user),
            tuple(_freeze(a) for a in args),
            tuple(sorted((k, _freeze(v)) for k, v in kwargs.items())),
        )


def warehouse_state() -> queries.WarehouseState:
    """The state of the warehouse (missing, empty, ready; demo or not) for the router, before anyone has
    signed in (the state holds no data of anyone)."""
    db_path = str(resolve_db_path())
    return _cached(
        "warehouse.queries",
        "warehouse_state",
        db_path,
        file_version(resolve_db_path()),
        visibility(identity.DEMO_USER),
        (),
        (),
    )


def context() -> Context:
    """The warehouse this run reads (IMC_DB, else warehouse/imc.duckdb) and whether it has data."""
    require_router()
    db_path = str(resolve_db_path())
    version = file_version(resolve_db_path())
    user = current_user()
    state = _cached("warehouse.queries", "warehouse_state", db_path, version, visibility(user), (), ())
    return Context(db_path=db_path, version=version, user=user, state=state)

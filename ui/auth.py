"""Who is using the app: the router's decision (demo mode, signed in, or a sign-in screen), the sign-in form
with its throttle, the optional single sign-on (OIDC through `st.login`), the sign-out, and which pages each
role may open.

Demo mode — the demo administrator without a password and a banner on every page — exists only when the
warehouse is the demo warehouse (`meta.info` kind = demo) and no users exist. Any other warehouse without
users shows how to create the first administrator, never an open app. The users file and the throttle are in
auth/users.py (no Streamlit there); the restrictions themselves are in the query layer, not here:
hiding a page is not the protection.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner import get_script_run_ctx

from auth import sessions, users
from auth.identity import DEMO_USER, User
from ui import data, messages, routes
from ui.views import safe

AUTH_SOURCE_KEY = "_imc_auth_source"
AUTH_STAMP_KEY = "_imc_auth_stamp"
AUTH_SID_KEY = "_imc_auth_sid"  # the sign-in session (auth/sessions.py) of a password sign-in
HANDOFF_KEY = "_imc_handoff"  # the one-time token to turn into the session cookie at the next run
SIGNED_OUT_KEY = "_imc_signed_out"  # the cookie is to be cleared at the next run
SOURCES = ("demo", "password", "oidc")

# the pages a role may open (interfaces.md); a page not listed here is open to every role. A director's
# pages show their own institution's people only — the query layer makes sure of it.
PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "upload": ("admin", "methodist", "director"),
}


def may_open(user: User, page: str) -> bool:
    return user.role in PAGE_ROLES.get(page, (user.role,))


@dataclass(frozen=True)
class Visitor:
    """The router's decision for this run: a user (possibly the demo administrator), or the screen to show
    instead — `login`, `first_admin` (no users on a real warehouse), `oidc_unknown`, `broken` (users file)."""

    user: User | None
    demo: bool = False
    screen: str = "login"
    detail: str = ""


def user_store() -> users.UserStore:
    return users.UserStore(users.resolve_users_path())


def login_throttle() -> users.LoginThrottle:
    return users.LoginThrottle(users.throttle_path(users.resolve_users_path()))


def session_store() -> sessions.SessionStore:
    return sessions.SessionStore(users.resolve_users_path())


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def _client_address() -> str | None:
    """The browser's address (None for a local connection), for the throttle and the handoff token."""
    try:
        value = st.context.ip_address
    except Exception:  # no client (a bare script run)
        return None
    return value if isinstance(value, str) and value else None


def session_cookie() -> str | None:
    """The session cookie of the websocket's handshake (HttpOnly cookies are included)."""
    try:
        value = st.context.cookies.get(sessions.COOKIE)
    except Exception:
        return None
    return value if isinstance(value, str) and value else None


def _stamp(account: users.Account | None) -> str:
    return users.password_stamp(account)


def _sign_in(user: User, source: str, account: users.Account | None = None, sid: str | None = None) -> None:
    st.session_state[data.USER_KEY] = user
    st.session_state[AUTH_SOURCE_KEY] = source
    st.session_state[AUTH_STAMP_KEY] = _stamp(account)
    if sid:
        st.session_state[AUTH_SID_KEY] = sid


def _session_matches(session: sessions.Session | None, account: users.Account) -> bool:
    return session is not None and session.login == account.login and session.stamp == _stamp(account)


def _still_valid(account: users.Account, source: str, store: users.UserStore) -> bool:
    if source == "password":
        if account.password_hash is None or st.session_state.get(AUTH_STAMP_KEY) != _stamp(account):
            return False
        # signed out in another tab (the session revoked), or the session expired
        sid = st.session_state.get(AUTH_SID_KEY)
        return bool(sid) and _session_matches(session_store().check_sid(str(sid)), account)
    if source == "oidc":
        claims = _oidc_claims()
        mapped = users.oidc_user(store, claims) if claims is not None else None
        return mapped is not None and mapped.login == account.login
    return False


def _forget() -> None:
    """Sign out: the whole session goes (filters, the last upload's errors — they may hold personal data)."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]


# ----------------------------------------------------------------------------------------- single sign-on
def oidc_configured() -> bool:
    """Single sign-on is offered when `.streamlit/secrets.toml` has an `[auth]` section and Authlib (which
    st.login needs) is installed."""
    try:
        if not st.secrets.load_if_toml_exists():
            return False
        section = st.secrets.get("auth")
    except Exception:  # a broken secrets file: no single sign-on, the password form still works
        return False
    if not section:
        return False
    try:
        import authlib  # noqa: F401
    except ImportError:
        return False
    return True


def oidc_provider(section: Mapping[str, Any]) -> str | None:
    """The provider to pass to st.login: None for a single provider configured in `[auth]` itself, else the
    one named `[auth.NAME]` section."""
    if "client_id" in section:
        return None
    named = [k for k, v in section.items() if isinstance(v, Mapping)]
    return named[0] if named else None


def _oidc_claims() -> dict[str, Any] | None:
    try:
        if not st.user.is_logged_in:
            return None
        return dict(st.user.to_dict())
    except Exception:
        return None


# ----------------------------------------------------------------------------------------- the decision
def resolve() -> Visitor:
    """Who this run is for. Reads the users file afresh every run: a user removed on the command line is
    signed out at their next click, a changed role or institution applies at once."""
    store = user_store()
    try:
        accounts = store.accounts()
    except users.UsersFileError as exc:
        return Visitor(None, screen="broken", detail=str(exc))
    demo = not accounts and data.warehouse_state().is_demo
    session_user = st.session_state.get(data.USER_KEY)
    source = st.session_state.get(AUTH_SOURCE_KEY)
    if isinstance(session_user, User):
        if source not in SOURCES:
            # put into the session by server code (the page tests set it); no browser can set a User
            return Visitor(session_user, demo=demo)
        if source == "demo" and demo:
            return Visitor(DEMO_USER, demo=True)
        account = accounts.get(session_user.login)
        if account is not None and _still_valid(account, str(source), store):
            if account.user != session_user:
                st.session_state[data.USER_KEY] = account.user  # a changed role or institution
            return Visitor(account.user)
        _forget()  # the demo is over, the user was removed, or the password changed
    if demo:
        _sign_in(DEMO_USER, "demo")
        return Visitor(DEMO_USER, demo=True)
    if not accounts:
        return Visitor(None, screen="first_admin")
    from_cookie = cookie_user(accounts)
    if from_cookie is not None:
        return Visitor(from_cookie)
    if oidc_configured():
        claims = _oidc_claims()
        if claims is not None:
            user = users.oidc_user(store, claims)
            if user is not None:
                _sign_in(user, "oidc", accounts.get(user.login))
                return Visitor(user)
            return Visitor(None, screen="oidc_unknown")
    return Visitor(None, screen="login")


def cookie_user(accounts: Mapping[str, users.Account], cookie: str | None = None) -> User | None:
    """The user of the browser's session cookie (a reload, a new tab), signed into this Streamlit session;
    None when there is no cookie or it is forged, expired, revoked, or its account was removed or has a new
    password."""
    cookie = cookie if cookie is not None else session_cookie()
    if not cookie:
        return None
    session = session_store().check(cookie)
    account = accounts.get(session.login) if session is not None else None
    if account is None or account.password_hash is None or not _session_matches(session, account):
        return None
    assert session is not None
    _sign_in(account.user, "password", account, session.sid)
    return account.user


# ----------------------------------------------------------------------------------------- the cookie
def here() -> str:
    """This page's path and query (the view is in the URL), to come back to after the cookie route."""
    try:
        url = st.context.url
        params = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    except Exception:
        return "/"
    path = quote(urlsplit(url).path, safe="/%") if isinstance(url, str) and url else "/"
    return sessions.safe_next(path + (f"?{urlencode(params)}" if params else ""))


def _navigate(path: str, **params: str) -> None:
    """Send the browser to one of our routes (ui/routes.py): a same-origin path, JSON-encoded for the script."""
    target = f"{path}?{urlencode(params)}"
    literal = json.dumps(target).replace("<", "\\u003c")
    st.html(f"<script>window.location.replace({literal});</script>", unsafe_allow_javascript=True)


def _cookie_handoff() -> None:
    """Right after signing in (the run that follows), turn the one-time token into the session cookie."""
    token = st.session_state.pop(HANDOFF_KEY, None)
    if token:
        _navigate(routes.SESSION_PATH, t=str(token), next=here())


# ----------------------------------------------------------------------------------------- screens
def wait_text(seconds: float) -> str:
    """«30 с», «2 мин»."""
    if seconds < 120:
        return f"{max(1, math.ceil(seconds))} с"
    return f"{math.ceil(seconds / 60)} мин"


def login_screen() -> None:
    """The sign-in form (and the single sign-on button when configured)."""
    if st.session_state.pop(SIGNED_OUT_KEY, False):
        _navigate(routes.SIGNOUT_PATH, next=here())  # the session is revoked already; the cookie goes too
    st.title(messages.APP_TITLE)
    column, _ = st.columns([2, 3])
    with column:
        _login_form()


def _login_form() -> None:
    st.subheader(messages.LOGIN_TITLE)
    st.caption(messages.LOGIN_INTRO)
    with st.form("imc_login", clear_on_submit=True, border=True):
        login = st.text_input(
            messages.LOGIN_NAME, key="imc_login_name", max_chars=64, autocomplete="username"
        )
        password = st.text_input(
            messages.LOGIN_PASSWORD,
            type="password",
            key="imc_login_password",
            max_chars=users.MAX_PASSWORD,
            autocomplete="current-password",
        )
        submitted = st.form_submit_button(messages.LOGIN_BUTTON, type="primary", icon=":material/login:")
    if submitted:
        store = user_store()
        address = _client_address()
        outcome = users.sign_in(store, login_throttle(), login or "", password or "", _session_id(), address)
        if outcome.user is not None:
            account = store.get(outcome.user.login)
            sid, token = session_store().create(outcome.user.login, _stamp(account), address)
            _sign_in(outcome.user, "password", account, sid)
            st.session_state[HANDOFF_KEY] = token
            st.rerun()
        if outcome.wait > 0:
            st.error(messages.LOGIN_LOCKED.format(wait=wait_text(outcome.wait)), icon=":material/lock:")
        else:
            st.error(messages.LOGIN_FAILED, icon=":material/error:")
    if oidc_configured() and st.button(messages.LOGIN_OIDC, icon=":material/key:", key="imc_oidc"):
        st.login(oidc_provider(st.secrets["auth"]))  # type: ignore[arg-type]


def first_admin_screen() -> None:
    st.title(messages.APP_TITLE)
    st.warning(f"**{messages.FIRST_ADMIN_TITLE}.** {messages.FIRST_ADMIN_BODY}", icon=":material/person_add:")


def oidc_unknown_screen() -> None:
    st.title(messages.APP_TITLE)
    st.error(messages.LOGIN_OIDC_UNKNOWN, icon=":material/block:")
    if st.button(messages.LOGOUT, key="imc_oidc_logout", icon=":material/logout:"):
        _forget()
        st.logout()


def broken_screen(detail: str) -> None:
    st.title(messages.APP_TITLE)
    st.error(messages.USERS_FILE_BROKEN.format(detail=safe.md(detail)), icon=":material/error:")


def entry_pages(visitor: Visitor, url_paths: Iterable[str]) -> list[StreamlitPage]:
    """What a visitor who is not signed in can reach: one screen (sign-in, or how to create the first
    administrator) under the app's every URL — `/staff` opened from a bookmark shows the sign-in form (no
    «page not found»), and after signing in the same URL opens the page asked for, if the role may."""
    if visitor.screen == "first_admin":
        screen, title = first_admin_screen, messages.FIRST_ADMIN_TITLE
    elif visitor.screen == "oidc_unknown":
        screen, title = oidc_unknown_screen, messages.LOGIN_TITLE
    elif visitor.screen == "broken":
        detail = visitor.detail

        def screen() -> None:
            broken_screen(detail)

        title = messages.LOGIN_TITLE
    else:
        screen, title = login_screen, messages.LOGIN_TITLE
    pages = [st.Page(screen, title=title, url_path="login", default=True)]
    pages += [st.Page(screen, title=title, url_path=path) for path in url_paths if path != "login"]
    return pages


# ----------------------------------------------------------------------------------------- on every page
def chrome(visitor: Visitor) -> None:
    """The demo banner at the top of every page, or who is signed in and the sign-out in the sidebar."""
    user = visitor.user
    if user is None:
        return
    if visitor.demo:
        st.info(messages.DEMO_NOTICE, icon=":material/science:")
        return
    _cookie_handoff()
    with st.sidebar:
        text = messages.SIGNED_IN_AS.format(login=safe.md(user.login), role=users.ROLE_NAMES[user.role])
        if user.inst_id:
            text += messages.SIGNED_IN_INST.format(inst=safe.md(user.inst_id))
        st.caption(text)
        if st.button(messages.LOGOUT, key="imc_logout", icon=":material/logout:"):
            was_oidc = st.session_state.get(AUTH_SOURCE_KEY) == "oidc"
            # signed out everywhere: the session is revoked, so every other tab with the cookie is signed
            # out at its next run; the next run here clears the cookie through its route
            session_store().revoke(st.session_state.get(AUTH_SID_KEY))
            _forget()
            if was_oidc:
                st.logout()
            st.session_state[SIGNED_OUT_KEY] = True
            st.rerun()

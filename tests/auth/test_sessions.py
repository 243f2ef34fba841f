"""Sign-in sessions (auth/sessions.py) with a fake clock: the handoff token (once, soon, from the same
address), the signed cookie (tampering), the idle and absolute expiry, revocation, the files' modes, the
`next` check, the two HTTP routes (ui/routes.py) and, under AppTest, a new tab signed in by its cookie."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from auth import sessions, users
from auth.identity import User
from tests.auth.conftest import PASSWORD, Clock, add_user, assert_no_exception, sign_in, store_for
from ui import messages, routes

ADDR = "203.0.113.7"


@pytest.fixture
def session_clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(sessions, "CLOCK", fake)
    return fake


@pytest.fixture
def store(tmp_path: Path, session_clock: Clock, monkeypatch: pytest.MonkeyPatch) -> sessions.SessionStore:
    monkeypatch.delenv(sessions.SECRET_ENV, raising=False)
    return sessions.SessionStore(tmp_path / "users.json")


def opened(store: sessions.SessionStore, login: str = "admin", stamp: str = "s1") -> str:
    """A session opened and its token redeemed: the cookie value."""
    _, token = store.create(login, stamp, ADDR)
    cookie = store.redeem(token, ADDR)
    assert cookie is not None
    return cookie


# ----------------------------------------------------------------------------------------- the handoff token
def test_a_token_gives_the_cookie_of_its_session_once(store):
    sid, token = store.create("admin", "stamp-1", ADDR)
    cookie = store.redeem(token, ADDR)
    assert cookie is not None and cookie.startswith(f"{sid}.")
    assert store.check(cookie) == sessions.Session(sid, "admin", "stamp-1")
    assert store.redeem(token, ADDR) is None, "a replayed token gives nothing"


def test_a_token_expires_after_a_minute(store, session_clock):
    _, token = store.create("admin", "s", ADDR)
    session_clock.advance(sessions.HANDOFF_TTL + 1)
    assert store.redeem(token, ADDR) is None


def test_a_token_is_bound_to_the_address_that_signed_in_and_burnt_by_a_wrong_one(store):
    _, token = store.create("admin", "s", ADDR)
    assert store.redeem(token, "198.51.100.1") is None
    assert store.redeem(token, ADDR) is None, "tried once from elsewhere: gone"
    _, local = store.create("admin", "s", None)  # a local connection (no address) is one address
    assert store.redeem(local, None) is not None


@pytest.mark.parametrize("token", [None, "", "made-up", "x" * 500])
def test_unknown_tokens_give_nothing(store, token):
    store.create("admin", "s", ADDR)
    assert store.redeem(token, ADDR) is None


def test_a_token_of_a_revoked_session_gives_nothing(store):
    sid, token = store.create("admin", "s", ADDR)
    store.revoke(sid)
    assert store.redeem(token, ADDR) is None


# ----------------------------------------------------------------------------------------- the cookie
def test_a_tampered_or_forged_cookie_is_refused(store, tmp_path):
    cookie = opened(store)
    sid, mac = cookie.split(".")
    flipped = mac[:-1] + ("0" if mac[-1] != "0" else "1")
    other_sid = sid[:-1] + ("A" if sid[-1] != "A" else "B")
    for bad in (f"{sid}.{flipped}", f"{other_sid}.{mac}", sid, f"{cookie}.x", "", "ы.ы", cookie + " "):
        assert store.check(bad) is None, bad
    # signed with another key (another installation): refused
    elsewhere = sessions.SessionStore(tmp_path / "users.json", secret=b"another key")
    assert elsewhere.check(cookie) is None
    assert store.check(cookie) is not None


def test_a_session_ends_when_idle_for_eight_hours(store, session_clock):
    cookie = opened(store)
    session_clock.advance(sessions.IDLE + 1)
    assert store.check(cookie) is None


def test_use_keeps_a_session_but_not_beyond_twelve_hours(store, session_clock):
    cookie = opened(store)
    session_clock.advance(7 * 3600)
    assert store.check(cookie) is not None
    session_clock.advance(4 * 3600)  # 11 h after the password, 4 h after the last use: the use counted
    assert store.check(cookie) is not None
    session_clock.advance(1 * 3600 + 1)  # 12 h + 1 s after the password
    assert store.check(cookie) is None


def test_revoking_ends_a_session_and_only_it(store):
    first, second = opened(store), opened(store)
    store.revoke(first.split(".")[0])
    assert store.check(first) is None and store.check(second) is not None
    opened(store, login="other")
    assert store.revoke_login("admin") == 1
    assert store.check(second) is None


def test_the_files_are_private_and_hold_no_usable_cookie(store, tmp_path):
    cookie = opened(store)
    _, token = store.create("admin", "s", ADDR)
    for path in (tmp_path / "users.sessions.json", tmp_path / "users.session-key"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    kept = (tmp_path / "users.sessions.json").read_text(encoding="utf-8")
    assert cookie.split(".")[0] not in kept and token not in kept
    # the key is made once: a new store object (another process) reads the same one
    assert sessions.SessionStore(tmp_path / "users.json").check(cookie) is not None


def test_the_key_may_come_from_the_environment(tmp_path, monkeypatch, session_clock):
    monkeypatch.setenv(sessions.SECRET_ENV, "a long secret from the environment")
    store = sessions.SessionStore(tmp_path / "users.json")
    cookie = opened(store)
    assert not (tmp_path / "users.session-key").exists()
    monkeypatch.setenv(sessions.SECRET_ENV, "rotated")
    assert store.check(cookie) is None, "a new key signs every session out"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("/staff?inst=BGR-S01&period=2024%2F2025", "/staff?inst=BGR-S01&period=2024%2F2025"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("staff", "/"),
        ("/staff\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_next_is_a_same_origin_path_only(given, kept):
    assert sessions.safe_next(given) == kept


# ----------------------------------------------------------------------------------------- the routes
def request(path: str, params: dict[str, str], host: str = ADDR, scheme: str = "http") -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": scheme,
            "path": path,
            "query_string": urlencode(params).encode("ascii"),
            "headers": [(b"host", b"imc.example")],
            "client": (host, 50000),
            "server": ("imc.example", 443 if scheme == "https" else 80),
        }
    )


def test_the_session_route_sets_an_httponly_cookie_once_and_goes_back(tmp_path, monkeypatch, session_clock):
    monkeypatch.setenv("IMC_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv(sessions.SECRET_ENV, raising=False)
    store = sessions.SessionStore(tmp_path / "users.json")
    sid, token = store.create("admin", "s", ADDR)
    nxt = "/staff?inst=BGR-S01"
    response = routes.open_session(request(routes.SESSION_PATH, {"t": token, "next": nxt}))
    assert response.status_code == 303 and response.headers["location"] == nxt
    assert response.headers["cache-control"] == "no-store"
    [cookie] = response.headers.getlist("set-cookie")
    assert cookie.startswith(f"imc_session={sid}.")
    parts = {p.strip().lower() for p in cookie.split(";")}
    assert {"httponly", "path=/", "samesite=lax", f"max-age={int(sessions.ABSOLUTE)}"} <= parts
    assert "secure" not in parts, "plain http (localhost): a Secure cookie would not be kept"
    again = routes.open_session(request(routes.SESSION_PATH, {"t": token, "next": "https://evil.example"}))
    assert not again.headers.getlist("set-cookie") and again.headers["location"] == "/"
    # over https the cookie is Secure
    _, token = store.create("admin", "s", ADDR)
    secure = routes.open_session(request(routes.SESSION_PATH, {"t": token}, scheme="https"))
    assert "secure" in {p.strip().lower() for p in secure.headers["set-cookie"].split(";")}


def test_the_signout_route_clears_the_cookie(tmp_path, monkeypatch):
    monkeypatch.setenv("IMC_USERS", str(tmp_path / "users.json"))
    response = routes.close_session(request(routes.SIGNOUT_PATH, {"next": "/ict"}))
    assert response.status_code == 303 and response.headers["location"] == "/ict"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith('imc_session="";') and "Max-Age=0" in cookie


# ----------------------------------------------------------------------------------------- the app (AppTest)
def test_a_new_tab_with_the_cookie_is_signed_in_until_sign_out(app, real_copy, monkeypatch, session_clock):
    """AppTest cannot send cookies: the cookie a browser would send is given to ui.auth.session_cookie."""
    from ui import auth

    add_user(real_copy, "admin", "admin")
    add_user(real_copy, "m", "methodist")
    first = sign_in(app(real_copy).run(), "admin", PASSWORD)
    assert first.session_state["imc_user"] == User("admin", "admin")
    # the page sends the browser to the session route with a one-time token, and the page to come back to
    [script] = [e.proto.body for e in first.get("html")]
    found = re.fullmatch(
        r'<script>window.location.replace\("/auth/session\?t=([\w-]+)&next=%2F"\);</script>', script
    )
    assert found, script
    token = found.group(1)
    assert auth.HANDOFF_KEY not in first.session_state
    first.run()
    assert not first.get("html"), "handed over once"
    store = sessions.SessionStore(store_for(real_copy).path)
    cookie = store.redeem(token, None)
    assert cookie is not None
    browser_cookie: dict[str, str | None] = {"value": cookie}
    monkeypatch.setattr(auth, "session_cookie", lambda: browser_cookie["value"])

    tab = app(real_copy).run()  # a reload or a new tab: a new Streamlit session with the cookie
    assert_no_exception(tab)
    assert tab.session_state["imc_user"] == User("admin", "admin")
    assert any("Вы вошли как **admin**" in c.value for c in tab.sidebar.caption)

    # signing out in the first tab revokes the session: the other tab is signed out at its next run
    first.run()
    first.button(key="imc_logout").click()
    first.run()
    assert [t.label for t in first.text_input] == [messages.LOGIN_NAME, messages.LOGIN_PASSWORD]
    tab.run()
    assert "imc_user" not in tab.session_state
    assert [t.label for t in tab.text_input] == [messages.LOGIN_NAME, messages.LOGIN_PASSWORD]
    # and the cookie itself (still sent by a browser that kept it) no longer signs anybody in
    assert app(real_copy).run().session_state.to_dict().get("imc_user") is None


def test_a_cookie_stops_working_when_the_password_changes_or_the_user_goes(app, real_copy, monkeypatch):
    from ui import auth

    add_user(real_copy, "admin", "admin")
    add_user(real_copy, "m", "methodist")
    store = sessions.SessionStore(store_for(real_copy).path)
    account = store_for(real_copy).get("m")
    _, token = store.create("m", users.password_stamp(account), None)
    cookie = store.redeem(token, None)
    monkeypatch.setattr(auth, "session_cookie", lambda: cookie)
    assert app(real_copy).run().session_state["imc_user"] == User("m", "methodist")
    store_for(real_copy).set_password("m", "новый-пароль-2")
    assert app(real_copy).run().session_state.to_dict().get("imc_user") is None
    # a forged cookie for another login signs nobody in either
    monkeypatch.setattr(auth, "session_cookie", lambda: "admin." + "0" * 64)
    assert app(real_copy).run().session_state.to_dict().get("imc_user") is None

"""The users file (bcrypt hashes only, atomic, 0600), the sign-in check, the throttle with a fake clock, and
the single sign-on's e-mail mapping."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from auth import users
from auth.identity import User
from tests.auth.conftest import PASSWORD, Clock


@pytest.fixture
def store(tmp_path: Path) -> users.UserStore:
    return users.UserStore(tmp_path / "users.json")


@pytest.fixture
def throttle(tmp_path: Path, clock: Clock) -> users.LoginThrottle:
    return users.LoginThrottle(tmp_path / "users.attempts.json")


def test_passwords_are_stored_only_as_salted_bcrypt_hashes(store):
    store.add("Ivanova", "director", password=PASSWORD, inst_id="BGR-S01")
    store.add("petrov", "methodist", password=PASSWORD)
    raw = store.path.read_text(encoding="utf-8")
    assert PASSWORD not in raw and PASSWORD.encode("utf-8").hex() not in raw
    data = json.loads(raw)["users"]
    assert set(data) == {"ivanova", "petrov"}, "logins are case-insensitive, kept in lower case"
    hashes = [entry["password_hash"] for entry in data.values()]
    assert all(h.startswith("bcrypt-sha256$$2b$04$") for h in hashes)
    assert hashes[0] != hashes[1], "the same password gets a different salt"
    assert data["ivanova"]["inst_id"] == "BGR-S01" and data["ivanova"]["role"] == "director"


def test_the_users_file_is_private_and_written_atomically(store):
    store.add("admin", "admin", password=PASSWORD)
    store.set_password("admin", "другой-пароль-2")
    store.remove("admin")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    leftovers = [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert json.loads(store.path.read_text(encoding="utf-8")) == {"users": {}, "version": 1}


def test_authenticate(store):
    store.add("admin", "admin", password=PASSWORD)
    store.add("sso", "head", password=None, email="Head@Uo.example.ru")
    assert store.authenticate("ADMIN ", PASSWORD) == User("admin", "admin")
    assert store.authenticate("admin", PASSWORD + "x") is None
    assert store.authenticate("admin", PASSWORD.upper()) is None
    assert store.authenticate("nobody", PASSWORD) is None
    assert store.authenticate("sso", "") is None, "a user without a password signs in only through SSO"
    assert store.authenticate("'; DROP TABLE users; --", PASSWORD) is None
    assert store.authenticate("admin", "x" * 10_000) is None


def test_long_and_cyrillic_passwords_are_whole(store):
    """bcrypt reads 72 bytes; the SHA-256 in front keeps every character of a long passphrase."""
    long = "пароль-" * 20  # 260 bytes in UTF-8
    store.add("admin", "admin", password=long)
    assert store.authenticate("admin", long) == User("admin", "admin")
    assert store.authenticate("admin", long[:-1] + "!") is None


@pytest.mark.parametrize(
    ("args", "kwargs", "fragment"),
    [
        (("bad login!", "admin"), {"password": PASSWORD}, "Недопустимое имя"),
        (("x", "root"), {"password": PASSWORD}, "Неизвестная роль"),
        (("d", "director"), {"password": PASSWORD}, "код организации"),
        (("d", "director"), {"password": PASSWORD, "inst_id": "BGR S01;"}, "Неверный код"),
        (("m", "methodist"), {"password": PASSWORD, "inst_id": "BGR-S01"}, "только для роли director"),
        (("a", "admin"), {"password": "short"}, "слишком короткий"),
        (("a", "admin"), {"password": " пробел-в-начале"}, "пробелом"),
        (("a", "admin"), {"password": None}, "без пароля"),
        (("a", "admin"), {"password": None, "email": "not-an-email"}, "Неверный адрес"),
    ],
)
def test_add_refuses_with_a_russian_reason(store, args, kwargs, fragment):
    with pytest.raises(users.UserError, match=fragment):
        store.add(*args, **kwargs)
    assert not store.has_users()


def test_duplicates_and_unknown_users(store):
    store.add("admin", "admin", password=PASSWORD, email="a@example.ru")
    with pytest.raises(users.UserError, match="уже есть"):
        store.add("ADMIN", "head", password=PASSWORD)
    with pytest.raises(users.UserError, match="уже указан"):
        store.add("other", "head", password=PASSWORD, email="A@example.ru")
    with pytest.raises(users.UserError, match="нет"):
        store.remove("ghost")
    with pytest.raises(users.UserError, match="нет"):
        store.set_password("ghost", PASSWORD)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '["a list"]',
        '{"users": {"x": {"role": "root"}}}',
        '{"users": {"d": {"role": "director"}}}',
    ],
)
def test_a_broken_users_file_is_an_error_not_an_empty_list(store, content):
    """A broken file must not read as «no users» — that would open the demo mode on the demo warehouse."""
    store.path.write_text(content, encoding="utf-8")
    with pytest.raises(users.UsersFileError):
        store.accounts()


def test_default_location_is_beside_the_warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("IMC_DB", str(tmp_path / "wh" / "imc.duckdb"))
    assert users.resolve_users_path() == tmp_path / "wh" / "users.json"
    monkeypatch.setenv("IMC_USERS", str(tmp_path / "elsewhere.json"))
    assert users.resolve_users_path() == tmp_path / "elsewhere.json"
    assert users.resolve_users_path("given.json") == Path("given.json")


# ----------------------------------------------------------------------------------------- throttle
A, B, C = "203.0.113.1", "203.0.113.2", "203.0.113.3"


def login_wait(throttle: users.LoginThrottle, login: str) -> float:
    """The wait of the login's own key (not its address's or session's)."""
    return throttle.wait(users.throttle_keys(login, None, "unused")[:1])


def test_five_failures_from_one_address_lock_it_for_a_growing_delay(store, throttle, clock):
    store.add("admin", "admin", password=PASSWORD)
    for n in range(4):
        assert users.sign_in(store, throttle, "admin", "wrong-password", f"s{n}", A) == users.SignIn(
            None, 0.0
        )
        clock.advance(1)
    fifth = users.sign_in(store, throttle, "admin", "wrong-password", "s5", A)
    assert fifth.user is None and fifth.wait == pytest.approx(users.BASE_DELAY)
    # locked: even the right password is refused, without being checked, and it does not extend the lock
    refused = users.sign_in(store, throttle, "admin", PASSWORD, "s6", A)
    assert refused.user is None and refused.wait == pytest.approx(users.BASE_DELAY)
    # the attacker's address is locked, not the user: from their own address they sign in at once
    assert users.sign_in(store, throttle, "admin", PASSWORD, "own", B).user == User("admin", "admin")
    clock.advance(users.BASE_DELAY + 1)
    sixth = users.sign_in(store, throttle, "admin", "wrong-password", "s7", A)
    assert sixth.wait == pytest.approx(2 * users.BASE_DELAY), "each further failure doubles the delay"
    clock.advance(2 * users.BASE_DELAY + 1)
    assert users.sign_in(store, throttle, "Admin", PASSWORD, "s8", A).user == User("admin", "admin")
    # a success does not reset its address: a guess between sign-ins to one's own account is still counted
    assert users.sign_in(store, throttle, "admin", "wrong-password", "s9", A).wait == pytest.approx(
        4 * users.BASE_DELAY
    )


def test_the_delay_is_capped_and_an_address_is_forgotten_after_an_hour(store, throttle, clock):
    for _ in range(30):
        clock.advance(users.MAX_DELAY + 1)
        outcome = users.sign_in(store, throttle, "admin", "wrong-password", None, A)
    assert outcome.wait == pytest.approx(users.MAX_DELAY)
    clock.advance(users.ADDRESS_FORGET + 1)
    assert users.sign_in(store, throttle, "admin", "wrong-password", None, A).wait == 0


def test_one_address_spraying_many_logins_is_locked(store, throttle):
    for n in range(users.MAX_FAILURES):
        outcome = users.sign_in(store, throttle, f"user{n}", "wrong-password", f"new-session-{n}", A)
    assert outcome.wait == pytest.approx(users.BASE_DELAY)
    assert users.sign_in(store, throttle, "someone-else", "wrong-password", "fresh", A).wait > 0
    assert users.sign_in(store, throttle, "someone-else", "wrong-password", "fresh", B).wait == 0


def test_one_session_is_locked_too(store, throttle):
    for n in range(users.MAX_FAILURES):
        outcome = users.sign_in(
            store, throttle, f"user{n}", "wrong-password", "one-session", f"198.51.100.{n}"
        )
    assert outcome.wait == pytest.approx(users.BASE_DELAY)


def test_a_login_is_locked_only_by_failures_from_several_addresses(store, throttle, clock):
    store.add("admin", "admin", password=PASSWORD)
    # two addresses, 12 failures (each address's own lock waited out): the login itself is not locked
    for n in range(12):
        clock.advance(users.MAX_DELAY + 1)
        users.sign_in(store, throttle, "admin", "wrong-password", None, (A, B)[n % 2])
    assert login_wait(throttle, "admin") == 0
    clock.advance(users.MAX_DELAY + 1)
    assert users.sign_in(store, throttle, "admin", PASSWORD, None, C).user == User("admin", "admin")
    # the success cleared the login; now 10 failures from 10 addresses (none of them locked itself) lock
    # the login for 30 s, then doubling, capped at 5 minutes
    for n in range(users.LOGIN_MAX_FAILURES - 1):
        clock.advance(1)
        assert users.sign_in(store, throttle, "admin", "wrong-password", None, f"192.0.2.{n}").wait == 0
    clock.advance(1)
    tenth = users.sign_in(store, throttle, "admin", "wrong-password", None, "192.0.2.99")
    assert tenth.wait == pytest.approx(users.BASE_DELAY)
    assert users.sign_in(store, throttle, "admin", PASSWORD, None, "192.0.2.100").wait == pytest.approx(
        users.BASE_DELAY
    ), "locked for everyone, for at most a few minutes"
    for n in range(5):
        clock.advance(users.LOGIN_MAX_DELAY + 1)
        outcome = users.sign_in(store, throttle, "admin", "wrong-password", None, f"10.1.0.{n}")
    assert outcome.wait == pytest.approx(users.LOGIN_MAX_DELAY)


def test_a_known_and_an_unknown_login_are_locked_alike(store, throttle, clock):
    store.add("admin", "admin", password=PASSWORD)
    outcomes = {}
    for login in ("admin", "nobody"):
        for n in range(users.LOGIN_MAX_FAILURES):
            outcomes[login] = users.sign_in(store, throttle, login, "wrong-password", None, f"192.0.2.{n}")
            clock.advance(users.MAX_DELAY + 1)
    assert outcomes["admin"] == outcomes["nobody"] == users.SignIn(None, users.BASE_DELAY)


def test_a_global_cap_on_failures_per_minute(store, throttle, clock):
    store.add("admin", "admin", password=PASSWORD)
    for n in range(users.GLOBAL_PER_MINUTE - 1):
        assert users.sign_in(store, throttle, f"u{n}", "wrong-password", None, f"198.51.100.{n}").wait == 0
        clock.advance(1)
    # the 30th failure of the minute (t0 … t0+29): nobody may try until the first one is a minute old
    last = users.sign_in(store, throttle, "u99", "wrong-password", None, "198.51.100.99")
    assert last.wait == pytest.approx(31.0)
    refused = users.sign_in(store, throttle, "admin", PASSWORD, None, "192.0.2.1")
    assert refused == users.SignIn(None, 31.0), "refused without checking the password"
    clock.advance(32)
    assert users.sign_in(store, throttle, "admin", PASSWORD, None, "192.0.2.1").user == User("admin", "admin")


def test_the_counters_survive_a_reload(tmp_path, store, clock):
    """A new throttle object (a new page run, a reloaded page, another server process) reads the file."""
    path = tmp_path / "users.attempts.json"
    for _ in range(users.MAX_FAILURES):
        users.sign_in(store, users.LoginThrottle(path), "admin", "wrong-password", None)
    assert users.LoginThrottle(path).wait(users.throttle_keys("Admin", None)) > 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # a password typed into the login field by mistake is not kept in clear either
    users.sign_in(store, users.LoginThrottle(path), "мой-секретный-пароль", "wrong-password", None)
    kept = path.read_text(encoding="utf-8")
    assert "wrong-password" not in kept and "секретный" not in kept and "admin" not in kept


# ----------------------------------------------------------------------------------------- single sign-on
def test_oidc_identity_maps_to_a_user_by_verified_email(store):
    store.add("ivanova", "director", password=None, inst_id="BGR-S01", email="Ivanova@School.example.ru")
    store.add("admin", "admin", password=PASSWORD)
    expected = User("ivanova", "director", inst_id="BGR-S01")
    assert users.oidc_user(store, {"email": "ivanova@school.example.ru", "email_verified": True}) == expected
    assert users.oidc_user(store, {"email": "IVANOVA@school.example.ru"}) == expected
    assert users.oidc_user(store, {"email": "ivanova@school.example.ru", "email_verified": False}) is None
    assert users.oidc_user(store, {"email": "stranger@example.ru", "email_verified": True}) is None
    assert users.oidc_user(store, {"name": "Без почты"}) is None

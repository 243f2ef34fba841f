"""The app's users and the login throttle (interfaces.md, «Roles and what each may see»).

Users live in a small JSON file, by default `users.json` beside the warehouse (`IMC_USERS` or `--users`
override it), not in the warehouse itself: every load swaps the warehouse file atomically and `etl demo`
rebuilds it from scratch, and users must survive both. The file is written atomically (a temporary file,
then `os.replace`) with mode 0600, and holds only salted slow hashes of the passwords:

    {"version": 1,
     "users": {"ivanova": {"role": "director", "inst_id": "BGR-S01", "email": "ivanova@school.ru",
                           "password_hash": "bcrypt-sha256$$2b$12$…", "created": "2025-03-14T10:00:00",
                           "updated": "2025-03-14T10:00:00"}}}

`bcrypt-sha256`: bcrypt (cost 12) of base64(SHA-256(password)) — the digest keeps a long or Cyrillic passphrase
whole (bcrypt reads only 72 bytes) and holds no NUL byte. A user without `password_hash` signs in only through
the single sign-on (OIDC), matched by `email`.

The throttle keeps failed attempts in `users.attempts.json` beside the users file (so that reloading the page
does not reset it): per client address and browser session, per login (only for failures from several
addresses) and globally per minute — the rules are in `LoginThrottle`. Sign-in sessions (the cookie that
survives a reload) are in auth/sessions.py.

Nothing here imports Streamlit: the command line (`python -m etl users …`) and the app share it.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bcrypt

from auth.identity import ROLES, User
from warehouse.db import resolve_db_path, side_folder

USERS_ENV = "IMC_USERS"
USERS_FILE = "users.json"
SCHEME = "bcrypt-sha256"
BCRYPT_ROUNDS = 12
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INST_RE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")  # the data contract's inst_id

ROLE_NAMES = {
    "admin": "администратор",
    "head": "начальник управления образования",
    "methodist": "методист",
    "director": "руководитель организации",
}

# the throttle
MAX_FAILURES = 5
BASE_DELAY = 30.0
MAX_DELAY = 15 * 60.0
FORGET_AFTER = 24 * 3600.0
MAX_ENTRIES = 10_000
LOGIN_ADDRESSES = 3  # a login is locked only for failures from this many different addresses
LOGIN_MAX_FAILURES = 10
LOGIN_MAX_DELAY = 5 * 60.0
GLOBAL_PER_MINUTE = 30  # failures in the last minute, all logins and addresses together
GLOBAL_KEY = "global"
GLOBAL_KEEP = 200
MAX_ADDRESSES = 20
ADDRESS_FORGET = 3600.0  # an address's failures are forgotten after an hour without one
# the clock of the throttle (the tests replace it)
CLOCK: Callable[[], float] = time.time


class UserError(ValueError):
    """A users command cannot be done as asked; the message is Russian, for the administrator."""


class UsersFileError(RuntimeError):
    """The users file exists but cannot be read (broken JSON, wrong shape)."""


def resolve_users_path(
    path: str | os.PathLike[str] | None = None, db: str | os.PathLike[str] | None = None
) -> Path:
    """`--users`, else $IMC_USERS, else users.json in the warehouse's folder (`--db`, $IMC_DB, warehouse/)."""
    if path:
        return Path(path)
    env = os.environ.get(USERS_ENV)
    if env:
        return Path(env)
    return side_folder(resolve_db_path(db)) / USERS_FILE


# ----------------------------------------------------------------------------------------- passwords
def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str, rounds: int | None = None) -> str:
    """A salted slow hash: `bcrypt-sha256$<bcrypt string>`."""
    check_password_policy(password)
    salt = bcrypt.gensalt(rounds=rounds or BCRYPT_ROUNDS)
    return f"{SCHEME}${bcrypt.hashpw(_prehash(password), salt).decode('ascii')}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches the stored hash (False for any malformed or absent hash)."""
    if not stored or not isinstance(password, str) or len(password) > MAX_PASSWORD:
        return False
    scheme, _, hashed = stored.partition("$")
    if scheme != SCHEME or not hashed:
        return False
    try:
        return bcrypt.checkpw(_prehash(password), hashed.encode("ascii"))
    except ValueError:
        return False


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"Пароль слишком короткий: нужно не меньше {MIN_PASSWORD} символов.")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"Пароль слишком длинный: не больше {MAX_PASSWORD} символов.")
    if password.strip() != password:
        raise UserError("Пароль не должен начинаться или заканчиваться пробелом.")


_DUMMY: dict[int, str] = {}


def _dummy_hash() -> str:
    """A hash to check unknown logins against, so that an unknown login takes as long as a known one."""
    rounds = BCRYPT_ROUNDS
    if rounds not in _DUMMY:
        _DUMMY[rounds] = hash_password("dummy-password-never-matches", rounds=rounds)
    return _DUMMY[rounds]


# ----------------------------------------------------------------------------------------- the store
def normalize_login(login: str) -> str:
    return str(login).strip().lower()


@dataclass(frozen=True)
class Account:
    """One user of the app as the users file keeps it."""

    login: str
    role: str
    inst_id: str | None = None
    email: str | None = None
    password_hash: str | None = None
    created: str = ""
    updated: str = ""

    @property
    def user(self) -> User:
        return User(login=self.login, role=self.role, inst_id=self.inst_id)  # type: ignore[arg-type]

    def describe(self) -> str:
        """One line for `users list`: never the hash."""
        parts = [self.login, ROLE_NAMES.get(self.role, self.role)]
        if self.inst_id:
            parts.append(f"организация {self.inst_id}")
        if self.email:
            parts.append(f"e-mail {self.email}")
        if not self.password_hash:
            parts.append("без пароля (только единый вход)")
        return " · ".join(parts)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role}
        for key in ("inst_id", "email", "password_hash"):
            value = getattr(self, key)
            if value:
                out[key] = value
        out["created"] = self.created
        out["updated"] = self.updated
        return out


def _account(login: str, raw: Any) -> Account:
    if not isinstance(raw, Mapping) or not LOGIN_RE.match(login):
        raise UsersFileError(f"неверная запись пользователя {login!r}")
    role = raw.get("role")
    if role not in ROLES:
        raise UsersFileError(f"неизвестная роль у пользователя {login!r}")
    inst_id = raw.get("inst_id") or None
    if role == "director" and not inst_id:
        raise UsersFileError(f"у руководителя {login!r} не указана организация")
    return Account(
        login=login,
        role=str(role),
        inst_id=str(inst_id) if inst_id and role == "director" else None,
        email=str(raw["email"]).lower() if raw.get("email") else None,
        password_hash=str(raw["password_hash"]) if raw.get("password_hash") else None,
        created=str(raw.get("created", "")),
        updated=str(raw.get("updated", "")),
    )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `<path>.lock` for a read-modify-write of `path` (two administrators, two tabs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


file_lock = _locked  # for the other stores beside the users file (auth/sessions.py)


def read_json(path: Path) -> Any:
    """The JSON in `path`, or {} when it is missing or unreadable (the throttle's and sessions' files)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, OSError, UnicodeDecodeError):
        return {}


def password_stamp(account: Account | None) -> str:
    """A fingerprint of the account's password hash: a password changed elsewhere ends a session opened
    with the old one."""
    hashed = (account.password_hash or "") if account is not None else ""
    return hashlib.sha256(hashed.encode("utf-8")).hexdigest()[:16]


def write_json_atomically(path: Path, data: Any) -> None:
    """Write `data` to a temporary file in the same folder (mode 0600) and swap it in with os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _now_text() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


class UserStore:
    """The users file. Every call reads the file afresh: a user added or removed on the command line is
    seen by the running app at the next page run."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    # reading
    def accounts(self) -> dict[str, Account]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise UsersFileError(f"файл пользователей не читается: {type(exc).__name__}") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsersFileError("файл пользователей повреждён (не JSON)") from exc
        if not isinstance(data, Mapping) or not isinstance(data.get("users", {}), Mapping):
            raise UsersFileError("файл пользователей повреждён (нет раздела users)")
        return {str(login): _account(str(login), raw) for login, raw in data.get("users", {}).items()}

    def has_users(self) -> bool:
        return bool(self.accounts())

    def get(self, login: str) -> Account | None:
        return self.accounts().get(normalize_login(login))

    def by_email(self, email: str) -> Account | None:
        wanted = str(email).strip().lower()
        if not wanted:
            return None
        found = [a for a in self.accounts().values() if a.email == wanted]
        return found[0] if len(found) == 1 else None

    # checking a password
    def authenticate(self, login: str, password: str) -> User | None:
        """The user when the login exists, has a password and it matches; otherwise None (an unknown login
        costs the same bcrypt check as a wrong password)."""
        account = self.get(login) if LOGIN_RE.match(normalize_login(login)) else None
        stored = account.password_hash if account is not None else None
        ok = verify_password(password, stored or _dummy_hash())
        return account.user if ok and account is not None and stored else None

    # writing
    def _save(self, accounts: Mapping[str, Account]) -> None:
        write_json_atomically(
            self.path,
            {"version": 1, "users": {login: a.to_json() for login, a in sorted(accounts.items())}},
        )

    def add(
        self,
        login: str,
        role: str,
        *,
        password: str | None,
        inst_id: str | None = None,
        email: str | None = None,
    ) -> Account:
        login = normalize_login(login)
        if not LOGIN_RE.match(login):
            raise UserError(
                "Недопустимое имя пользователя: латинские буквы, цифры и знаки . _ @ -, не длиннее 64 символов, "
                "начинается с буквы или цифры."
            )
        if role not in ROLES:
            raise UserError(f"Неизвестная роль «{role}»: допустимы {', '.join(ROLES)}.")
        if role == "director":
            if not inst_id:
                raise UserError("Руководителю организации нужно указать код организации: --inst КОД.")
            if not INST_RE.match(inst_id):
                raise UserError(
                    "Неверный код организации: латинские буквы, цифры и знаки _ . -, до 32 символов."
                )
        elif inst_id:
            raise UserError("Код организации (--inst) указывается только для роли director.")
        if email is not None:
            email = email.strip().lower()
            if not EMAIL_RE.match(email):
                raise UserError("Неверный адрес электронной почты.")
        if password is None and not email:
            raise UserError("Пользователю без пароля нужен адрес электронной почты для единого входа.")
        hashed = hash_password(password) if password is not None else None
        with _locked(self.path):
            accounts = self.accounts()
            if login in accounts:
                raise UserError(f"Пользователь «{login}» уже есть; пароль меняет команда users passwd.")
            if email and any(a.email == email for a in accounts.values()):
                raise UserError("Этот адрес электронной почты уже указан у другого пользователя.")
            now = _now_text()
            account = Account(login, role, inst_id, email, hashed, now, now)
            accounts[login] = account
            self._save(accounts)
        return account

    def remove(self, login: str) -> Account:
        login = normalize_login(login)
        with _locked(self.path):
            accounts = self.accounts()
            account = accounts.pop(login, None)
            if account is None:
                raise UserError(f"Пользователя «{login}» нет.")
            self._save(accounts)
        return account

    def set_password(self, login: str, password: str) -> Account:
        login = normalize_login(login)
        hashed = hash_password(password)
        with _locked(self.path):
            accounts = self.accounts()
            account = accounts.get(login)
            if account is None:
                raise UserError(f"Пользователя «{login}» нет.")
            updated = Account(
                account.login,
                account.role,
                account.inst_id,
                account.email,
                hashed,
                account.created,
                _now_text(),
            )
            accounts[login] = updated
            self._save(accounts)
        return updated


def oidc_user(store: UserStore, claims: Mapping[str, Any]) -> User | None:
    """The user of a single sign-on identity (st.user's claims): the users-file entry whose `email` is the
    identity's e-mail. An unverified e-mail (`email_verified` false) or an unknown one gives None."""
    email = claims.get("email")
    if not email or claims.get("email_verified") is False:
        return None
    account = store.by_email(str(email))
    return account.user if account is not None else None


# ----------------------------------------------------------------------------------------- throttle
def throttle_path(users_path: Path) -> Path:
    return users_path.with_name(users_path.stem + ".attempts.json")


def _forget_after(key: str) -> float:
    return ADDRESS_FORGET if key.startswith("addr:") else FORGET_AFTER


def _lock_delay(failures: float, threshold: int, cap: float) -> float:
    """0 below `threshold` failures, then `BASE_DELAY` doubling with every further failure, up to `cap`."""
    over = int(failures) - threshold
    return 0.0 if over < 0 else min(cap, BASE_DELAY * 2.0**over)


class LoginThrottle:
    """Failed sign-in attempts, kept in a file beside the users (a reload or another server process sees
    them). Three rules, checked before the password is looked at (README, «Sessions and sign-in»):

    - per client address (`addr:<hash>`) and per browser session (`session:<hash>`): `MAX_FAILURES`
      failures in a row lock it for `BASE_DELAY` seconds, doubling with every further failure up to
      `MAX_DELAY` — one address spraying passwords over many logins is stopped whatever logins it tries;
    - per login (`login:<hash>`, the login as typed, known or not): locked only when its failures come from
      at least `LOGIN_ADDRESSES` different addresses — `LOGIN_MAX_FAILURES` failures, then the same
      doubling, but capped at `LOGIN_MAX_DELAY`: one attacker cannot lock a known user out at all from
      their own address, and many only for minutes;
    - globally: more than `GLOBAL_PER_MINUTE` failures in the last minute refuse every attempt until the
      minute has passed (a spray from many addresses).

    A success clears the login and session keys of the attempt (not the address: see `success`); a key
    with no failure for `FORGET_AFTER` (an address: `ADDRESS_FORGET`) is forgotten.
    Attempts refused while locked are not counted (a locked user is not locked out for longer by others).
    """

    _memory_lock = threading.Lock()

    def __init__(self, path: str | os.PathLike[str], clock: Callable[[], float] | None = None) -> None:
        self.path = Path(path)
        self._clock = clock

    def now(self) -> float:
        return (self._clock or CLOCK)()

    def _read(self) -> dict[str, dict[str, Any]]:
        data = read_json(self.path)
        if not isinstance(data, dict):
            return {}
        out: dict[str, dict[str, Any]] = {}
        for key, entry in data.items():
            if not isinstance(entry, dict):
                continue
            with contextlib.suppress(TypeError, ValueError):
                if key == GLOBAL_KEY:
                    out[key] = {"times": [float(t) for t in entry.get("times", [])][-GLOBAL_KEEP:]}
                    continue
                clean: dict[str, Any] = {
                    k: float(entry.get(k, 0.0)) for k in ("failures", "locked_until", "last")
                }
                if key.startswith("login:"):
                    clean["addresses"] = [str(a) for a in entry.get("addresses", [])][-MAX_ADDRESSES:]
                out[str(key)] = clean
        return out

    def _prune(self, data: dict[str, dict[str, Any]], now: float) -> dict[str, dict[str, Any]]:
        fresh = {
            k: v
            for k, v in data.items()
            if k == GLOBAL_KEY or now - v["last"] < _forget_after(k) or v["locked_until"] > now
        }
        if GLOBAL_KEY in fresh:
            fresh[GLOBAL_KEY] = {"times": [t for t in fresh[GLOBAL_KEY]["times"] if now - t < 60.0]}
        if len(fresh) > MAX_ENTRIES:
            keyed = [kv for kv in fresh.items() if kv[0] != GLOBAL_KEY]
            newest = sorted(keyed, key=lambda kv: kv[1]["last"], reverse=True)[:MAX_ENTRIES]
            fresh = dict(newest) | ({GLOBAL_KEY: fresh[GLOBAL_KEY]} if GLOBAL_KEY in fresh else {})
        return fresh

    @staticmethod
    def _global_wait(data: dict[str, dict[str, Any]], now: float) -> float:
        times = sorted(t for t in data.get(GLOBAL_KEY, {}).get("times", []) if now - t < 60.0)
        if len(times) < GLOBAL_PER_MINUTE:
            return 0.0
        # refused until enough of the last minute's failures are older than a minute
        return times[len(times) - GLOBAL_PER_MINUTE] + 60.0 - now

    def wait(self, keys: Iterable[str]) -> float:
        """Seconds until an attempt with these keys may be made (0 when it may now)."""
        now = self.now()
        data = self._read()
        waits = [data[k]["locked_until"] - now for k in keys if k in data and k != GLOBAL_KEY]
        return max([*waits, self._global_wait(data, now), 0.0])

    def failure(self, keys: Iterable[str]) -> float:
        """Count a failed attempt for every key (and globally); return the wait it leads to."""
        keys = list(keys)
        address = next((k for k in keys if k.startswith("addr:")), "addr:?")
        with self._memory_lock, _locked(self.path):
            now = self.now()
            data = self._prune(self._read(), now)
            for key in keys:
                entry = data.get(key, {"failures": 0.0, "locked_until": 0.0, "last": now})
                if now - entry["last"] >= _forget_after(key):
                    entry = {"failures": 0.0, "locked_until": 0.0, "last": now}
                entry["failures"] += 1
                entry["last"] = now
                if key.startswith("login:"):
                    seen = [a for a in entry.get("addresses", []) if a != address] + [address]
                    entry["addresses"] = seen[-MAX_ADDRESSES:]
                    if len(seen) >= LOGIN_ADDRESSES:
                        delay = _lock_delay(entry["failures"], LOGIN_MAX_FAILURES, LOGIN_MAX_DELAY)
                    else:
                        delay = 0.0
                else:
                    delay = _lock_delay(entry["failures"], MAX_FAILURES, MAX_DELAY)
                if delay:
                    entry["locked_until"] = now + delay
                data[key] = entry
            times = data.get(GLOBAL_KEY, {"times": []})["times"]
            data[GLOBAL_KEY] = {"times": [*times, now][-GLOBAL_KEEP:]}
            write_json_atomically(self.path, data)
        return self.wait(keys)

    def success(self, keys: Iterable[str]) -> None:
        """A good password clears its login and session, not its address: an attacker with one account of
        their own must not reset their address's count by signing in between guesses (an address's
        failures are forgotten after `ADDRESS_FORGET` without one)."""
        keys = [k for k in keys if k != GLOBAL_KEY and not k.startswith("addr:")]
        with self._memory_lock, _locked(self.path):
            data = self._read()
            if any(k in data for k in keys):
                for key in keys:
                    data.pop(key, None)
                write_json_atomically(self.path, self._prune(data, self.now()))


# ----------------------------------------------------------------------------------------- signing in
@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the user, or None with the seconds to wait (0: just wrong)."""

    user: User | None
    wait: float = 0.0


def _key(kind: str, value: str) -> str:
    # hashed: people do type a password into the login field, and the attempts file must not keep it
    return f"{kind}:{hashlib.sha256(value.encode('utf-8')).hexdigest()[:32]}"


def throttle_keys(login: str, session: str | None, address: str | None = None) -> list[str]:
    """The throttle's keys of an attempt: the login as typed (normalised), the client address (None — a
    local connection, Streamlit gives no address for 127.0.0.1 — counts as one address) and the browser
    session."""
    keys = [_key("login", normalize_login(login)), _key("addr", address or "local")]
    if session:
        keys.append(_key("session", session))
    return keys


def sign_in(
    store: UserStore,
    throttle: LoginThrottle,
    login: str,
    password: str,
    session: str | None,
    address: str | None = None,
) -> SignIn:
    """Check a login and password under the throttle: a locked login, address or session (or the global
    cap) is refused without looking at the password; a failure is counted; a success clears the counters
    of its login, address and session. The outcome is the same for a known and an unknown login."""
    keys = throttle_keys(login, session, address)
    wait = throttle.wait(keys)
    if wait > 0:
        return SignIn(None, wait)
    user = store.authenticate(login, password)
    if user is None:
        return SignIn(None, throttle.failure(keys))
    throttle.success(keys)
    return SignIn(user)

"""Sign-in sessions that survive a reload and a new tab: server-side records, a signed cookie, and the
one-time handoff token that turns a good password into that cookie.

A Streamlit script cannot set a cookie (it talks to the browser over a websocket), so signing in takes two
steps. After a good password the script creates a session record and a one-time handoff token bound to it,
and sends the browser to `/auth/session?t=<token>&next=<the page>`; that route (ui/routes.py) redeems the
token and answers with `Set-Cookie: imc_session=<id>.<hmac>; HttpOnly; SameSite=Lax`. Every page run reads
the cookie (st.context.cookies), checks its HMAC, then the record: not revoked, not idle for more than
`IDLE`, not older than `ABSOLUTE`. The account itself is re-checked by the caller as before (removed,
password changed).

Records live in `users.sessions.json` beside the users file (mode 0600) under the SHA-256 of their id, so
the file holds no usable cookie; the HMAC key is `users.session-key` beside it (0600, made once) unless
`IMC_SESSION_SECRET` gives one. Signing out revokes the record: every tab holding the cookie is signed out at
its next run. `python -m etl users remove` or a new password ends the sessions too (the account check).

Nothing here imports Streamlit or Starlette.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from auth.users import file_lock, read_json, write_json_atomically

COOKIE = "imc_session"
SECRET_ENV = "IMC_SESSION_SECRET"
IDLE = 8 * 3600.0  # a session unused for this long ends
ABSOLUTE = 12 * 3600.0  # and any session ends this long after the password was given
HANDOFF_TTL = 60.0  # the one-time token must be redeemed within a minute
TOUCH_EVERY = 300.0  # the record's last use is written at most this often (not on every click)
MAX_SESSIONS = 10_000
# the clock (the tests replace it)
CLOCK: Callable[[], float] = time.time


@dataclass(frozen=True)
class Session:
    """A live session: its id (the cookie's first half), the login and the fingerprint of the password
    hash it was opened with (a password changed since ends it)."""

    sid: str
    login: str
    stamp: str


def sessions_path(users_path: Path) -> Path:
    return users_path.with_name(users_path.stem + ".sessions.json")


def key_path(users_path: Path) -> Path:
    return users_path.with_name(users_path.stem + ".session-key")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def safe_next(value: str | None) -> str:
    """A same-origin relative path (with its query) to go back to after signing in or out; anything else
    (`https://evil`, `//evil`, `/\\evil`, `javascript:`, control characters) becomes `/`."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


class SessionStore:
    """The session records and handoff tokens of one users file."""

    _memory_lock = threading.Lock()

    def __init__(
        self,
        users_path: str | os.PathLike[str],
        clock: Callable[[], float] | None = None,
        secret: bytes | None = None,
    ) -> None:
        self.users_path = Path(users_path)
        self.path = sessions_path(self.users_path)
        self._clock = clock
        self._secret = secret

    def now(self) -> float:
        return (self._clock or CLOCK)()

    # ------------------------------------------------------------------------------------- the HMAC key
    def secret(self) -> bytes:
        if self._secret is not None:
            return self._secret
        env = os.environ.get(SECRET_ENV)
        if env:
            return env.encode("utf-8")
        path = key_path(self.users_path)
        try:
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        except FileNotFoundError:
            pass
        # made whole in a private temporary file, then linked into place: another process never reads a
        # half-written key, and of two made at once only the first is kept (os.link fails if it exists)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temp, path)
        finally:
            os.unlink(temp)
        return bytes.fromhex(path.read_text(encoding="ascii").strip())

    def _mac(self, sid: str) -> str:
        return hmac.new(self.secret(), sid.encode("ascii"), hashlib.sha256).hexdigest()

    def cookie_value(self, sid: str) -> str:
        return f"{sid}.{self._mac(sid)}"

    def _sid_of(self, cookie: str | None) -> str | None:
        """The session id of a well-formed cookie whose HMAC is right, else None."""
        if not cookie or len(cookie) > 200 or cookie.count(".") != 1:
            return None
        sid, mac = cookie.split(".")
        if not sid.isascii() or not mac.isascii():
            return None
        return sid if hmac.compare_digest(mac, self._mac(sid)) else None

    # ------------------------------------------------------------------------------------- the records
    def _read(self) -> dict[str, dict[str, Any]]:
        data = read_json(self.path)
        out: dict[str, dict[str, Any]] = {"sessions": {}, "handoffs": {}}
        for part in out:
            entries = data.get(part) if isinstance(data, dict) else None
            if isinstance(entries, dict):
                out[part] = {str(k): v for k, v in entries.items() if isinstance(v, dict)}
        return out

    def _prune(self, data: dict[str, dict[str, Any]], now: float) -> None:
        data["sessions"] = {k: v for k, v in data["sessions"].items() if self._alive(v, now)}
        if len(data["sessions"]) > MAX_SESSIONS:
            newest = sorted(data["sessions"].items(), key=lambda kv: kv[1].get("seen", 0.0), reverse=True)
            data["sessions"] = dict(newest[:MAX_SESSIONS])
        data["handoffs"] = {k: v for k, v in data["handoffs"].items() if float(v.get("expires", 0)) > now}

    @staticmethod
    def _alive(record: dict[str, Any], now: float) -> bool:
        try:
            created, seen = float(record["created"]), float(record["seen"])
        except (KeyError, TypeError, ValueError):
            return False
        return now - seen < IDLE and now - created < ABSOLUTE

    def _write(self, change: Callable[[dict[str, dict[str, Any]], float], Any]) -> Any:
        with self._memory_lock, file_lock(self.path):
            now = self.now()
            data = self._read()
            self._prune(data, now)
            result = change(data, now)
            write_json_atomically(self.path, data)
        return result

    def create(self, login: str, stamp: str, address: str | None) -> tuple[str, str]:
        """A new session for `login` and its one-time handoff token: (session id, token). The token can be
        redeemed once, within `HANDOFF_TTL`, from the same client address."""
        sid, token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)

        def change(data: dict[str, dict[str, Any]], now: float) -> None:
            data["sessions"][_digest(sid)] = {"login": login, "stamp": stamp, "created": now, "seen": now}
            data["handoffs"][_digest(token)] = {
                "sid": sid,
                "expires": now + HANDOFF_TTL,
                "address": _digest(address or "local"),
            }

        self._write(change)
        return sid, token

    def redeem(self, token: str | None, address: str | None) -> str | None:
        """The cookie value for a handoff token, once: a second use, an expired token, one from another
        address or for a session revoked since gives None."""
        if not token or len(token) > 200:
            return None

        def change(data: dict[str, dict[str, Any]], now: float) -> str | None:
            entry = data["handoffs"].pop(_digest(token), None)
            if entry is None or entry.get("address") != _digest(address or "local"):
                return None
            sid = str(entry.get("sid", ""))
            return sid if _digest(sid) in data["sessions"] else None

        sid = self._write(change)
        return self.cookie_value(sid) if sid else None

    def check(self, cookie: str | None) -> Session | None:
        """The live session of a cookie, or None (forged, unknown, revoked, idle too long, too old). A use
        moves the idle deadline on (written at most every `TOUCH_EVERY` seconds)."""
        sid = self._sid_of(cookie)
        if sid is None:
            return None
        return self.check_sid(sid)

    def check_sid(self, sid: str) -> Session | None:
        key = _digest(sid)
        now = self.now()
        record = self._read()["sessions"].get(key)
        if record is None or not self._alive(record, now):
            return None
        if now - float(record["seen"]) >= TOUCH_EVERY:

            def touch(data: dict[str, dict[str, Any]], now: float) -> None:
                if key in data["sessions"]:
                    data["sessions"][key]["seen"] = now

            self._write(touch)
        return Session(sid, str(record.get("login", "")), str(record.get("stamp", "")))

    def revoke(self, sid: str | None) -> None:
        """End a session (signing out): every tab with its cookie is signed out at its next run."""
        if not sid:
            return

        def change(data: dict[str, dict[str, Any]], now: float) -> None:
            data["sessions"].pop(_digest(sid), None)
            data["handoffs"] = {k: v for k, v in data["handoffs"].items() if v.get("sid") != sid}

        self._write(change)

    def revoke_login(self, login: str) -> int:
        """End every session of a login (for the command line); how many there were."""

        def change(data: dict[str, dict[str, Any]], now: float) -> int:
            ended = [k for k, v in data["sessions"].items() if v.get("login") == login]
            for key in ended:
                del data["sessions"][key]
            return len(ended)

        return int(self._write(change))


def client_address(host: str | None) -> str | None:
    """The client address as `st.context.ip_address` gives it: None for a local connection."""
    return None if not host or host in {"127.0.0.1", "::1"} else host

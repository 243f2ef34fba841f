"""Identity and roles (interfaces.md, «Roles and what each may see»).

The lowest layer of the app: the query layer takes a `User` and enforces the role rules; the user store
(`auth.users`), the sign-in forms and the command line produce one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ROLES = ("admin", "head", "methodist", "director")
Role = Literal["admin", "head", "methodist", "director"]


@dataclass(frozen=True)
class User:
    """Who is asking. Roles (interfaces.md): admin, head, methodist, director (bound to one inst_id)."""

    login: str
    role: Role
    inst_id: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role == "director" and not self.inst_id:
            raise ValueError("a director is bound to one institution (inst_id)")

    @property
    def person_scope(self) -> str | None:
        """The only institution whose person-level data this user may see; None means every institution."""
        return self.inst_id if self.role == "director" else None


# until logins arrive the app runs as this user (the demo warehouse says so on every page)
DEMO_USER = User(login="demo", role="admin")

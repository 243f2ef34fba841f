"""What a note is made of: paragraphs of text and numbers (each number a `Num` with the `Ref` of its mart
value), headings, tables, figures; the note's scope and who may see people's names."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from auth.identity import User
from reports import docx_builder as dx


class NoteError(Exception):
    """A note cannot be written as asked (the message is in Russian, for the user)."""


class NoteInputError(NoteError, ValueError):
    """An unknown period, area, institution type or institution."""


class NoteAccessError(NoteError, PermissionError):
    """The user may not write this note (a director asking about another institution or the city)."""


# ----------------------------------------------------------------------------------------- the model
@dataclass(frozen=True)
class NoteScope:
    """What the note is about: a municipality (None: the only one of the warehouse, or the whole region),
    optionally one institution type, or one institution."""

    municipality: str | None = None
    inst_type: str | None = None
    inst_id: str | None = None


@dataclass(frozen=True)
class Point:
    """One row of mart.indicator_values."""

    code: str
    period: str
    level: str  # institution | municipality | region
    municipality: str | None
    inst_type: str  # the institution's type, or 'all' / a type on aggregate rows
    inst_id: str | None = None
    subject: str | None = None  # the results area's breakdown (a subject code or 'all'); NULL elsewhere
    grade: int | None = None


@dataclass(frozen=True)
class Ref:
    """Where a printed number comes from.

    kind `value` — fmt.value(point's value, unit); `number` — the same without the unit (a noun follows);
    `delta` — fmt.delta(point, base, unit) (`what="bare"`: without the unit, a noun follows);
    `target` — fmt.value(the catalogue target of indicator `what`, its unit);
    `count` — fmt.integer of a count named by `what` with `args`: `above`/`below` (institutions of the scope
    above/below the value for their type), `registry`, `submitted`, `quarantined`, `warnings`,
    `target_missed` (institutions whose value misses the indicator's target); planning.py's `need_people`
    (people of P who named a need, in a form or any), `young`, `young_with_mentor`, `young_without_mentor`;
    `flag` — the message_ru of the mart.result_flags row `args` = (period, inst_id, flag, subject, grade).
    """

    kind: str
    point: Point | None = None
    base: Point | None = None
    what: str = ""
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Num:
    text: str
    ref: Ref


Segment = str | Num


@dataclass(frozen=True)
class Paragraph:
    segments: tuple[Segment, ...]
    kind: str = "body"  # body | bullet | note
    lead: str = ""  # a bold run-in lead («Образование.»)

    @property
    def body(self) -> str:
        return "".join(s.text if isinstance(s, Num) else s for s in self.segments)

    @property
    def text(self) -> str:
        """The paragraph exactly as the DOCX prints it."""
        marker = "– " if self.kind == "bullet" else ""
        lead = f"{self.lead} " if self.lead else ""
        return f"{marker}{lead}{self.body}"

    @property
    def numbers(self) -> list[Num]:
        return [s for s in self.segments if isinstance(s, Num)]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True, eq=False)
class TableBlock:
    caption: str
    frame: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)
    dates: tuple[str, ...] = ()
    note: str | None = None
    bold_last_row: bool = False
    personal: bool = False
    font_pt: float = dx.TABLE_PT


@dataclass(frozen=True, eq=False)
class FigureBlock:
    caption: str
    png: bytes


Block = Heading | Paragraph | TableBlock | FigureBlock


@dataclass(eq=False)
class Note:
    organisation: str
    title: str
    subtitle: str
    date: dt.date
    period: str
    compare_period: str | None
    areas: tuple[str, ...]
    scope: NoteScope
    scope_label: str
    is_demo: bool
    has_personal_data: bool
    blocks: list[Block] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        tail = self.scope.inst_id or self.scope.inst_type or ""
        stem = f"spravka_{self.period.replace('/', '-')}" + (f"_{tail}" if tail else "")
        return re.sub(r"[^A-Za-z0-9_.-]", "_", stem) + ".docx"

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def text(self) -> str:
        """The note as plain text (headings, paragraphs, table captions)."""
        lines = [self.organisation, self.title, self.subtitle]
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                lines.append(block.text)
            elif isinstance(block, TableBlock | FigureBlock):
                lines.append(block.caption)
        return "\n".join(lines)


# ----------------------------------------------------------------------------------------- access
def may_see_people(user: User, scope: NoteScope) -> bool:
    """Person-level lists: admin, head and methodist for any scope; a director for their own institution."""
    if user.person_scope is None:
        return True
    return scope.inst_id is not None and scope.inst_id == user.person_scope


def check_access(user: User, scope: NoteScope) -> None:
    """A director writes notes on their own institution only (interfaces.md: the institution's documents)."""
    if user.role == "director" and scope.inst_id != user.inst_id:
        raise NoteAccessError(
            "Руководитель организации может сформировать справку только по своей организации "
            f"({user.inst_id})."
        )

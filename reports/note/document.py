"""The whole note: the builder that writes the sections in order, the scope's resolution, the public
entry points (build_note_model, render_docx, build_note) and the on-screen preview."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import ParamSpec

import pandas as pd

from auth.identity import User
from reports import docx_builder as dx
from reports import russian as ru
from reports.note.facts import Subject, para
from reports.note.model import (
    FigureBlock,
    Heading,
    Note,
    NoteInputError,
    NoteScope,
    Paragraph,
    TableBlock,
    check_access,
)
from reports.note.planning import PlanningSection
from reports.note.words import (
    AREA_TOPIC_GENT,
    AREAS,
    DEFAULT_AREAS,
    DEFAULT_ORGANISATION,
    DOC_KIND,
    DRAFT_NOTE,
    INST_TYPES,
    NO_COMPARISON,
)
from ru import fmt
from warehouse import queries as q

P = ParamSpec("P")


class Builder(PlanningSection):
    """Writes one note: general information, a section per area, conclusions, appendices."""

    # -- the document
    def build(self) -> Note:
        self.general()
        for area in self.areas:
            self.area_section(area)
        self.conclusions_section()
        self.appendix_sections()
        self.blocks.append(para(DRAFT_NOTE, kind="note"))
        areas_gent = ru.join_and([AREA_TOPIC_GENT[a] for a in self.areas])
        subtitle = (
            f"по итогам мониторинга {areas_gent} {self.subject.orgs_gent()} "
            f"за {ru.period_phrase(self.period, 'accs')}"
        )
        return Note(
            organisation=self.organisation,
            title=DOC_KIND,
            subtitle=subtitle,
            date=self.today,
            period=self.period,
            compare_period=self.compare,
            areas=self.areas,
            scope=NoteScope(self.subject.municipality, self.subject.inst_type, self.subject.inst_id),
            scope_label=self.scope_label(),
            is_demo=self.is_demo,
            has_personal_data=bool(self.appendices),
            blocks=self.blocks,
        )


def _resolve(
    db_path: str,
    user: User,
    period: str,
    compare_period: str | None,
    areas: Iterable[str],
    scope: NoteScope,
) -> tuple[str | None, tuple[str, ...], Subject, list[str]]:
    state = q.warehouse_state(db_path, user)
    if not state.ready:
        raise NoteInputError(
            "Хранилище не содержит рассчитанных показателей: загрузите данные (python -m etl load) "
            f"или соберите демонстрационную базу (python -m etl demo). {state.detail}".strip()
        )
    periods = list(state.periods)
    if period not in periods:
        raise NoteInputError(f"Нет данных за {period}. Доступные учебные годы: {', '.join(periods)}.")
    if compare_period == NO_COMPARISON:
        compare: str | None = None
    elif compare_period is None:
        earlier = [p for p in periods if p < period]
        compare = earlier[-1] if earlier else None
    elif compare_period not in periods or compare_period == period:
        raise NoteInputError(
            f"Период сравнения {compare_period} недоступен. Доступные учебные годы: {', '.join(periods)}."
        )
    else:
        compare = compare_period
    wanted = list(dict.fromkeys(areas))
    unknown = [a for a in wanted if a not in AREAS]
    if unknown or not wanted:
        raise NoteInputError(
            f"Направления справки: {', '.join(AREAS)} (задано: {', '.join(wanted) or 'ничего'})."
        )
    ordered = tuple(a for a in AREAS if a in wanted)
    check_access(user, scope)
    registry = q.list_institutions(db_path, user)
    if scope.inst_id:
        row = registry[registry["inst_id"] == scope.inst_id]
        if row.empty:
            raise NoteInputError(f"Организация с кодом {scope.inst_id} не найдена в реестре.")
        r = row.iloc[0]
        subject = Subject(
            "institution", str(r["municipality"]), str(r["inst_type"]), scope.inst_id, str(r["short_name"])
        )
        return compare, ordered, subject, periods
    if scope.inst_type and scope.inst_type not in INST_TYPES:
        raise NoteInputError(f"Тип организаций: {', '.join(INST_TYPES)} (задано: {scope.inst_type}).")
    municipalities = sorted(set(registry["municipality"]))
    municipality = scope.municipality
    if municipality is None and len(municipalities) == 1:
        municipality = municipalities[0]
    if municipality is not None and municipality not in municipalities:
        raise NoteInputError(f"Муниципалитет «{municipality}» не найден в реестре.")
    kind = "type" if scope.inst_type else ("municipality" if municipality else "region")
    return compare, ordered, Subject(kind, municipality, scope.inst_type), periods


def parse_scope(text: str | None, municipality: str | None = None) -> NoteScope:
    """The command line's `--scope`: empty (or `municipality`) — the whole municipality; `school`,
    `preschool`, `additional` (or `type:…`) — one institution type; `inst:ID` or an institution code — one
    institution."""
    value = (text or "").strip()
    if value in ("", "municipality", "all"):
        return NoteScope(municipality=municipality)
    if value.startswith("type:"):
        return NoteScope(municipality=municipality, inst_type=value.removeprefix("type:"))
    if value in INST_TYPES:
        return NoteScope(municipality=municipality, inst_type=value)
    return NoteScope(municipality=municipality, inst_id=value.removeprefix("inst:"))


def build_note_model(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    compare_period: str | None = None,
    areas: Iterable[str] = DEFAULT_AREAS,
    scope: NoteScope = NoteScope(),
    *,
    organisation: str = DEFAULT_ORGANISATION,
    include_names: bool = False,
    today: dt.date | None = None,
    charts: bool = True,
) -> Note:
    """The note as a structure (headings, paragraphs with their numbers, tables, charts as PNG).

    `compare_period`: None compares with the previous period (if any), NO_COMPARISON with nothing.
    `include_names`: attach the lists of people due for training and attestation (an explicit choice, off by
    default: they are personal data) — only when the user may
    see them (admin, head, methodist; a director for their own institution). Raises NoteInputError for an
    unknown period, area, type or institution, NoteAccessError when the user may not write this note.
    """
    db = str(db_path)
    compare, ordered, subject, periods = _resolve(db, user, period, compare_period, areas, scope)
    builder = Builder(
        db,
        user,
        period,
        compare,
        ordered,
        scope,
        subject,
        periods,
        organisation=organisation,
        include_names=include_names,
        today=today or dt.date.today(),
        charts=charts,
    )
    return builder.build()


def render_docx(note: Note) -> bytes:
    """The note as a DOCX document (A4, Times New Roman, Russian formats; see reports/docx_builder.py)."""
    doc = dx.DocxReport(
        title=f"{note.title.capitalize()} {note.subtitle}", author=note.organisation, subject=note.scope_label
    )
    doc.title_block(
        note.organisation,
        note.title,
        subtitle=note.subtitle,
        lines=[f"Дата составления: {fmt.date(note.date)}"],
    )
    for block in note.blocks:
        if isinstance(block, Heading):
            if block.text.startswith("Приложение"):
                doc.page_break()
            doc.heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            runs: list[str | dx.Run] = []
            if block.kind == "bullet":
                runs.append("– ")
            if block.lead:
                runs.append(dx.Run(block.lead + " ", bold=True))
            runs.append(block.body)
            if block.kind == "note":
                doc.paragraph(runs, italic=True, size_pt=dx.CAPTION_PT)
            else:
                doc.paragraph(runs)
        elif isinstance(block, TableBlock):
            doc.table(
                block.frame,
                caption=block.caption,
                units=block.units,
                dates=block.dates,
                bold_last_row=block.bold_last_row,
                note=block.note,
                font_pt=block.font_pt,
            )
        elif isinstance(block, FigureBlock):
            doc.figure(block.png, caption=block.caption)
    doc.signature("Исполнитель: методист")
    return doc.to_bytes()


def _rendered(model: Callable[P, Note]) -> Callable[P, bytes]:
    """`model` with the note it builds rendered to DOCX bytes: the same arguments, type-checked the same way."""

    def build(*args: P.args, **kwargs: P.kwargs) -> bytes:
        return render_docx(model(*args, **kwargs))

    return build


# the DOCX bytes of the note (the arguments of build_note_model)
build_note = _rendered(build_note_model)


# ----------------------------------------------------------------------------------------- preview
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~$])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True, eq=False)
class PreviewItem:
    """One piece of the on-screen preview: `title`, `subtitle`, `heading`, `paragraph`, `note` (Markdown-safe
    text), `table` (its caption and a frame of display strings), `figure` (its caption and PNG bytes)."""

    kind: str
    text: str = ""
    level: int = 1
    frame: pd.DataFrame | None = None
    png: bytes = b""


def preview(note: Note) -> Iterator[PreviewItem]:
    """The note as the page shows it: the same text and the same formatted tables as the DOCX."""
    yield PreviewItem("title", _md(note.title))
    yield PreviewItem("subtitle", _md(note.subtitle))
    tables = figures = 0
    for block in note.blocks:
        if isinstance(block, Heading):
            yield PreviewItem("heading", _md(block.text), level=block.level)
        elif isinstance(block, Paragraph):
            marker = "– " if block.kind == "bullet" else ""
            lead = f"**{_md(block.lead)}** " if block.lead else ""
            text = f"{marker}{lead}{_md(block.body)}"
            yield PreviewItem("note" if block.kind == "note" else "paragraph", text)
        elif isinstance(block, TableBlock):
            tables += 1
            frame = dx.format_frame(block.frame, block.units, block.dates)
            yield PreviewItem("table", _md(f"Таблица {tables} – {block.caption}"), frame=frame)
        elif isinstance(block, FigureBlock):
            figures += 1
            yield PreviewItem("figure", f"Рисунок {figures} – {block.caption}", png=block.png)

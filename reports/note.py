"""The analytical note (аналитическая справка), written from the warehouse in Russian, as DOCX.

    note = build_note_model(db_path, user, "2024/2025")            # the structure: preview, tests
    data = render_docx(note)                                        # the DOCX bytes
    data = build_note(db_path, user, "2024/2025", scope=NoteScope(inst_id="BGR-S01"))   # both at once

The note follows the genre: a title block; «Общие сведения» (purpose, filters, reporting date, sources with
load dates, completeness of submissions, what the checks set aside); a section per area with narrative
paragraphs, tables and charts; conclusions; recommendations derived from rules; appendices with the lists of
people due for training and attestation when the user may see names.

Every number in the text is a `Num`: its printed form and a `Ref` saying which mart value (or which count)
it is, so that tests can recompute each one from the warehouse. Values are printed by the dashboards'
formats (ru/fmt.py); numerals agree with their nouns through reports/russian.py. The data comes through the
dashboards' query layer (warehouse/queries.py) and warehouse/note_queries.py, with the user passed down:
person-level lists are restricted there, and a director may write a note on their own institution only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from auth.identity import User
from etl import contract
from reports import docx_builder as dx
from reports import russian as ru
from ru import fmt
from warehouse import catalog as cat
from warehouse import note_queries as nq
from warehouse import queries as q

AREAS = cat.AREAS
INST_TYPES = q.INST_TYPES
NO_COMPARISON = "none"

# ----------------------------------------------------------------------------------------- the words
DEFAULT_ORGANISATION = "МКУ «Информационно-методический центр»"
DOC_KIND = "АНАЛИТИЧЕСКАЯ СПРАВКА"
AREA_TOPIC_GENT = {
    "staff": "кадрового обеспечения",
    "ict": "информатизации",
    "innovation": "инновационной деятельности",
}
AREA_TOPIC_NOMN = {
    "staff": "кадровое обеспечение",
    "ict": "информатизация",
    "innovation": "инновационная деятельность",
}
# the noun phrase of each institution type, in the dictionary form (inflected by reports/russian.py)
TYPE_PHRASE = {
    "school": "общеобразовательная организация",
    "preschool": "дошкольная образовательная организация",
    "additional": "организация дополнительного образования",
}
ANY_TYPE_PHRASE = "образовательная организация"
DATASET_ABOUT = {
    "staff": "о педагогических работниках",
    "ict": "об информатизации",
    "innovation": "об инновационной деятельности",
}
# the datasets each area is computed from (innovation shares need staff and pupils as well)
AREA_DATASETS = {"staff": ("staff",), "ict": ("ict",), "innovation": ("innovation",)}
REGION_PHRASE = "региона"
# the paragraphs of an area: a run-in lead and the indicators it speaks of, in order; indicators of the area
# that no theme lists are spoken of in a last paragraph
THEMES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "staff": (
        ("Численность.", ("STAFF_COUNT", "STAFF_YOUNG_SPECIALISTS", "STAFF_STUDENTS_PER_PED")),
        ("Образование.", ("STAFF_HIGHER_EDU", "STAFF_HIGHER_PED_EDU")),
        (
            "Квалификационные категории.",
            ("STAFF_CAT_HIGHEST", "STAFF_CAT_FIRST", "STAFF_CAT_ANY", "STAFF_ATTESTATION_DUE"),
        ),
        ("Повышение квалификации.", ("STAFF_TRAINED_3Y", "STAFF_ICT_TRAINED", "STAFF_TRAINING_DUE")),
        (
            "Возраст и стаж.",
            ("STAFF_UNDER_35", "STAFF_55_PLUS", "STAFF_MEAN_AGE", "STAFF_EXP_UNDER_5", "STAFF_EXP_OVER_30"),
        ),
    ),
    "ict": (
        (
            "Компьютерная техника.",
            (
                "ICT_PC_LEARNING_PER_100",
                "ICT_PC_LEARNING_INTERNET_PER_100",
                "ICT_PC_INTERNET_SHARE",
                "ICT_INTERACTIVE_PER_100",
            ),
        ),
        ("Оснащение кабинетов и подключение к сети Интернет.", ("ICT_WORKSTATION_ROOMS", "ICT_SPEED_TARGET")),
        ("Цифровые сервисы.", ("ICT_EJOURNAL", "ICT_DISTANCE", "ICT_READINESS_INDEX")),
    ),
    "innovation": (
        ("Инновационные площадки и проекты.", ("INNO_SITES", "INNO_ORGS_WITH_SITE", "INNO_PROJECTS")),
        ("Методическая работа.", ("INNO_EVENTS", "INNO_PUBLICATIONS")),
        (
            "Конкурсы и олимпиады.",
            ("INNO_STAFF_CONTEST_PER_100", "INNO_STAFF_CONTEST_WINNERS", "INNO_STUDENT_WINNERS_PER_100"),
        ),
    ),
}
OTHER_THEME = "Другие показатели."
# the charts of an area: institutions ranked on one indicator, and a trend of indicators of one unit
RANK_CHART = {
    "staff": "STAFF_CAT_ANY",
    "ict": "ICT_READINESS_INDEX",
    "innovation": "INNO_STAFF_CONTEST_PER_100",
}
TREND_CHART = {
    "staff": ("STAFF_CAT_ANY", "STAFF_CAT_HIGHEST", "STAFF_TRAINED_3Y"),
    "ict": ("ICT_SPEED_TARGET", "ICT_WORKSTATION_ROOMS", "ICT_PC_INTERNET_SHARE"),
    "innovation": ("INNO_SITES", "INNO_PROJECTS", "INNO_EVENTS", "INNO_PUBLICATIONS"),
}
# at most this many institutions are named in a sentence; a longer list points to the table instead
MAX_NAMED = 8
# institutions missing a target are named up to this many (a methodologist needs the list)
MAX_NAMED_TARGET = 15
# how many institutions are named as the best and the furthest behind on a key indicator
NAMED_EXTREMES = 3
# changes that make the conclusions: shares by at least 1 п.п., other indicators by at least 5 %
SIGNIFICANT_PP = 1.0
SIGNIFICANT_RELATIVE = 0.05
# a training plan is urgent when at least this share of the pedagogical staff is due
TRAINING_URGENT_SHARE = 0.2
PERSONAL_DATA_NOTE = (
    "Приложение содержит персональные данные (Федеральный закон от 27.07.2006 № 152-ФЗ «О персональных "
    "данных»): используется для планирования аттестации и повышения квалификации, не подлежит размещению "
    "в открытом доступе и пересылке за пределы органа управления образованием."
)
APPENDIX_TITLES = {
    "training": "Педагогические работники, которым необходимо повышение квалификации в ближайшие 12 месяцев",
    "attestation": (
        "Педагогические работники, у которых срок действия квалификационной категории истекает в ближайшие "
        "12 месяцев"
    ),
}
DEMO_NOTE = "Справка сформирована по демонстрационным данным: организации и работники вымышлены."
DRAFT_NOTE = (
    "Справка подготовлена автоматически по данным системы мониторинга (черновик): числовые значения взяты "
    "из хранилища без изменений, формулировки выводов и рекомендаций подлежат проверке методистом."
)
MISSING_NOTE = "«—» — нет данных (организация не представила сведения за период)."


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


@dataclass(frozen=True)
class Ref:
    """Where a printed number comes from.

    kind `value` — fmt.value(point's value, unit); `number` — the same without the unit (a noun follows);
    `delta` — fmt.delta(point, base, unit) (`what="bare"`: without the unit, a noun follows);
    `target` — fmt.value(the catalogue target of indicator `what`, its unit);
    `count` — fmt.integer of a count named by `what` with `args`: `above`/`below` (institutions of the scope
    above/below the value for their type), `registry`, `submitted`, `quarantined`, `warnings`,
    `target_missed` (institutions whose value misses the indicator's target).
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


# ----------------------------------------------------------------------------------------- helpers
def _indicators(areas: Iterable[str]) -> list[cat.Indicator]:
    wanted = set(areas)
    return [i for i in cat.load_catalog() if i.area in wanted]


# units the narrative spells as an agreeing noun («41,9 года», «68,1 балла») instead of an abbreviation
_UNIT_NOUN = {"лет": "год", "балл": "балл", "балл 0–100": "балл"}


def _is_index(ind: cat.Indicator) -> bool:
    return ind.unit.startswith("балл")


def _unit_header(ind: cat.Indicator) -> str:
    unit = "баллы" if _is_index(ind) else ind.unit
    return f"{ind.name_ru}, {unit}"


def _meets(value: float, ind: cat.Indicator) -> bool:
    assert ind.target is not None
    return value <= ind.target if ind.direction == "down" else value >= ind.target


def _significant(current: float, previous: float, ind: cat.Indicator) -> bool:
    """A change worth a conclusion: at least SIGNIFICANT_PP п.п. for a share, SIGNIFICANT_RELATIVE of the
    previous value for anything else."""
    change = current - previous
    if ind.unit == "%":
        return abs(change) >= SIGNIFICANT_PP
    if previous == 0:
        return change != 0
    return abs(change) / abs(previous) >= SIGNIFICANT_RELATIVE


def _better(change: float, direction: str) -> bool | None:
    if direction == "up":
        return change > 0
    if direction == "down":
        return change < 0
    return None


def _f(value: Any) -> float | None:
    return None if fmt.is_missing(value) else float(value)


def _flatten(parts: Iterable[Segment | Sequence[Segment] | None]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, str | Num):
            out.append(part)
        else:
            out.extend(part)
    # merge neighbouring strings (the text is the same; the model is smaller)
    merged: list[Segment] = []
    for seg in out:
        if isinstance(seg, str) and merged and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + seg
        elif seg != "":
            merged.append(seg)
    return tuple(merged)


def para(*parts: Segment | Sequence[Segment] | None, kind: str = "body", lead: str = "") -> Paragraph:
    return Paragraph(_flatten(parts), kind=kind, lead=lead)


def _subject(name: str) -> str:
    """An indicator name as the subject of a sentence: a participial clause it ends with is closed by a
    comma («Доля ПК, имеющих доступ к Интернету, составила …»)."""
    outside = re.sub(r"\([^)]*\)", "", name)
    return name + "," if outside.count(",") % 2 == 1 else name


def _names(names: Sequence[str]) -> str:
    return ", ".join(names)


@dataclass(frozen=True)
class _Subject:
    """The resolved scope: what the aggregate rows are and how the note names it."""

    kind: str  # municipality | region | type | institution
    municipality: str | None
    inst_type: str | None
    inst_id: str | None = None
    inst_name: str | None = None

    @property
    def agg_level(self) -> str:
        return "municipality" if self.municipality else "region"

    @property
    def place(self) -> str:
        """«г. Бугуруслан» or «региона» (after a noun in the genitive)."""
        return self.municipality or REGION_PHRASE

    def point(self, code: str, period: str) -> Point:
        if self.inst_id:
            return Point(code, period, "institution", self.municipality, self.inst_type or "", self.inst_id)
        return Point(code, period, self.agg_level, self.municipality, self.inst_type or q.ALL_TYPES)

    def type_point(self, code: str, period: str, inst_type: str | None) -> Point:
        """The aggregate of one type (or all types) in the scope's municipality (or the region)."""
        return Point(code, period, self.agg_level, self.municipality, inst_type or q.ALL_TYPES)

    def orgs_gent(self) -> str:
        """«образовательных организаций г. Бугуруслан», «МОБУ «СОШ № 1»»."""
        if self.inst_name:
            return self.inst_name
        phrase = TYPE_PHRASE[self.inst_type] if self.inst_type else ANY_TYPE_PHRASE
        return f"{ru.inflect(phrase, 'gent', plural=True)} {self.place}"


def _type_datv(inst_type: str | None, place: str) -> str:
    """«общеобразовательным организациям г. Бугуруслан» (after «по»)."""
    phrase = TYPE_PHRASE[inst_type] if inst_type else ANY_TYPE_PHRASE
    return f"{ru.inflect(phrase, 'datv', plural=True)} {place}"


# ----------------------------------------------------------------------------------------- the facts
class _Facts:
    """Every mart value the note may print, fetched once through the query layer and indexed by Point."""

    def __init__(
        self,
        db_path: str,
        user: User,
        subject: _Subject,
        periods: list[str],
        period: str,
        compare: str | None,
        codes: list[str],
    ) -> None:
        self.values: dict[Point, float | None] = {}
        self.subject = subject
        self.periods = [p for p in periods if p <= period]
        mun, level = subject.municipality, subject.agg_level
        types: list[str | None] = [None, subject.inst_type] if subject.inst_type else [None, *INST_TYPES]
        for inst_type in dict.fromkeys(types):
            frame = q.aggregate_series(db_path, user, codes, mun, inst_type)
            for p, code, value in zip(frame["period"], frame["indicator_code"], frame["value"], strict=True):
                self.values[Point(code, p, level, mun, inst_type or q.ALL_TYPES)] = _f(value)
        # the units the scope's aggregate is made of: institutions of a municipality, or municipalities
        self.units: dict[str, pd.DataFrame] = {}
        scope_periods = [p for p in (period, compare) if p]
        if subject.inst_id:
            frame = q.institution_series(db_path, user, subject.inst_id, codes)
            for p, code, value in zip(frame["period"], frame["indicator_code"], frame["value"], strict=True):
                self.values[subject.point(code, p)] = _f(value)
        peer_type = subject.inst_type
        for p in scope_periods:
            if mun:
                frame = q.institution_values(db_path, user, p, codes, mun, peer_type)
                frame = frame.rename(columns={"inst_id": "unit_id", "short_name": "unit_name"})
                for row in frame.itertuples(index=False):
                    if isinstance(row.indicator_code, str):
                        point = Point(
                            row.indicator_code, p, "institution", mun, str(row.inst_type), str(row.unit_id)
                        )
                        self.values[point] = _f(row.value)
            else:
                frame = q.municipality_values(db_path, user, p, codes, peer_type)
                frame = frame.assign(
                    unit_id=frame["municipality"],
                    unit_name=frame["municipality"],
                    inst_type=peer_type or q.ALL_TYPES,
                )
                for row in frame.itertuples(index=False):
                    point = Point(
                        str(row.indicator_code), p, "municipality", str(row.unit_id), str(row.inst_type)
                    )
                    self.values[point] = _f(row.value)
            self.units[p] = frame

    def value(self, point: Point | None) -> float | None:
        return None if point is None else self.values.get(point)

    def unit_point(self, row: Any, code: str, period: str) -> Point:
        if self.subject.municipality:
            return Point(code, period, "institution", self.subject.municipality, row.inst_type, row.unit_id)
        return Point(code, period, "municipality", row.unit_id, row.inst_type)

    def unit_reference(self, unit_type: str, code: str, period: str) -> Point:
        """What a unit is compared with: its type's aggregate in the municipality (institutions), or the
        region's aggregate of the scope's type (municipalities)."""
        if self.subject.municipality:
            return self.subject.type_point(code, period, unit_type)
        return self.subject.type_point(code, period, self.subject.inst_type)

    def is_binary(self, code: str, period: str) -> bool:
        """Whether the indicator is a yes/no per unit (every value 0 or 100 %)."""
        values = self.unit_rows(code, period)["value"]
        return len(values) > 0 and bool(values.isin([0.0, 100.0]).all())

    def unit_rows(self, code: str, period: str) -> pd.DataFrame:
        """unit_id, unit_name, inst_type, value of one indicator (units without a value left out)."""
        frame = self.units.get(period)
        if frame is None or frame.empty:
            return pd.DataFrame(columns=["unit_id", "unit_name", "inst_type", "value"])
        rows = frame[frame["indicator_code"] == code]
        rows = rows[rows["value"].notna()]
        return rows[["unit_id", "unit_name", "inst_type", "value"]].reset_index(drop=True)


# ----------------------------------------------------------------------------------------- the builder
class _Builder:
    def __init__(
        self,
        db_path: str,
        user: User,
        period: str,
        compare: str | None,
        areas: tuple[str, ...],
        scope: NoteScope,
        subject: _Subject,
        periods: list[str],
        *,
        organisation: str,
        include_names: bool,
        today: dt.date,
        charts: bool,
    ) -> None:
        self.db = db_path
        self.user = user
        self.period = period
        self.compare = compare
        self.areas = areas
        self.scope = scope
        self.subject = subject
        self.organisation = organisation
        self.today = today
        self.charts = charts
        self.indicators = _indicators(areas)
        self.by_code = {i.code: i for i in self.indicators}
        self.facts = _Facts(
            db_path, user, subject, periods, period, compare, [i.code for i in self.indicators]
        )
        self.people = include_names and "staff" in areas and may_see_people(user, scope)
        self.blocks: list[Block] = []
        self.conclusions: list[Paragraph] = []
        self.recommendations: list[Paragraph] = []
        self.appendices: list[tuple[str, str]] = []  # (kind, title)
        self.section = 0
        settings = q.methodology_settings(db_path, user)
        self.report_date = q.reporting_date(period, settings)
        state = q.warehouse_state(db_path, user)
        self.is_demo = state.is_demo
        self.submitted = nq.submissions(
            db_path, user, period, subject.municipality, subject.inst_type, subject.inst_id
        )

    # -- numbers
    def value_segs(self, point: Point, ind: cat.Indicator, case: str = "nomn") -> list[Segment]:
        v = self.facts.value(point)
        noun = _UNIT_NOUN.get(ind.unit)
        if noun and v is not None:
            text = fmt.number(v, fmt.decimals_for(v, ind.unit))
            return [Num(text, Ref("number", point)), f"{fmt.NBSP}{ru.agree(text, noun, case)}"]
        return [Num(fmt.value(v, ind.unit), Ref("value", point))]

    def delta_segs(self, point: Point, base: Point, ind: cat.Indicator) -> list[Segment]:
        text = fmt.delta(self.facts.value(point), self.facts.value(base), ind.unit) or fmt.MISSING
        segs: list[Segment] = [Num(text, Ref("delta", point, base))]
        noun = _UNIT_NOUN.get(ind.unit)
        if noun and text != fmt.MISSING:
            # fmt.delta prints these units without a suffix (index points) or with «лет»; the noun agrees
            text = text.removesuffix(fmt.unit_suffix(ind.unit))
            segs = [Num(text, Ref("delta", point, base, what="bare")), f"{fmt.NBSP}{ru.agree(text, noun)}"]
        return segs

    def target_segs(self, ind: cat.Indicator) -> list[Segment]:
        return [Num(fmt.value(ind.target, ind.unit), Ref("target", what=ind.code))]

    def count_segs(
        self, n: int, phrase: str, what: str, args: tuple[Any, ...], case: str = "nomn"
    ) -> list[Segment]:
        return [
            Num(fmt.integer(n), Ref("count", what=what, args=args)),
            f"{fmt.NBSP}{ru.agree(n, phrase, case)}",
        ]

    def count_num(self, n: int, what: str, args: tuple[Any, ...]) -> Num:
        return Num(fmt.integer(n), Ref("count", what=what, args=args))

    def scope_args(self) -> tuple[Any, ...]:
        s = self.subject
        return (s.municipality, s.inst_type, s.inst_id)

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

    def heading(self, text: str) -> None:
        self.section += 1
        self.blocks.append(Heading(f"{self.section}. {text}"))

    def scope_label(self) -> str:
        s = self.subject
        if s.inst_name:
            return s.inst_name
        if s.inst_type:
            return f"{ru.inflect(TYPE_PHRASE[s.inst_type], 'nomn', plural=True)} {s.place}"
        return f"все образовательные организации {s.place}"

    # -- 1. general
    def general(self) -> None:
        self.heading("Общие сведения")
        s = self.subject
        topics = ru.join_and([AREA_TOPIC_GENT[a] for a in self.areas])
        compare_text = f" в сравнении с {ru.period_phrase(self.compare, 'ablt')}" if self.compare else ""
        self.blocks.append(
            para(
                f"Цель: анализ {topics} {s.orgs_gent()} по итогам мониторинга "
                f"за {ru.period_phrase(self.period, 'accs')}{compare_text}; выявление организаций, требующих "
                "методической поддержки, и планирование работы с педагогическими кадрами."
            )
        )
        names = "включены (приложения)" if self.people else "не включены"
        self.blocks.append(
            para(
                f"Параметры справки: период — {ru.period_phrase(self.period)}; период сравнения — "
                f"{ru.period_phrase(self.compare) if self.compare else 'не задан'}; направления — "
                f"{', '.join(AREA_TOPIC_NOMN[a] for a in self.areas)}; охват — {self.scope_label()}; "
                f"поимённые списки — {names}. Дата среза — {fmt.date(self.report_date)}: возраст, стаж и "
                "сроки аттестации и повышения квалификации рассчитаны на эту дату."
            )
        )
        if not s.inst_id:
            self.blocks.append(self.registry_paragraph())
        self.blocks.append(
            para(
                "Источники данных: ",
                "; ".join(
                    f"{contract.DATASETS[d].title_ru.lower()} (форма «{contract.DATASETS[d].title_ru}»)"
                    for d in self.datasets()
                ),
                ", представленные образовательными организациями и загруженные в хранилище системы "
                "мониторинга после автоматической проверки. Показатели рассчитаны по методике, приведённой "
                "в справочнике показателей системы (суммированием числителей и знаменателей по организациям, "
                "без усреднения долей).",
            )
        )
        self.sources_table()
        self.blocks.append(self.completeness_paragraph())
        self.blocks.append(self.quality_paragraph())
        if self.is_demo:
            self.blocks.append(para(DEMO_NOTE, kind="note"))

    def datasets(self) -> list[str]:
        out: list[str] = []
        for area in self.areas:
            out.extend(AREA_DATASETS[area])
        return list(dict.fromkeys(out))

    def registry_paragraph(self) -> Paragraph:
        s = self.subject
        frame = self.submitted
        total = len(frame)
        segs: list[Segment] = [
            "Охват: ",
            *self.count_segs(total, ANY_TYPE_PHRASE, "registry", (s.municipality, s.inst_type, None)),
            " по реестру",
        ]
        if not s.inst_type:
            parts: list[list[Segment]] = []
            for t in INST_TYPES:
                n = int((frame["inst_type"] == t).sum())
                if n:
                    parts.append(
                        [
                            f"{ru.inflect(TYPE_PHRASE[t], 'nomn', plural=True)} — ",
                            self.count_num(n, "registry", (s.municipality, t, None)),
                        ]
                    )
            if parts:
                segs.append(" (")
                for i, part in enumerate(parts):
                    segs.extend(([", "] if i else []) + part)
                segs.append(")")
        segs.append(".")
        return para(segs)

    def sources_table(self) -> None:
        s = self.subject
        files = nq.source_files(self.db, self.user, self.period, s.municipality, s.inst_type, s.inst_id)
        wanted = {"institutions", *self.datasets()}
        files = files[files["dataset"].isin(wanted)]
        if files.empty:
            return
        statuses = {"loaded": "загружен", "partial": "загружен частично", "duplicate": "повтор"}
        frame = pd.DataFrame(
            {
                "Набор данных": [contract.DATASETS[d].title_ru for d in files["dataset"]],
                "Файл": files["source_file"].tolist(),
                "Дата загрузки": [v.date() if not fmt.is_missing(v) else None for v in files["loaded_at"]],
                "Строк в справке": [int(v) for v in files["rows"]],
                "Состояние": [
                    statuses.get(str(v), str(v)) if not fmt.is_missing(v) else "—" for v in files["status"]
                ],
            }
        )
        self.blocks.append(
            TableBlock(
                caption=f"Загруженные файлы, данные которых использованы в справке ({ru.period_phrase(self.period)})",
                frame=frame,
                dates=("Дата загрузки",),
                units={"Строк в справке": "ед."},
                font_pt=11,
            )
        )

    def completeness_paragraph(self) -> Paragraph:
        s = self.subject
        frame = self.submitted
        total = len(frame)
        segs: list[Segment] = ["Полнота сведений за ", ru.period_phrase(self.period, "accs"), ": "]
        for i, dataset in enumerate(self.datasets()):
            n = int(frame[dataset].sum())
            args = (dataset, self.period, s.municipality, s.inst_type, s.inst_id)
            if i:
                segs.append("; ")
            if s.inst_id:
                segs.append(f"сведения {DATASET_ABOUT[dataset]} {'представлены' if n else 'не представлены'}")
                continue
            segs += [
                f"сведения {DATASET_ABOUT[dataset]} {ru.verb(n, 'представил', 'организация')} ",
                *self.count_segs(n, "организация", "submitted", args),
                " из ",
                self.count_num(total, "registry", (s.municipality, s.inst_type, None)),
            ]
            missing = frame.loc[~frame[dataset], "short_name"].tolist()
            if missing and dataset != "innovation":
                shown = missing if len(missing) <= MAX_NAMED else missing[:MAX_NAMED] + ["…"]
                segs.append(f" (не {'представили' if len(missing) > 1 else 'представила'}: {_names(shown)})")
        segs.append(".")
        if "innovation" in self.datasets() and not s.inst_id:
            segs.append(
                " Организация, не представившая сведений об инновационной деятельности, учитывается "
                "с нулевыми значениями."
            )
        return para(segs)

    def quality_paragraph(self) -> Paragraph:
        s = self.subject
        counts = nq.quality_counts(self.db, self.user, self.period, s.municipality, s.inst_type, s.inst_id)
        args = (self.period, s.municipality, s.inst_type, s.inst_id)
        segs: list[Segment] = ["Качество данных: "]
        n = counts["quarantined"]
        if n:
            segs += [
                "при загрузке ",
                *self.count_segs(n, "строка", "quarantined", args),
                f" с ошибками {ru.verb(n, 'помещён', 'строка')} в карантин и в показателях не "
                f"{ru.verb(n, 'учтён', 'строка')}",
            ]
        else:
            segs.append("строк с ошибками, помещённых в карантин, нет")
        unknown = counts["unknown_institution"]
        if unknown and not s.inst_id and not s.inst_type:
            segs += [
                "; кроме того, в карантине ",
                *self.count_segs(unknown, "строка", "unknown_institution", (self.period,)),
                " с кодом организации, которого нет в реестре",
            ]
        w = counts["warnings"]
        if w:
            segs += [
                "; ",
                ru.verb(w, "зарегистрирован", "предупреждение"),
                " ",
                *self.count_segs(w, "предупреждение", "warnings", args),
                " (резкие изменения численности, нетипичные значения, непредставленные сведения) — "
                "значения показателей по этим организациям рекомендуется уточнить",
            ]
        else:
            segs.append("; предупреждений о нетипичных значениях нет")
        segs.append(".")
        return para(segs)

    # -- an area
    def area_section(self, area: str) -> None:
        area_name = next(a.name_ru for a in cat.load_areas() if a.code == area)
        self.heading(area_name)
        inds = [i for i in self.indicators if i.area == area]
        available = [i for i in inds if self.has_value(i)]
        if not available:
            self.blocks.append(
                para(f"Сведений за {ru.period_phrase(self.period, 'accs')} по направлению нет.")
            )
            return
        listed: set[str] = set()
        for lead, codes in THEMES.get(area, ()):
            found = [
                self.indicator_sentence(self.by_code[c])
                for c in codes
                if c in self.by_code and not self.yes_no(self.by_code[c])
            ]
            listed.update(codes)
            sentences = [s for s in found if s]
            if sentences:
                self.blocks.append(para(*_join_sentences(sentences), lead=lead))
        others = [self.indicator_sentence(i) for i in inds if i.code not in listed and not self.yes_no(i)]
        rest = [s for s in others if s]
        if rest:
            self.blocks.append(para(*_join_sentences(rest), lead=OTHER_THEME))
        conditions = self.conditions_paragraph(inds)
        if conditions:
            self.blocks.append(conditions)
        if area == "ict" and not self.subject.inst_id:
            missing = self.submitted.loc[~self.submitted["ict"], "short_name"].tolist()
            if missing:
                self.blocks.append(
                    para(
                        "Показатели информатизации рассчитаны без учёта организаций, не представивших "
                        f"сведения: {_names(missing)}."
                    )
                )
        if area == "innovation":
            self.innovation_sites()
        self.summary_table(area, inds)
        if self.subject.inst_id:
            self.institution_comparison(area, inds)
        else:
            for ind in inds:
                if ind.key and ind.direction in ("up", "down") and ind.kind != "count":
                    paragraph = self.spread_paragraph(ind)
                    if paragraph:
                        self.blocks.append(paragraph)
            for ind in inds:
                if ind.target is not None:
                    paragraph = self.target_paragraph(ind)
                    if paragraph:
                        self.blocks.append(paragraph)
            self.units_table(area, inds)
        if area == "innovation":
            self.contests_table()
        if self.charts:
            self.area_charts(area)
        self.area_conclusions(area, inds)

    def yes_no(self, ind: cat.Indicator) -> bool:
        """A share over institutions, in a note on one institution: 100 % or 0 % says yes or no."""
        return (
            bool(self.subject.inst_id) and ind.kind == "share" and self.facts.is_binary(ind.code, self.period)
        )

    def conditions_paragraph(self, inds: list[cat.Indicator]) -> Paragraph | None:
        """For one institution, the yes/no indicators («доля организаций, …») as conditions met or not."""
        met: list[str] = []
        unmet: list[str] = []
        for ind in inds:
            if not self.yes_no(ind):
                continue
            v = self.facts.value(self.subject.point(ind.code, self.period))
            if v is None:
                continue
            (met if v >= 100.0 else unmet).append(f"«{ru.lower_first(ind.name_ru)}»")
        if not met and not unmet:
            return None
        parts = []
        if met:
            parts.append(f"выполнены условия показателей {_names(met)}")
        if unmet:
            parts.append(f"не выполнены условия показателей {_names(unmet)}")
        return para(f"В {ru.period_phrase(self.period, 'loc2')} в организации " + "; ".join(parts) + ".")

    def has_value(self, ind: cat.Indicator) -> bool:
        s = self.subject
        points = [s.point(ind.code, self.period)]
        if self.compare:
            points.append(s.point(ind.code, self.compare))
        return any(self.facts.value(p) is not None for p in points)

    def indicator_sentence(self, ind: cat.Indicator) -> list[Segment] | None:
        s = self.subject
        cur = s.point(ind.code, self.period)
        v = self.facts.value(cur)
        prev = s.point(ind.code, self.compare) if self.compare else None
        pv = self.facts.value(prev)
        if v is None and pv is None:
            return None
        if v is None:
            return [f"{ind.name_ru}: нет данных за {ru.period_phrase(self.period, 'accs')}."]
        segs: list[Segment] = [
            _subject(ind.name_ru),
            " ",
            ru.predicate(ind.name_ru),
            " ",
            *self.value_segs(cur, ind),
        ]
        if prev is not None and self.compare:
            if pv is None:
                segs.append(f" (за {ru.period_phrase(self.compare, 'accs')} данных нет)")
            else:
                segs += [
                    f" (в {ru.period_phrase(self.compare, 'loc2')} — ",
                    *self.value_segs(prev, ind),
                    ", ",
                    *self.delta_segs(cur, prev, ind),
                    ")",
                ]
        if s.inst_id and ind.kind != "count":
            # a count of one institution is not comparable with the sum over its type
            ref = s.type_point(ind.code, self.period, s.inst_type)
            if self.facts.value(ref) is not None:
                segs += [f", по {_type_datv(s.inst_type, s.place)} — ", *self.value_segs(ref, ind)]
        if ind.target is not None:
            met = _meets(v, ind)
            segs += [
                "; целевое значение — ",
                *self.target_segs(ind),
                ", ",
                "достигнуто" if met else "не достигнуто",
            ]
        return _end(segs)
        return segs

    def spread_paragraph(self, ind: cat.Indicator) -> Paragraph | None:
        """Institutions above and below their type's value on a key indicator, the best and the last named."""
        s = self.subject
        rows = self.facts.unit_rows(ind.code, self.period)
        if len(rows) < 2:
            return None
        if self.facts.is_binary(ind.code, self.period):
            return (
                None  # yes/no per institution (speed target met, has a site): the target paragraph names them
            )
        refs = [self.facts.unit_reference(t, ind.code, self.period) for t in rows["inst_type"]]
        ref_values = [self.facts.value(r) for r in refs]
        keep = [rv is not None for rv in ref_values]
        rows = rows[keep].reset_index(drop=True)
        rows["ref"] = [rv for rv, k in zip(ref_values, keep, strict=True) if k]
        # institutions are ranked against their own type (a kindergarten with the city's kindergartens)
        rows["ratio"] = [
            v / r if r else float("nan") for v, r in zip(rows["value"], rows["ref"], strict=True)
        ]
        above = int((rows["value"] > rows["ref"]).sum())
        below = int((rows["value"] < rows["ref"]).sum())
        if above + below == 0:
            return None
        units_institutions = bool(s.municipality)
        unit_phrase = "организация" if units_institutions else "муниципалитет"
        args = (ind.code, self.period, s.municipality, s.inst_type)
        segs: list[Segment] = [f"По показателю «{ru.lower_first(ind.name_ru)}» значение выше, чем "]
        if units_institutions and not s.inst_type:
            segs.append(f"по организациям того же типа в целом по {s.place} (")
            parts: list[list[Segment]] = []
            for t in INST_TYPES:
                point = s.type_point(ind.code, self.period, t)
                if self.facts.value(point) is not None and (rows["inst_type"] == t).any():
                    parts.append(
                        [
                            f"{ru.inflect(TYPE_PHRASE[t], 'nomn', plural=True)} — ",
                            *self.value_segs(point, ind),
                        ]
                    )
            for i, part in enumerate(parts):
                segs.extend(([", "] if i else []) + part)
            segs.append("), ")
        else:
            ref_point = s.type_point(ind.code, self.period, s.inst_type)
            where = f"по {_type_datv(s.inst_type, s.place)}" if units_institutions else "в целом по региону"
            segs += [f"{where} (", *self.value_segs(ref_point, ind), "), "]
        segs += [
            "у ",
            *self.count_segs(above, unit_phrase, "above", args, case="gent"),
            ", ниже — у ",
            self.count_num(below, "below", args),
            ".",
        ]
        good_high = ind.direction == "up"
        ordered = rows.sort_values(["ratio", "unit_name"], ascending=[not good_high, True])
        best = ordered[
            (ordered["value"] > ordered["ref"]) if good_high else (ordered["value"] < ordered["ref"])
        ]
        worst = ordered.iloc[::-1]
        worst = worst[(worst["value"] < worst["ref"]) if good_high else (worst["value"] > worst["ref"])]
        labels = ("Лучшие значения относительно своего типа", "Наибольшее отставание от своего типа")
        if not (units_institutions and not s.inst_type):
            labels = ("Лучшие значения", "Наибольшее отставание")
        for label, chosen in zip(labels, (best, worst), strict=True):
            chosen = chosen.head(NAMED_EXTREMES)
            if chosen.empty:
                continue
            segs.append(f" {label}: ")
            for i, row in enumerate(chosen.itertuples(index=False)):
                point = self.facts.unit_point(row, ind.code, self.period)
                segs += [", " if i else "", f"{row.unit_name} (", *self.value_segs(point, ind), ")"]
            segs.append(".")
        return para(segs)

    def target_paragraph(self, ind: cat.Indicator) -> Paragraph | None:
        """The institutions (municipalities) whose value misses the indicator's target, named."""
        s = self.subject
        rows = self.facts.unit_rows(ind.code, self.period)
        if rows.empty:
            return None
        missed = rows[[not _meets(float(v), ind) for v in rows["value"]]]
        if missed.empty:
            return para(
                f"Целевое значение показателя «{ru.lower_first(ind.name_ru)}» достигнуто всеми "
                f"{'организациями' if s.municipality else 'муниципалитетами'}."
            )
        n = len(missed)
        args = (ind.code, self.period, s.municipality, s.inst_type)
        unit_phrase = "организация" if s.municipality else "муниципалитет"
        segs: list[Segment] = [
            f"Целевое значение показателя «{ru.lower_first(ind.name_ru)}» (",
            *self.target_segs(ind),
            ") не достигнуто в ",
            *self.count_segs(n, unit_phrase, "target_missed", args, case="loct"),
        ]
        names = sorted(missed["unit_name"].tolist())
        if n <= MAX_NAMED_TARGET:
            segs.append(f": {_names(names)}.")
        else:
            units = "организациям" if s.municipality else "муниципалитетам"
            segs.append(f" (значения по {units} приведены в таблице).")
        return para(segs)

    def innovation_sites(self) -> None:
        s = self.subject
        sites = q.innovation_sites(
            self.db, self.user, q.Scope(self.period, s.municipality, s.inst_type, s.inst_id)
        )
        if sites.empty:
            self.blocks.append(
                para(f"Статуса инновационной площадки в {ru.period_phrase(self.period, 'loc2')} нет.")
            )
            return
        order = ["international", "federal", "regional", "municipal", "institution"]
        parts = []
        for level in order:
            names = sorted(set(sites.loc[sites["level"] == level, "short_name"]))
            if names:
                level_name = contract.label_ru(contract.LEVELS, level)
                level_adj = (
                    ru.inflect(f"{level_name} уровень", "gent") if level != "institution" else "уровня ОО"
                )
                parts.append(f"{level_adj} — {_names(names)}")
        lead = (
            "Статус инновационной площадки имеют: "
            if not s.inst_id
            else "Инновационные площадки организации: "
        )
        self.blocks.append(para(lead + "; ".join(parts) + "."))

    def contests_table(self) -> None:
        s = self.subject
        data = q.innovation_contests(
            self.db, self.user, q.Scope(self.period, s.municipality, s.inst_type, s.inst_id)
        )
        if data.empty:
            return
        order = {"institution": 0, "municipal": 1, "regional": 2, "federal": 3, "international": 4}
        data = data.assign(_o=data["level"].map(order)).sort_values(["activity_type", "_o"])
        frame = pd.DataFrame(
            {
                "Вид": [
                    contract.label_ru(contract.ACTIVITY_TYPES, a).capitalize() for a in data["activity_type"]
                ],
                "Уровень": [contract.label_ru(contract.LEVELS, lv).capitalize() for lv in data["level"]],
                "Участники, чел.": data["participants"].tolist(),
                "Победители, чел.": data["winners"].tolist(),
                "Призёры, чел.": data["prize_winners"].tolist(),
            }
        )
        units = {c: "чел." for c in ("Участники, чел.", "Победители, чел.", "Призёры, чел.")}
        self.blocks.append(
            TableBlock(
                caption=f"Участие в конкурсах и олимпиадах по уровням, {ru.period_phrase(self.period)}",
                frame=frame,
                units=units,
            )
        )

    def summary_table(self, area: str, inds: list[cat.Indicator]) -> None:
        s = self.subject
        rows = []
        for ind in inds:
            if not self.has_value(ind):
                continue
            cur = s.point(ind.code, self.period)
            row: dict[str, str] = {
                "Показатель": ind.name_ru,
                "Ед. изм.": "балл" if _is_index(ind) else ind.unit,
            }
            if self.compare:
                prev = s.point(ind.code, self.compare)
                row[self.compare] = fmt.value(self.facts.value(prev), ind.unit)
            row[self.period] = fmt.value(self.facts.value(cur), ind.unit)
            if self.compare:
                prev = s.point(ind.code, self.compare)
                row["Изменение"] = (
                    fmt.delta(self.facts.value(cur), self.facts.value(prev), ind.unit) or fmt.MISSING
                )
            if s.inst_id:
                ref = s.type_point(ind.code, self.period, s.inst_type)
                row["По организациям своего типа"] = fmt.value(self.facts.value(ref), ind.unit)
            row["Цель"] = fmt.value(ind.target, ind.unit) if ind.target is not None else fmt.MISSING
            rows.append(row)
        if not rows:
            return
        caption = f"Показатели направления «{next(a.name_ru for a in cat.load_areas() if a.code == area)}»"
        caption += f" — {self.scope_label()}"
        self.blocks.append(
            TableBlock(caption=caption, frame=pd.DataFrame(rows), note=MISSING_NOTE, font_pt=11)
        )

    def units_table(self, area: str, inds: list[cat.Indicator]) -> None:
        s = self.subject
        keys = [i for i in inds if i.key] or inds[:4]
        frame = self.facts.units.get(self.period)
        if frame is None or frame.empty:
            return
        base = frame.drop_duplicates("unit_id")[["unit_id", "unit_name", "inst_type"]]
        type_order = {t: i for i, t in enumerate(INST_TYPES)}
        base = base.assign(_o=base["inst_type"].map(type_order).fillna(9)).sort_values(["_o", "unit_name"])
        first = "Организация" if s.municipality else "Муниципалитет"
        table: dict[str, list[Any]] = {first: base["unit_name"].tolist()}
        units: dict[str, str] = {}
        for ind in keys:
            col = _unit_header(ind)
            values = frame[frame["indicator_code"] == ind.code].set_index("unit_id")["value"]
            table[col] = [_f(values.get(u)) for u in base["unit_id"]]
            units[col] = ind.unit
        total_label = f"Итого: {s.place}" if s.municipality else "Итого по региону"
        if s.inst_type:
            total_label = f"Итого: {ru.inflect(TYPE_PHRASE[s.inst_type], 'nomn', plural=True)} {s.place}"
        table[first].append(total_label)
        for ind in keys:
            table[_unit_header(ind)].append(self.facts.value(s.point(ind.code, self.period)))
        caption = f"Основные показатели по {'организациям' if s.municipality else 'муниципалитетам'}, " + (
            ru.period_phrase(self.period)
        )
        self.blocks.append(
            TableBlock(
                caption=caption,
                frame=pd.DataFrame(table),
                units=units,
                note=MISSING_NOTE,
                bold_last_row=True,
                font_pt=10,
            )
        )

    def institution_comparison(self, area: str, inds: list[cat.Indicator]) -> None:
        """One institution against the institutions of its type: better and worse indicators named."""
        s = self.subject
        better: list[str] = []
        worse: list[str] = []
        for ind in inds:
            if ind.direction not in ("up", "down") or ind.kind == "count":
                continue
            v = self.facts.value(s.point(ind.code, self.period))
            r = self.facts.value(s.type_point(ind.code, self.period, s.inst_type))
            if v is None or r is None or v == r:
                continue
            (better if _better(v - r, ind.direction) else worse).append(f"«{ru.lower_first(ind.name_ru)}»")
        where = _type_datv(s.inst_type, s.place)
        if better:
            self.blocks.append(para(f"Лучше, чем по {where}: {_names(better)}."))
        if worse:
            self.blocks.append(para(f"Хуже, чем по {where}: {_names(worse)}."))

    # -- charts
    def area_charts(self, area: str) -> None:
        s = self.subject
        code = RANK_CHART.get(area)
        if code in self.by_code:
            ind = self.by_code[code]
            peers = self.facts.unit_rows(code, self.period)
            if s.inst_id and not peers.empty:
                peers = peers[peers["inst_type"] == s.inst_type]
            if len(peers) >= 2:
                peers = peers.sort_values(["value", "unit_name"], ascending=[False, True])
                if s.inst_id:
                    ref_point = s.type_point(code, self.period, s.inst_type)
                    highlight = [s.inst_name or ""]
                    ref_label = f"по {_type_datv(s.inst_type, s.place)}"
                else:
                    ref_point = s.point(code, self.period)
                    refs = [
                        self.facts.value(self.facts.unit_reference(t, code, self.period))
                        for t in peers["inst_type"]
                    ]
                    below = [
                        (v < r) if ind.direction == "up" else (v > r)
                        for v, r in zip(peers["value"], refs, strict=True)
                        if r is not None
                    ]
                    highlight = [n for n, b in zip(peers["unit_name"], below, strict=False) if b]
                    ref_label = s.place if s.municipality else "регион"
                ref_value = self.facts.value(ref_point)
                png = dx.bar_chart(
                    peers["unit_name"].tolist(),
                    peers["value"].tolist(),
                    unit=None if _is_index(ind) else ind.unit,
                    reference=ref_value,
                    reference_label=f"{ref_label} — {fmt.value(ref_value, ind.unit)}"
                    if ref_value is not None
                    else None,
                    highlight=highlight,
                    target=ind.target,
                )
                note = (
                    "красным — ниже значения по организациям своего типа"
                    if not s.inst_id
                    else "красным — организация"
                )
                self.blocks.append(
                    FigureBlock(
                        caption=f"{ind.name_ru}, {ru.period_phrase(self.period)} ({note}; пунктир — {ref_label})",
                        png=png,
                    )
                )
        codes = [c for c in TREND_CHART.get(area, ()) if c in self.by_code]
        units = {self.by_code[c].unit for c in codes}
        periods = self.facts.periods
        if codes and len(units) == 1 and len(periods) >= 2:
            unit = units.pop()
            series = {
                self.by_code[c].name_ru: [self.facts.value(s.point(c, p)) for p in periods] for c in codes
            }
            series = {k: v for k, v in series.items() if any(x is not None for x in v)}
            if series:
                if unit == "%":
                    png = dx.line_chart(periods, series, unit=unit)
                else:
                    png = dx.grouped_bar_chart(periods, series, unit=unit)
                self.blocks.append(
                    FigureBlock(
                        caption=f"Динамика показателей — {self.scope_label()}, по учебным годам", png=png
                    )
                )

    # -- conclusions and recommendations
    def area_conclusions(self, area: str, inds: list[cat.Indicator]) -> None:
        s = self.subject
        if self.compare:
            up: list[list[Segment]] = []
            down: list[list[Segment]] = []
            for ind in inds:
                cur, prev = s.point(ind.code, self.period), s.point(ind.code, self.compare)
                v, pv = self.facts.value(cur), self.facts.value(prev)
                if v is None or pv is None:
                    continue
                better = _better(v - pv, ind.direction)
                if better is None or not _significant(v, pv, ind):
                    continue
                item = [ru.lower_first(ind.name_ru), " (", *self.delta_segs(cur, prev, ind), ")"]
                (up if better else down).append(item)
            topic = AREA_TOPIC_NOMN[area]
            if up:
                self.conclusions.append(
                    para(
                        f"{ru.capitalize(topic)}: положительная динамика — ",
                        *_join_items(up),
                        ".",
                        kind="bullet",
                    )
                )
            if down:
                self.conclusions.append(
                    para(
                        f"{ru.capitalize(topic)}: отрицательная динамика — ",
                        *_join_items(down),
                        ".",
                        kind="bullet",
                    )
                )
        for ind in inds:
            if ind.target is None:
                continue
            point = s.point(ind.code, self.period)
            v = self.facts.value(point)
            if v is None:
                continue
            if _meets(v, ind):
                self.conclusions.append(
                    para(
                        f"Целевое значение показателя «{ru.lower_first(ind.name_ru)}» достигнуто (",
                        *self.value_segs(point, ind),
                        ").",
                        kind="bullet",
                    )
                )
            else:
                self.conclusions.append(
                    para(
                        f"Целевое значение показателя «{ru.lower_first(ind.name_ru)}» не достигнуто: ",
                        *self.value_segs(point, ind),
                        " при целевом ",
                        *self.target_segs(ind),
                        ".",
                        kind="bullet",
                    )
                )
                self.target_recommendation(ind)
        if area == "staff":
            self.staff_recommendations()
        if area == "innovation" and not s.inst_id:
            silent = self.submitted.loc[
                (self.submitted["staff"] | self.submitted["ict"]) & ~self.submitted["innovation"],
                "short_name",
            ].tolist()
            if silent:
                self.recommendations.append(
                    para(
                        "Активизировать участие в инновационной и методической деятельности организаций, "
                        f"не представивших сведений о ней: {_names(silent)}.",
                        kind="bullet",
                    )
                )

    def target_recommendation(self, ind: cat.Indicator) -> None:
        if ind.code == "STAFF_TRAINED_3Y":
            return  # the training plan below covers it
        s = self.subject
        text = f"Обеспечить достижение целевого значения показателя «{ru.lower_first(ind.name_ru)}»"
        if s.inst_id:
            self.recommendations.append(para(text, ".", kind="bullet"))
            return
        rows = self.facts.unit_rows(ind.code, self.period)
        missed = sorted(rows.loc[[not _meets(float(v), ind) for v in rows["value"]], "unit_name"].tolist())
        if missed and len(missed) <= MAX_NAMED:
            self.recommendations.append(
                para(text, f" в первую очередь в организациях: {_names(missed)}.", kind="bullet")
            )
        else:
            self.recommendations.append(para(text, ".", kind="bullet"))

    def staff_recommendations(self) -> None:
        s = self.subject
        get = self.facts.value
        training = s.point("STAFF_TRAINING_DUE", self.period)
        staff = get(s.point("STAFF_COUNT", self.period))
        n_training = get(training)
        if n_training:
            n = int(n_training)
            urgent = staff is not None and staff > 0 and n / staff >= TRAINING_URGENT_SHARE
            one = ru.numeral_form(n) == "one"
            segs: list[Segment] = [
                "В приоритетном порядке включить" if urgent else "Включить",
                " в план-график курсов повышения квалификации на ближайшие 12 месяцев ",
                Num(fmt.integer(n), Ref("number", training)),
                f"{fmt.NBSP}{ru.agree(n, 'педагогический работник', 'accs')}, ",
                "для которого" if one else "для которых",
                " наступает срок повышения квалификации (не реже одного раза в три года — п. 2 ч. 5 ст. 47 "
                "Федерального закона № 273-ФЗ «Об образовании в Российской Федерации»)",
            ]
            if self.people:
                self.appendices.append(("training", APPENDIX_TITLES["training"]))
                segs.append(f"; поимённый список — приложение {len(self.appendices)}")
            segs.append(".")
            self.recommendations.append(para(segs, kind="bullet"))
        attestation = s.point("STAFF_ATTESTATION_DUE", self.period)
        n_att = get(attestation)
        if n_att:
            n = int(n_att)
            segs = [
                "Спланировать аттестацию ",
                Num(fmt.integer(n), Ref("number", attestation)),
                f"{fmt.NBSP}{ru.agree(n, 'педагогический работник', 'gent')} (срок действия квалификационной "
                "категории истекает в ближайшие 12 месяцев) и провести консультации по подготовке к ней",
            ]
            if self.people:
                self.appendices.append(("attestation", APPENDIX_TITLES["attestation"]))
                segs.append(f"; поимённый список — приложение {len(self.appendices)}")
            segs.append(".")
            self.recommendations.append(para(segs, kind="bullet"))
        young = s.point("STAFF_YOUNG_SPECIALISTS", self.period)
        n_young = get(young)
        if n_young:
            n = int(n_young)
            self.recommendations.append(
                para(
                    "Закрепить наставников за ",
                    Num(fmt.integer(n), Ref("number", young)),
                    f"{fmt.NBSP}{ru.agree(n, 'молодой специалист', 'ablt')} и включить их в работу "
                    "муниципального объединения молодых педагогов.",
                    kind="bullet",
                )
            )
        old, new = s.point("STAFF_55_PLUS", self.period), s.point("STAFF_UNDER_35", self.period)
        if "STAFF_55_PLUS" in self.by_code and "STAFF_UNDER_35" in self.by_code:
            v_old, v_new = get(old), get(new)
            if v_old is not None and v_new is not None and v_old > v_new:
                i_old, i_new = self.by_code["STAFF_55_PLUS"], self.by_code["STAFF_UNDER_35"]
                self.recommendations.append(
                    para(
                        "Продолжить работу по привлечению и закреплению молодых педагогов: показатель "
                        f"«{ru.lower_first(i_old.name_ru)}» (",
                        *self.value_segs(old, i_old),
                        f") превышает показатель «{ru.lower_first(i_new.name_ru)}» (",
                        *self.value_segs(new, i_new),
                        ").",
                        kind="bullet",
                    )
                )

    def lagging_recommendation(self) -> None:
        s = self.subject
        if s.inst_id or not s.municipality:
            return
        codes = [i.code for i in self.indicators if i.key and not self.facts.is_binary(i.code, self.period)]
        if not codes:
            return
        lag = q.attention_list(self.db, self.user, self.period, codes, s.municipality, s.inst_type, limit=5)
        if lag.empty:
            return
        segs: list[Segment] = [
            "Рассмотреть на совещании руководителей итоги мониторинга в организациях с наибольшим отставанием "
            "от значений по организациям своего типа: "
        ]
        for i, row in enumerate(lag.itertuples(index=False)):
            ind = cat.indicator(str(row.indicator_code))
            inst_type = str(row.inst_type)
            point = Point(ind.code, self.period, "institution", s.municipality, inst_type, str(row.inst_id))
            ref = s.type_point(ind.code, self.period, inst_type)
            segs += [
                "; " if i else "",
                f"{row.short_name} — «{ru.lower_first(ind.name_ru)}»: ",
                *self.value_segs(point, ind),
                " при ",
                *self.value_segs(ref, ind, case="loct"),
                f" по {_type_datv(inst_type, s.place)}",
            ]
        segs.append("; оказать им адресную методическую помощь.")
        self.recommendations.append(para(segs, kind="bullet"))

    def data_recommendations(self) -> None:
        s = self.subject
        wanted = [d for d in self.datasets() if d != "innovation"]
        for dataset in wanted:
            missing = self.submitted.loc[~self.submitted[dataset], "short_name"].tolist()
            if missing and not s.inst_id:
                self.recommendations.append(
                    para(
                        f"Обеспечить представление сведений {DATASET_ABOUT[dataset]}: {_names(missing)}.",
                        kind="bullet",
                    )
                )
        counts = nq.quality_counts(self.db, self.user, self.period, s.municipality, s.inst_type, s.inst_id)
        n = counts["quarantined"]
        if n:
            self.recommendations.append(
                para(
                    "Исправить и повторно загрузить ",
                    *self.count_segs(
                        n, "строка", "quarantined", (self.period, *self.scope_args()), case="accs"
                    ),
                    ", не прошедших проверку (перечень ошибок — на странице «Качество данных»).",
                    kind="bullet",
                )
            )

    def conclusions_section(self) -> None:
        s = self.subject
        if not s.inst_id:
            for dataset in [d for d in self.datasets() if d != "innovation"]:
                missing = self.submitted.loc[~self.submitted[dataset], "short_name"].tolist()
                if missing:
                    self.conclusions.append(
                        para(
                            f"Сведения {DATASET_ABOUT[dataset]} представлены не всеми организациями "
                            f"(не представлены: {_names(missing)}); показатели рассчитаны по представленным данным.",
                            kind="bullet",
                        )
                    )
        self.lagging_recommendation()
        self.data_recommendations()
        self.heading("Выводы")
        if self.conclusions:
            self.blocks.extend(self.conclusions)
        else:
            self.blocks.append(
                para("Существенных изменений показателей и отклонений от целевых значений не выявлено.")
            )
        self.heading("Рекомендации")
        if self.recommendations:
            self.blocks.extend(self.recommendations)
        else:
            self.blocks.append(para("Продолжить мониторинг в установленные сроки."))

    def appendix_sections(self) -> None:
        s = self.subject
        for number, (kind, title) in enumerate(self.appendices, start=1):
            rows = q.staff_due_list(
                self.db, self.user, q.Scope(self.period, s.municipality, s.inst_type, s.inst_id), kind
            )
            self.blocks.append(Heading(f"Приложение {number}. {title}"))
            self.blocks.append(para(PERSONAL_DATA_NOTE, kind="note"))
            frame = _due_frame(rows, kind, with_institution=not s.inst_id)
            self.blocks.append(
                TableBlock(
                    caption=f"{title} ({self.scope_label()})",
                    frame=frame,
                    dates=tuple(c for c in frame.columns if c.startswith(("Дата", "Срок", "Действует"))),
                    personal=True,
                    font_pt=10,
                )
            )


def _end(segs: list[Segment]) -> list[Segment]:
    """Close a sentence with a full stop, unless it already ends with one (after «чел.»)."""
    last = segs[-1] if segs else ""
    text = last.text if isinstance(last, Num) else last
    return segs if text.endswith(".") else [*segs, "."]


def _join_sentences(sentences: list[list[Segment]]) -> list[Segment]:
    out: list[Segment] = []
    for i, sentence in enumerate(sentences):
        if i:
            out.append(" ")
        out.extend(sentence)
    return out


def _join_items(items: list[list[Segment]]) -> list[Segment]:
    out: list[Segment] = []
    for i, item in enumerate(items):
        if i:
            out.append(", ")
        out.extend(item)
    return out


def _due_frame(rows: pd.DataFrame, kind: str, with_institution: bool) -> pd.DataFrame:
    data: dict[str, list[Any]] = {"№ п/п": list(range(1, len(rows) + 1))}
    if with_institution:
        data["Организация"] = rows["short_name"].tolist()
    data["ФИО"] = [v if not fmt.is_missing(v) else "—" for v in rows["full_name"]]
    data["Должность"] = [contract.label_ru(contract.POSITIONS, p).capitalize() for p in rows["position"]]
    if kind == "training":
        data["Дата окончания последних КПК"] = rows["last_training_date"].tolist()
        data["Срок прохождения КПК"] = rows["due_date"].tolist()
    else:
        data["Категория"] = [contract.label_ru(contract.CATEGORIES, c).capitalize() for c in rows["category"]]
        data["Действует до"] = rows["due_date"].tolist()
    return pd.DataFrame(data)


# ----------------------------------------------------------------------------------------- entry points
def _resolve(
    db_path: str,
    user: User,
    period: str,
    compare_period: str | None,
    areas: Iterable[str],
    scope: NoteScope,
) -> tuple[str | None, tuple[str, ...], _Subject, list[str]]:
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
        subject = _Subject(
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
    return compare, ordered, _Subject(kind, municipality, scope.inst_type), periods


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
    areas: Iterable[str] = AREAS,
    scope: NoteScope = NoteScope(),
    *,
    organisation: str = DEFAULT_ORGANISATION,
    include_names: bool = True,
    today: dt.date | None = None,
    charts: bool = True,
) -> Note:
    """The note as a structure (headings, paragraphs with their numbers, tables, charts as PNG).

    `compare_period`: None compares with the previous period (if any), NO_COMPARISON with nothing.
    `include_names`: attach the lists of people due for training and attestation — only when the user may
    see them (admin, head, methodist; a director for their own institution). Raises NoteInputError for an
    unknown period, area, type or institution, NoteAccessError when the user may not write this note.
    """
    db = str(db_path)
    compare, ordered, subject, periods = _resolve(db, user, period, compare_period, areas, scope)
    builder = _Builder(
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


def build_note(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    compare_period: str | None = None,
    areas: Iterable[str] = AREAS,
    scope: NoteScope = NoteScope(),
    **options: Any,
) -> bytes:
    """The DOCX bytes of the note (see build_note_model for the arguments)."""
    return render_docx(build_note_model(db_path, user, period, compare_period, areas, scope, **options))


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

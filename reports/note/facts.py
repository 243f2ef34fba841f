"""The mart values a note speaks of (`Facts`), its subject (`Subject`), and the small rules and phrases the
sections share: which indicators, whether a change is significant, how lists and sentences are joined."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from auth.identity import User
from etl import contract
from reports import russian as ru
from reports.note.model import Num, Paragraph, Point, Segment
from reports.note.words import (
    ANY_TYPE_PHRASE,
    INST_TYPES,
    REGION_PHRASE,
    SIGNIFICANT_PP,
    SIGNIFICANT_RELATIVE,
    TYPE_PHRASE,
)
from ru import fmt
from warehouse import catalog as cat
from warehouse import queries as q


# ----------------------------------------------------------------------------------------- helpers
def indicators_of(areas: Iterable[str]) -> list[cat.Indicator]:
    wanted = set(areas)
    return [i for i in cat.load_catalog() if i.area in wanted]


# units the narrative spells as an agreeing noun («41,9 года», «68,1 балла») instead of an abbreviation
UNIT_NOUN = {"лет": "год", "балл": "балл", "балл 0–100": "балл"}


def is_index(ind: cat.Indicator) -> bool:
    return ind.unit.startswith("балл")


def unit_header(ind: cat.Indicator) -> str:
    unit = "баллы" if is_index(ind) else ind.unit
    return f"{ind.name_ru}, {unit}"


def meets(value: float, ind: cat.Indicator) -> bool:
    assert ind.target is not None
    return value <= ind.target if ind.direction == "down" else value >= ind.target


def significant(current: float, previous: float, ind: cat.Indicator) -> bool:
    """A change worth a conclusion: at least SIGNIFICANT_PP п.п. for a share, SIGNIFICANT_RELATIVE of the
    previous value for anything else."""
    change = current - previous
    if ind.unit == "%":
        return abs(change) >= SIGNIFICANT_PP
    if previous == 0:
        return change != 0
    return abs(change) / abs(previous) >= SIGNIFICANT_RELATIVE


def is_better(change: float, direction: str) -> bool | None:
    if direction == "up":
        return change > 0
    if direction == "down":
        return change < 0
    return None


def as_float(value: Any) -> float | None:
    return None if fmt.is_missing(value) else float(value)


def flatten(parts: Iterable[Segment | Sequence[Segment] | None]) -> tuple[Segment, ...]:
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
    return Paragraph(flatten(parts), kind=kind, lead=lead)


def subject_phrase(name: str) -> str:
    """An indicator name as the subject of a sentence: a participial clause it ends with is closed by a
    comma («Доля ПК, имеющих доступ к Интернету, составила …»)."""
    outside = re.sub(r"\([^)]*\)", "", name)
    return name + "," if outside.count(",") % 2 == 1 else name


def names_list(names: Sequence[str]) -> str:
    return ", ".join(names)


@dataclass(frozen=True)
class Subject:
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


def type_datv(inst_type: str | None, place: str) -> str:
    """«общеобразовательным организациям г. Бугуруслан» (after «по»)."""
    phrase = TYPE_PHRASE[inst_type] if inst_type else ANY_TYPE_PHRASE
    return f"{ru.inflect(phrase, 'datv', plural=True)} {place}"


# ----------------------------------------------------------------------------------------- the facts
class Facts:
    """Every mart value the note may print, fetched once through the query layer and indexed by Point."""

    def __init__(
        self,
        db_path: str,
        user: User,
        subject: Subject,
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
                self.values[Point(code, p, level, mun, inst_type or q.ALL_TYPES)] = as_float(value)
        # the units the scope's aggregate is made of: institutions of a municipality, or municipalities
        self.units: dict[str, pd.DataFrame] = {}
        scope_periods = [p for p in (period, compare) if p]
        if subject.inst_id:
            frame = q.institution_series(db_path, user, subject.inst_id, codes)
            for p, code, value in zip(frame["period"], frame["indicator_code"], frame["value"], strict=True):
                self.values[subject.point(code, p)] = as_float(value)
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
                        self.values[point] = as_float(row.value)
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
                    self.values[point] = as_float(row.value)
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


def end_sentence(segs: list[Segment]) -> list[Segment]:
    """Close a sentence with a full stop, unless it already ends with one (after «чел.»)."""
    last = segs[-1] if segs else ""
    text = last.text if isinstance(last, Num) else last
    return segs if text.endswith(".") else [*segs, "."]


def join_segments(parts: list[list[Segment]], separator: str) -> list[Segment]:
    out: list[Segment] = []
    for i, part in enumerate(parts):
        if i:
            out.append(separator)
        out.extend(part)
    return out


def join_sentences(sentences: list[list[Segment]]) -> list[Segment]:
    return join_segments(sentences, " ")


def join_items(items: list[list[Segment]]) -> list[Segment]:
    return join_segments(items, ", ")


def due_frame(rows: pd.DataFrame, kind: str, with_institution: bool) -> pd.DataFrame:
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
        # the lapsed come first in the list (their date is before the reporting date)
        data["Статус"] = ["истекла" if s == "lapsed" else "истекает" for s in rows["status"]]
    return pd.DataFrame(data)


# ----------------------------------------------------------------------------------------- entry points

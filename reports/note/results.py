"""The section «Результаты ГИА и ВПР»: participation, ЕГЭ means by subject against last year, results below
the minimum by subject and school, high and 100-point results, ГИА-9, ВПР confirmations of journal marks,
the olympiad and the flags of mart.result_flags — the order of the results notes municipalities write.

Every number is a `Num` whose `Ref` points at a row of mart.indicator_values (with its subject and grade) or at
a mart.result_flags message, so the note's tests recompute each one. The rows come through
warehouse/note_queries.py: a director gets the rows of their own institution only, so another institution's
small groups («менее 5», interfaces.md) cannot reach a director's note; aggregates are not one institution's.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from reports import russian as ru
from reports.note.areas import AreaSections
from reports.note.facts import (
    as_float,
    end_sentence,
    indicators_of,
    join_items,
    join_sentences,
    names_list,
    para,
    subject_phrase,
    type_datv,
)
from reports.note.model import Num, Paragraph, Point, Ref, Segment, TableBlock
from ru import fmt
from warehouse import catalog as cat
from warehouse import note_queries as nq
from warehouse.subjects import SUBJECT_NAMES_RU

RESULTS = "results"
ALL = "all"
SECTION_TITLE = "Результаты ГИА и ВПР"
TOPIC = "Результаты ГИА, ВПР и олимпиады"
# the paragraphs of the section: a run-in lead and the indicators on the `all` row it speaks of
PARTICIPATION = ("EGE_PARTICIPANTS", "GIA9_PARTICIPANTS", "VPR_PARTICIPANTS")
GIA9 = ("GIA9_SUCCESS", "GIA9_QUALITY", "GIA9_MEAN_MARK")
VPR = ("VPR_SUCCESS", "VPR_QUALITY", "VPR_CONFIRMED", "VPR_BELOW_JOURNAL", "VPR_ABOVE_JOURNAL")
OLYMPIAD = (
    "OLY_SCHOOL_PER_100",
    "OLY_MUNICIPAL_PARTICIPANTS",
    "OLY_MUNICIPAL_WINNERS",
    "OLY_MUNICIPAL_EFFECTIVENESS",
    "OLY_REGIONAL_PARTICIPANTS",
)
# the changes on the `all` row that make the conclusions
CONCLUDED = (
    "GIA11_NOT_PASSED",
    "EGE_HIGH_SCORE",
    "GIA9_SUCCESS",
    "GIA9_QUALITY",
    "VPR_SUCCESS",
    "VPR_QUALITY",
    "VPR_CONFIRMED",
)
# the ГИА-11 table: column title and indicator, per subject
GIA11_TABLE = (
    ("Результатов ЕГЭ", "EGE_PARTICIPANTS"),
    ("Средний тестовый балл", "EGE_MEAN_SCORE"),
    ("Ниже минимального порога", "GIA11_NOT_PASSED"),
    ("От 81 до 100 баллов", "EGE_HIGH_SCORE"),
    ("Стобалльных результатов", "EGE_100"),
)
VPR_TABLE = (
    ("Участников", "VPR_PARTICIPANTS"),
    ("Успеваемость", "VPR_SUCCESS"),
    ("Качество знаний", "VPR_QUALITY"),
    ("Подтвердили отметку", "VPR_CONFIRMED"),
    ("Ниже отметки по журналу", "VPR_BELOW_JOURNAL"),
    ("Выше отметки по журналу", "VPR_ABOVE_JOURNAL"),
)
FLAG_RECOMMENDATIONS = {
    "low_results": "Оказать адресную методическую помощь школам с низкими результатами ГИА и ВПР",
    "low_results_persistent": (
        "Включить в программу поддержки школ с устойчиво низкими образовательными результатами"
    ),
    "vpr_journal_gap": (
        "Проверить объективность текущего оценивания (отметки ВПР ниже отметок по журналу) в организациях"
    ),
    "vpr_high_outlier": "Обеспечить объективность проведения и проверки ВПР в организациях",
}


def subject_name(subject: str) -> str:
    """A subject code's Russian name; an olympiad subject (free text, normalised) as it is."""
    return SUBJECT_NAMES_RU.get(subject, subject)


def _grade(value: Any) -> int | None:
    return None if fmt.is_missing(value) else int(value)


def _text(value: Any) -> str | None:
    return None if fmt.is_missing(value) else str(value)


class ResultsSections(AreaSections):
    """The results section; the other areas' sections are AreaSections'. The base builder is given the
    conditions areas only (the results' subject rows are not Facts' one-value-per-indicator shape)."""

    def __init__(
        self,
        db_path: str,
        user: Any,
        period: str,
        compare: str | None,
        areas: tuple[str, ...],
        *args: Any,
        **options: Any,
    ) -> None:
        conditions = tuple(a for a in areas if a != RESULTS)
        super().__init__(db_path, user, period, compare, conditions, *args, **options)
        self.areas = areas
        self.res_inds = {i.code: i for i in indicators_of([RESULTS])}
        self.res_inst = pd.DataFrame()
        self.flags = pd.DataFrame()
        if RESULTS in areas:
            self.load_results()

    # -- the values
    def load_results(self) -> None:
        s = self.subject
        periods = [p for p in (self.period, self.compare) if p]
        codes = list(self.res_inds)
        agg = nq.results_aggregates(self.db, self.user, periods, codes, s.municipality, s.inst_type)
        for row in agg.itertuples(index=False):
            point = Point(
                str(row.indicator_code),
                str(row.period),
                str(row.level),
                _text(row.municipality),
                str(row.inst_type),
                None,
                str(row.subject),
                _grade(row.grade),
            )
            self.facts.values[point] = as_float(row.value)
        if s.municipality or s.inst_id:
            self.res_inst = nq.results_institutions(
                self.db, self.user, periods, codes, s.municipality, s.inst_type, s.inst_id
            )
            for row in self.res_inst.itertuples(index=False):
                self.facts.values[self.inst_point(row)] = as_float(row.value)
        self.flags = nq.result_flags(self.db, self.user, self.period, s.municipality, s.inst_type, s.inst_id)

    def inst_point(self, row: Any) -> Point:
        return Point(
            str(row.indicator_code),
            str(row.period),
            "institution",
            str(row.municipality),
            str(row.inst_type),
            str(row.inst_id),
            str(row.subject),
            _grade(row.grade),
        )

    def rpoint(self, code: str, period: str, subject: str = ALL, grade: int | None = None) -> Point:
        """The scope's row (its aggregate, or the institution's) of one results indicator."""
        base = self.subject.point(code, period)
        return Point(
            base.code, period, base.level, base.municipality, base.inst_type, base.inst_id, subject, grade
        )

    def type_rpoint(self, code: str, period: str, subject: str = ALL) -> Point:
        base = self.subject.type_point(code, period, self.subject.inst_type)
        return Point(base.code, period, base.level, base.municipality, base.inst_type, None, subject)

    def subjects_of(self, code: str) -> list[str]:
        """The subjects (not `all`) with a value of the scope's row in the period, in the catalogue's order."""
        found = [
            p.subject
            for p, v in self.facts.values.items()
            if v is not None
            and p.code == code
            and p.period == self.period
            and p.subject not in (None, ALL)
            and p.grade is None
            and p == self.rpoint(code, self.period, str(p.subject))
        ]
        order = list(SUBJECT_NAMES_RU)
        return sorted(set(found), key=lambda x: (order.index(x) if x in order else len(order), str(x)))

    def has_results(self) -> bool:
        return any(
            v is not None
            and p.period == self.period
            and p.code in self.res_inds
            and p.inst_id == self.subject.inst_id
            for p, v in self.facts.values.items()
        )

    # -- phrases
    def change_segs(self, cur: Point, ind: cat.Indicator, say_missing: bool = True) -> list[Segment]:
        """« (в 2023/2024 — 60,0 балла, +1,6 балла)» when there is a comparison period; without its value
        « (за 2023/2024 данных нет)», or nothing when `say_missing` is false."""
        if not self.compare:
            return []
        prev = Point(
            cur.code,
            self.compare,
            cur.level,
            cur.municipality,
            cur.inst_type,
            cur.inst_id,
            cur.subject,
            cur.grade,
        )
        if self.facts.value(prev) is None:
            return [f" (за {ru.period_phrase(self.compare, 'accs')} данных нет)"] if say_missing else []
        return [
            f" (в {ru.period_phrase(self.compare, 'loc2')} — ",
            *self.value_segs(prev, ind),
            ", ",
            *self.delta_segs(cur, prev, ind),
            ")",
        ]

    def total_sentence(self, code: str) -> list[Segment] | None:
        """«{indicator} составил(а) {value} (в … — …, change)[, по … организациям — …].» on the `all` row."""
        ind = self.res_inds[code]
        cur = self.rpoint(code, self.period)
        if self.facts.value(cur) is None:
            return None
        segs: list[Segment] = [
            subject_phrase(ind.name_ru),
            " ",
            ru.predicate(ind.name_ru),
            " ",
            *self.value_segs(cur, ind),
            *self.change_segs(cur, ind, say_missing=False),
        ]
        s = self.subject
        if s.inst_id and ind.kind != "count":
            ref = self.type_rpoint(code, self.period)
            if self.facts.value(ref) is not None:
                segs += [f", по {type_datv(s.inst_type, s.place)} — ", *self.value_segs(ref, ind)]
        return end_sentence(segs)

    def subject_items(
        self, code: str, with_change: bool = True, only_positive: bool = False
    ) -> list[list[Segment]]:
        """«русский язык — 61,6 балла (в … — …, …)» for every subject of the scope's rows."""
        ind = self.res_inds[code]
        items: list[list[Segment]] = []
        for subject in self.subjects_of(code):
            cur = self.rpoint(code, self.period, subject)
            v = self.facts.value(cur)
            if v is None or (only_positive and v <= 0):
                continue
            change = self.change_segs(cur, ind) if with_change else []
            items.append([f"{subject_name(subject)} — ", *self.value_segs(cur, ind), *change])
        return items

    def school_items(self, code: str) -> list[list[Segment]]:
        """«СОШ № 1 (русский язык — 28,6 %; …)»: the scope's schools with a positive value of `code` by subject."""
        if self.subject.inst_id or self.res_inst.empty:
            return []
        ind = self.res_inds[code]
        rows = self.res_inst[
            (self.res_inst["indicator_code"] == code)
            & (self.res_inst["period"] == self.period)
            & (self.res_inst["subject"] != ALL)
            & (self.res_inst["value"] > 0)
        ]
        items: list[list[Segment]] = []
        for (name, _inst), group in rows.groupby(["short_name", "inst_id"], sort=True):
            parts: list[list[Segment]] = []
            for row in group.itertuples(index=False):
                point = self.inst_point(row)
                parts.append([f"{subject_name(str(row.subject))} — ", *self.value_segs(point, ind)])
            segs: list[Segment] = [f"{name} ("]
            for i, part in enumerate(parts):
                segs.extend(([", "] if i else []) + part)
            segs.append(")")
            items.append(segs)
        return items

    def lead_paragraph(self, lead: str, codes: tuple[str, ...]) -> Paragraph | None:
        sentences = [s for s in (self.total_sentence(c) for c in codes) if s]
        return para(*join_sentences(sentences), lead=lead) if sentences else None

    # -- the section
    def area_section(self, area: str) -> None:
        if area == RESULTS:
            self.results_section()
        else:
            super().area_section(area)

    def results_section(self) -> None:
        self.heading(SECTION_TITLE)
        if not self.has_results():
            self.blocks.append(
                para(
                    "Сведений о результатах ГИА, ВПР и всероссийской олимпиады школьников за "
                    f"{ru.period_phrase(self.period, 'accs')} нет."
                )
            )
            return
        blocks: list[Paragraph | None] = [
            self.lead_paragraph("Участие.", PARTICIPATION),
            self.gia11_paragraph(),
            self.below_minimum_paragraph(),
            self.high_scores_paragraph(),
            self.gia9_paragraph(),
            self.lead_paragraph("Всероссийские проверочные работы.", VPR),
            self.lead_paragraph("Всероссийская олимпиада школьников.", OLYMPIAD),
        ]
        self.blocks.extend(b for b in blocks if b is not None)
        self.gia11_table()
        self.vpr_table()
        self.flags_paragraphs()
        self.results_conclusions()

    def gia11_paragraph(self) -> Paragraph | None:
        items = self.subject_items("EGE_MEAN_SCORE")
        if not items:
            return None
        return para(
            "Средний тестовый балл ЕГЭ по предметам: ", *join_segments_semicolon(items), ".", lead="ГИА-11."
        )

    def below_minimum_paragraph(self) -> Paragraph | None:
        sentence = self.total_sentence("GIA11_NOT_PASSED")
        if sentence is None:
            return None
        segs: list[Segment] = list(sentence)
        by_subject = self.subject_items("GIA11_NOT_PASSED", with_change=False, only_positive=True)
        if by_subject:
            segs += [" По предметам: ", *join_segments_semicolon(by_subject), "."]
        else:
            segs.append(" Результатов ниже минимального порога нет ни по одному предмету.")
        schools = self.school_items("GIA11_NOT_PASSED")
        if schools:
            segs += [
                " Результаты ниже минимального порога получены в организациях: ",
                *join_segments_semicolon(schools),
                ".",
            ]
        return para(segs)

    def high_scores_paragraph(self) -> Paragraph | None:
        sentences = [s for s in (self.total_sentence(c) for c in ("EGE_HIGH_SCORE", "EGE_100")) if s]
        if not sentences:
            return None
        segs = join_sentences(sentences)
        hundreds = self.subject_items("EGE_100", with_change=False, only_positive=True)
        if hundreds:
            segs += [" Стобалльные результаты по предметам: ", *end_sentence(join_items(hundreds))]
            schools = self.school_items("EGE_100")
            if schools:
                segs += [
                    " Стобалльные результаты получены в организациях: ",
                    *join_segments_semicolon(schools),
                    ".",
                ]
        return para(segs, lead="Высокие результаты.")

    def gia9_paragraph(self) -> Paragraph | None:
        paragraph = self.lead_paragraph("ГИА-9.", ("GIA9_PARTICIPANTS", *GIA9))
        if paragraph is None:
            return None
        items = self.subject_items("GIA9_SUCCESS", with_change=False)
        if not items:
            return paragraph
        return para(
            paragraph.segments,
            " Успеваемость по предметам: ",
            *join_segments_semicolon(items),
            ".",
            lead=paragraph.lead,
        )

    def flags_paragraphs(self) -> None:
        if self.flags.empty:
            self.blocks.append(
                para(
                    "Школ, результаты которых требуют внимания по правилам системы мониторинга (низкие "
                    "результаты, расхождение отметок ВПР и журнала, нетипично высокие результаты ВПР), нет."
                )
            )
            return
        self.blocks.append(para("Требуют внимания (по правилам системы мониторинга):"))
        for row in self.flags.itertuples(index=False):
            args = (self.period, str(row.inst_id), str(row.flag), *self.flag_key(row))
            ref = Ref("flag", what=str(row.flag), args=args)
            self.blocks.append(
                para(end_sentence([f"{row.short_name}: ", Num(str(row.message_ru), ref)]), kind="bullet")
            )
        for flag, text in FLAG_RECOMMENDATIONS.items():
            names = sorted(set(self.flags.loc[self.flags["flag"] == flag, "short_name"].astype(str)))
            if names:
                self.recommendations.append(para(f"{text}: {names_list(names)}.", kind="bullet"))

    @staticmethod
    def flag_key(row: Any) -> tuple[str | None, int | None]:
        return _text(row.subject), _grade(row.grade)

    # -- tables
    def gia11_table(self) -> None:
        subjects = self.subjects_of("EGE_PARTICIPANTS") or self.subjects_of("GIA11_NOT_PASSED")
        subjects = sorted(
            set(subjects) | set(self.subjects_of("GIA11_NOT_PASSED")),
            key=lambda x: list(SUBJECT_NAMES_RU).index(x) if x in SUBJECT_NAMES_RU else len(SUBJECT_NAMES_RU),
        )
        if not subjects:
            return
        data: dict[str, list[Any]] = {"Предмет": [subject_name(x) for x in subjects]}
        units: dict[str, str] = {}
        for title, code in GIA11_TABLE:
            data[title] = [self.facts.value(self.rpoint(code, self.period, x)) for x in subjects]
            units[title] = self.res_inds[code].unit
        if self.compare:
            title = f"Средний тестовый балл, {ru.period_phrase(self.compare)}"
            data[title] = [self.facts.value(self.rpoint("EGE_MEAN_SCORE", self.compare, x)) for x in subjects]
            units[title] = self.res_inds["EGE_MEAN_SCORE"].unit
        self.results_table("ГИА-11 по предметам", data, units)

    def vpr_table(self) -> None:
        keys = sorted(
            {
                (str(p.subject), p.grade)
                for p, v in self.facts.values.items()
                if v is not None
                and p.code == "VPR_PARTICIPANTS"
                and p.period == self.period
                and p.grade is not None
                and p == self.rpoint(p.code, self.period, str(p.subject), p.grade)
            },
            key=lambda k: (k[1], subject_name(k[0])),
        )
        if not keys:
            return
        data: dict[str, list[Any]] = {
            "Класс": [g for _, g in keys],
            "Предмет": [subject_name(x) for x, _ in keys],
        }
        units: dict[str, str] = {}
        for title, code in VPR_TABLE:
            data[title] = [self.facts.value(self.rpoint(code, self.period, x, g)) for x, g in keys]
            units[title] = self.res_inds[code].unit
        self.results_table("ВПР по предметам и классам", data, units)

    def results_table(self, what: str, data: dict[str, list[Any]], units: dict[str, str]) -> None:
        """A table of results by subject: «Результаты {what} (scope, period)», in 10 pt."""
        self.blocks.append(
            TableBlock(
                caption=f"Результаты {what} ({self.scope_label()}, {ru.period_phrase(self.period)})",
                frame=pd.DataFrame(data),
                units=units,
                font_pt=10,
            )
        )

    # -- conclusions
    def results_conclusions(self) -> None:
        if not self.compare:
            return
        up, down = self.changes(
            (self.res_inds[code], self.rpoint(code, self.period), self.rpoint(code, self.compare))
            for code in CONCLUDED
        )
        for items, word in ((up, "положительная"), (down, "отрицательная")):
            if items:
                self.conclusions.append(
                    para(f"{TOPIC}: {word} динамика — ", *join_items(items), ".", kind="bullet")
                )


def join_segments_semicolon(items: list[list[Segment]]) -> list[Segment]:
    out: list[Segment] = []
    for i, item in enumerate(items):
        if i:
            out.append("; ")
        out.extend(item)
    return out

"""The base of the note's builder: the state of one note being written and its number phrases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auth.identity import User
from reports import russian as ru
from reports.note.facts import UNIT_NOUN, Facts, Subject, indicators_of
from reports.note.model import Block, Heading, NoteScope, Num, Paragraph, Point, Ref, Segment, may_see_people
from reports.note.words import TYPE_PHRASE
from ru import fmt
from warehouse import catalog as cat
from warehouse import note_queries as nq
from warehouse import queries as q


# ----------------------------------------------------------------------------------------- the builder
class BuilderBase:
    """The note's state and its number phrases; the sections (general, areas, conclusions) extend it."""

    def __init__(
        self,
        db_path: str,
        user: User,
        period: str,
        compare: str | None,
        areas: tuple[str, ...],
        scope: NoteScope,
        subject: Subject,
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
        self.indicators = indicators_of(areas)
        self.by_code = {i.code: i for i in self.indicators}
        self.facts = Facts(
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
        noun = UNIT_NOUN.get(ind.unit)
        if noun and v is not None:
            text = fmt.number(v, fmt.decimals_for(v, ind.unit))
            return [Num(text, Ref("number", point)), f"{fmt.NBSP}{ru.agree(text, noun, case)}"]
        return [Num(fmt.value(v, ind.unit), Ref("value", point))]

    def delta_segs(self, point: Point, base: Point, ind: cat.Indicator) -> list[Segment]:
        text = fmt.delta(self.facts.value(point), self.facts.value(base), ind.unit) or fmt.MISSING
        segs: list[Segment] = [Num(text, Ref("delta", point, base))]
        noun = UNIT_NOUN.get(ind.unit)
        if noun and text != fmt.MISSING:
            # fmt.delta prints these units without a suffix (index points) or with «лет»/«года»; the noun agrees
            text = text.removesuffix(fmt.unit_suffix(ind.unit, 1)).removesuffix(fmt.unit_suffix(ind.unit))
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

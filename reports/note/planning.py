"""The staff section's paragraph on professional needs and mentoring, and the recommendations drawn from the
plan (indicators.md, «Planning»): course groups and seminars on the needs most named, mentors for the young
specialists who have none.

The numbers come from the planning queries (warehouse/queries.py: needs_summary, mentoring) for the note's
scope; each is a `Num` whose `Ref` is a count the tests recompute from the warehouse (`need_people`,
`young`, `young_with_mentor`, `young_without_mentor`, with args (period, municipality, inst_type, inst_id[,
need, form])). Only counts reach the note: no names.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from etl import contract
from reports import russian as ru
from reports.note.facts import join_sentences, para
from reports.note.model import Num, Paragraph, Ref, Segment
from reports.note.results import ResultsSections
from ru import fmt
from warehouse import queries as q

LEAD = "Профессиональные потребности и наставничество."
# how many needs the paragraph and each recommendation name (the most named first)
TOP_NEEDS = 3
COURSE = "course"
SEMINAR = "seminar"


def need_name(code: str) -> str:
    return f"«{contract.label_ru(contract.NEEDS, code)}»"


class PlanningSection(ResultsSections):
    """Adds the needs and mentoring paragraph to the staff section and the plan's recommendations."""

    def area_section(self, area: str) -> None:
        super().area_section(area)
        if area == "staff":
            paragraph = self.planning_paragraph()
            if paragraph:
                self.blocks.append(paragraph)
            self.needs_recommendations()

    # -- the data
    def plan_scope(self) -> q.Scope:
        s = self.subject
        return q.Scope(self.period, s.municipality, s.inst_type, s.inst_id)

    @cached_property
    def needs(self) -> pd.DataFrame:
        """People per need and form of the scope (needs_summary)."""
        return q.needs_summary(self.db, self.user, self.plan_scope())

    @cached_property
    def mentoring_counts(self) -> tuple[int, int]:
        """(young specialists, of whom with a mentor who counts) of the scope."""
        rows = q.mentoring(self.db, self.user, self.plan_scope())
        return len(rows), int(rows["has_mentor"].astype(bool).sum()) if len(rows) else 0

    def need_num(self, n: int, need: str, form: str | None) -> Num:
        args = (self.period, *self.scope_args(), need, form)
        return Num(fmt.integer(n), Ref("count", what="need_people", args=args))

    def count_ref(self, n: int, what: str) -> Num:
        return Num(fmt.integer(n), Ref("count", what=what, args=(self.period, *self.scope_args())))

    def people_by_need(self, form: str | None) -> dict[str, int]:
        """People per need (in `form`, or in any form: a person names a need once, in one form)."""
        rows = self.needs if form is None else self.needs[self.needs["form"] == form]
        return {str(k): int(v) for k, v in rows.groupby("need")["people"].sum().items()}

    def top_needs(self, form: str | None) -> list[tuple[str, int]]:
        """The needs most named (in `form`, or in any form), with their people, the most named first."""
        ranked = sorted(self.people_by_need(form).items(), key=lambda kv: (-kv[1], kv[0]))
        return [(need, people) for need, people in ranked if people > 0][:TOP_NEEDS]

    # -- the paragraph
    def needs_sentence(self) -> list[Segment]:
        top = self.top_needs(None)
        if not top:
            return []
        courses = self.people_by_need(COURSE)
        segs: list[Segment] = [
            "По результатам мониторинга профессиональных потребностей педагогические работники чаще всего "
            "называют "
        ]
        introduced = False
        for i, (need, people) in enumerate(top):
            segs += [
                ", " if i else "",
                f"{need_name(need)} (",
                self.need_num(people, need, None),
                f"{fmt.NBSP}чел.",
            ]
            if courses.get(need, 0):
                # the first course count says what it is; the later ones follow its pattern
                how = ", курсы — " if introduced else ", из них курсы повышения квалификации предпочитают "
                segs += [how, self.need_num(courses[need], need, COURSE)]
                introduced = True
            segs.append(")")
        return [*segs, "."]

    def mentoring_sentence(self) -> list[Segment]:
        young, with_mentor = self.mentoring_counts
        if not young:
            return []
        return [
            "Из ",
            self.count_ref(young, "young"),
            f"{fmt.NBSP}{ru.agree(young, 'молодой специалист', 'gent')} наставник — педагогический работник "
            "той же организации — закреплён за ",
            self.count_ref(with_mentor, "young_with_mentor"),
            ", без наставника — ",
            self.count_ref(young - with_mentor, "young_without_mentor"),
            ".",
        ]

    def planning_paragraph(self) -> Paragraph | None:
        sentences = [s for s in (self.needs_sentence(), self.mentoring_sentence()) if s]
        if not sentences:
            return None
        return para(*join_sentences(sentences), lead=LEAD)

    # -- the recommendations
    def topics(self, form: str) -> list[Segment]:
        segs: list[Segment] = []
        for i, (need, people) in enumerate(self.top_needs(form)):
            segs += [
                ", " if i else "",
                f"{need_name(need)} (",
                self.need_num(people, need, form),
                f"{fmt.NBSP}чел.)",
            ]
        return segs

    def needs_recommendations(self) -> None:
        courses = self.topics(COURSE)
        if courses:
            self.recommendations.append(
                para(
                    "Сформировать группы курсов повышения квалификации по темам, названным в мониторинге "
                    "профессиональных потребностей: ",
                    *courses,
                    " — по числу педагогических работников, выбравших курсы как предпочтительную форму.",
                    kind="bullet",
                )
            )
        seminars = self.topics(SEMINAR)
        if seminars:
            self.recommendations.append(
                para("Провести семинары (вебинары) по темам: ", *seminars, ".", kind="bullet")
            )

    def young_recommendation(self) -> None:
        """Mentors for the young specialists without one (a mentor who counts: a pedagogical worker of the
        same institution); the base recommendation when the scope has no young specialists' rows."""
        young, with_mentor = self.mentoring_counts
        if not young:
            super().young_recommendation()
            return
        alone = young - with_mentor
        if not alone:
            return
        self.recommendations.append(
            para(
                "Закрепить наставников за ",
                self.count_ref(alone, "young_without_mentor"),
                f"{fmt.NBSP}{ru.agree(alone, 'молодой специалист', 'ablt')}, за ",
                "которым" if ru.numeral_form(alone) == "one" else "которыми",
                " наставник не закреплён, и включить молодых специалистов в работу муниципального объединения "
                "молодых педагогов.",
                kind="bullet",
            )
        )

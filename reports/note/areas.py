"""A section per area: narrative paragraphs per indicator, the spread among institutions, targets, the
innovation sites and the area's conclusions (its tables and charts are area_tables.py's)."""

from __future__ import annotations

from collections.abc import Iterable

from etl import contract
from reports import russian as ru
from reports.note.area_tables import AreaTables
from reports.note.facts import (
    end_sentence,
    is_better,
    join_items,
    join_sentences,
    meets,
    names_list,
    para,
    significant,
    subject_phrase,
    type_datv,
)
from reports.note.model import Paragraph, Point, Segment
from reports.note.words import (
    AREA_TOPIC_NOMN,
    INST_TYPES,
    MAX_NAMED_TARGET,
    NAMED_EXTREMES,
    OTHER_THEME,
    THEMES,
    TYPE_PHRASE,
)
from warehouse import catalog as cat
from warehouse import queries as q


class AreaSections(AreaTables):
    """One section per area of the note: its narrative, with the tables and charts of AreaTables."""

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
                self.blocks.append(para(*join_sentences(sentences), lead=lead))
        others = [self.indicator_sentence(i) for i in inds if i.code not in listed and not self.yes_no(i)]
        rest = [s for s in others if s]
        if rest:
            self.blocks.append(para(*join_sentences(rest), lead=OTHER_THEME))
        conditions = self.conditions_paragraph(inds)
        if conditions:
            self.blocks.append(conditions)
        if area == "ict" and not self.subject.inst_id:
            missing = self.submitted.loc[~self.submitted["ict"], "short_name"].tolist()
            if missing:
                self.blocks.append(
                    para(
                        "Показатели информатизации рассчитаны без учёта организаций, не представивших "
                        f"сведения: {names_list(missing)}."
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
            parts.append(f"выполнены условия показателей {names_list(met)}")
        if unmet:
            parts.append(f"не выполнены условия показателей {names_list(unmet)}")
        return para(f"В {ru.period_phrase(self.period, 'loc2')} в организации " + "; ".join(parts) + ".")

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
            subject_phrase(ind.name_ru),
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
                segs += [f", по {type_datv(s.inst_type, s.place)} — ", *self.value_segs(ref, ind)]
        if ind.target is not None:
            met = meets(v, ind)
            segs += [
                "; целевое значение — ",
                *self.target_segs(ind),
                ", ",
                "достигнуто" if met else "не достигнуто",
            ]
        return end_sentence(segs)
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
            where = f"по {type_datv(s.inst_type, s.place)}" if units_institutions else "в целом по региону"
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
        missed = rows[[not meets(float(v), ind) for v in rows["value"]]]
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
            segs.append(f": {names_list(names)}.")
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
                parts.append(f"{level_adj} — {names_list(names)}")
        lead = (
            "Статус инновационной площадки имеют: "
            if not s.inst_id
            else "Инновационные площадки организации: "
        )
        self.blocks.append(para(lead + "; ".join(parts) + "."))

    # -- conclusions and recommendations
    def changes(
        self, points: Iterable[tuple[cat.Indicator, Point, Point]]
    ) -> tuple[list[list[Segment]], list[list[Segment]]]:
        """The indicators that changed significantly against the compared year, as «name (±delta)» items:
        (the better ones, the worse ones); those without both values or without a direction are left out."""
        up: list[list[Segment]] = []
        down: list[list[Segment]] = []
        for ind, cur, prev in points:
            v, pv = self.facts.value(cur), self.facts.value(prev)
            if v is None or pv is None:
                continue
            better = is_better(v - pv, ind.direction)
            if better is None or not significant(v, pv, ind):
                continue
            (up if better else down).append(
                [ru.lower_first(ind.name_ru), " (", *self.delta_segs(cur, prev, ind), ")"]
            )
        return up, down

    def area_conclusions(self, area: str, inds: list[cat.Indicator]) -> None:
        s = self.subject
        if self.compare:
            up, down = self.changes(
                (ind, s.point(ind.code, self.period), s.point(ind.code, self.compare)) for ind in inds
            )
            topic = AREA_TOPIC_NOMN[area]
            if up:
                self.conclusions.append(
                    para(
                        f"{ru.capitalize(topic)}: положительная динамика — ",
                        *join_items(up),
                        ".",
                        kind="bullet",
                    )
                )
            if down:
                self.conclusions.append(
                    para(
                        f"{ru.capitalize(topic)}: отрицательная динамика — ",
                        *join_items(down),
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
            if meets(v, ind):
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
                        f"не представивших сведений о ней: {names_list(silent)}.",
                        kind="bullet",
                    )
                )

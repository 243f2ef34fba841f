"""A section per area: narrative paragraphs per indicator, the spread among institutions, targets, tables,
charts and the area's conclusions."""

from __future__ import annotations

from typing import Any

import pandas as pd

from etl import contract
from reports import docx_builder as dx
from reports import russian as ru
from reports.note.conclusions import ConclusionSections
from reports.note.facts import (
    as_float,
    end_sentence,
    is_better,
    is_index,
    join_items,
    join_sentences,
    meets,
    names_list,
    para,
    significant,
    subject_phrase,
    type_datv,
    unit_header,
)
from reports.note.model import FigureBlock, Paragraph, Segment, TableBlock
from reports.note.words import (
    AREA_TOPIC_NOMN,
    INST_TYPES,
    MAX_NAMED_TARGET,
    MISSING_NOTE,
    NAMED_EXTREMES,
    OTHER_THEME,
    RANK_CHART,
    THEMES,
    TREND_CHART,
    TYPE_PHRASE,
)
from ru import fmt
from warehouse import catalog as cat
from warehouse import queries as q


class AreaSections(ConclusionSections):
    """One section per area of the note."""

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
            parts.append(f"выполнены условия показателей {names_list(met)}")
        if unmet:
            parts.append(f"не выполнены условия показателей {names_list(unmet)}")
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
                "Ед. изм.": "балл" if is_index(ind) else ind.unit,
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
            col = unit_header(ind)
            values = frame[frame["indicator_code"] == ind.code].set_index("unit_id")["value"]
            table[col] = [as_float(values.get(u)) for u in base["unit_id"]]
            units[col] = ind.unit
        total_label = f"Итого: {s.place}" if s.municipality else "Итого по региону"
        if s.inst_type:
            total_label = f"Итого: {ru.inflect(TYPE_PHRASE[s.inst_type], 'nomn', plural=True)} {s.place}"
        table[first].append(total_label)
        for ind in keys:
            table[unit_header(ind)].append(self.facts.value(s.point(ind.code, self.period)))
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
            (better if is_better(v - r, ind.direction) else worse).append(f"«{ru.lower_first(ind.name_ru)}»")
        where = type_datv(s.inst_type, s.place)
        if better:
            self.blocks.append(para(f"Лучше, чем по {where}: {names_list(better)}."))
        if worse:
            self.blocks.append(para(f"Хуже, чем по {where}: {names_list(worse)}."))

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
                    ref_label = f"по {type_datv(s.inst_type, s.place)}"
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
                    unit=None if is_index(ind) else ind.unit,
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
                better = is_better(v - pv, ind.direction)
                if better is None or not significant(v, pv, ind):
                    continue
                item = [ru.lower_first(ind.name_ru), " (", *self.delta_segs(cur, prev, ind), ")"]
                (up if better else down).append(item)
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

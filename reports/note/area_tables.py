"""The tables and charts of an area's section: the summary table, the institutions' (or municipalities')
table, the comparison with the municipality, the contests, the rank and trend charts."""

from __future__ import annotations

from typing import Any

import pandas as pd

from etl import contract
from reports import docx_builder as dx
from reports import russian as ru
from reports.note.conclusions import ConclusionSections
from reports.note.facts import (
    as_float,
    is_better,
    is_index,
    names_list,
    para,
    type_datv,
    unit_header,
)
from reports.note.model import FigureBlock, TableBlock
from reports.note.words import (
    INST_TYPES,
    MISSING_NOTE,
    RANK_CHART,
    TREND_CHART,
    TYPE_PHRASE,
)
from ru import fmt
from warehouse import catalog as cat
from warehouse import queries as q


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


class AreaTables(ConclusionSections):
    """The tables and charts of the area sections, and the checks they share with the text."""

    def yes_no(self, ind: cat.Indicator) -> bool:
        """A share over institutions, in a note on one institution: 100 % or 0 % says yes or no."""
        return (
            bool(self.subject.inst_id) and ind.kind == "share" and self.facts.is_binary(ind.code, self.period)
        )

    def has_value(self, ind: cat.Indicator) -> bool:
        s = self.subject
        points = [s.point(ind.code, self.period)]
        if self.compare:
            points.append(s.point(ind.code, self.compare))
        return any(self.facts.value(p) is not None for p in points)

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
                    _upper_first(contract.label_ru(contract.ACTIVITY_TYPES, a)) for a in data["activity_type"]
                ],
                # capitalise the first letter only: «Уровень ОО», not «Уровень оо» (str.capitalize lowers the rest)
                "Уровень": [_upper_first(contract.label_ru(contract.LEVELS, lv)) for lv in data["level"]],
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

"""The note's conclusions, recommendations (derived from rules) and appendices (lists of people)."""

from __future__ import annotations

from reports import russian as ru
from reports.note.facts import due_frame, meets, names_list, para, type_datv
from reports.note.general import GeneralSection
from reports.note.model import Heading, Num, Point, Ref, Segment, TableBlock
from reports.note.words import (
    APPENDIX_TITLES,
    DATASET_ABOUT,
    MAX_NAMED,
    OPTIONAL_DATASETS,
    PERSONAL_DATA_NOTE,
    TRAINING_URGENT_SHARE,
)
from ru import fmt
from warehouse import catalog as cat
from warehouse import note_queries as nq
from warehouse import queries as q


class ConclusionSections(GeneralSection):
    """Conclusions, recommendations and appendices; the area sections add their recommendations here."""

    def headcount(self, code: str) -> tuple[Point, int | None]:
        """The point of a headcount indicator in the period and its count, None when it is missing or zero
        (no recommendation is made about nobody)."""
        point = self.subject.point(code, self.period)
        value = self.facts.value(point)
        return point, int(value) if value else None

    def due_recommendation(self, segs: list[Segment], kind: str) -> None:
        """A recommendation about people due for training or attestation; it points to the appendix with
        their names when the user may see them."""
        if self.people:
            self.appendices.append((kind, APPENDIX_TITLES[kind]))
            segs.append(f"; поимённый список — приложение {len(self.appendices)}")
        segs.append(".")
        self.recommendations.append(para(segs, kind="bullet"))

    def target_recommendation(self, ind: cat.Indicator) -> None:
        if ind.code == "STAFF_TRAINED_3Y":
            return  # the training plan below covers it
        s = self.subject
        text = f"Обеспечить достижение целевого значения показателя «{ru.lower_first(ind.name_ru)}»"
        if s.inst_id:
            self.recommendations.append(para(text, ".", kind="bullet"))
            return
        rows = self.facts.unit_rows(ind.code, self.period)
        missed = sorted(rows.loc[[not meets(float(v), ind) for v in rows["value"]], "unit_name"].tolist())
        if missed and len(missed) <= MAX_NAMED:
            self.recommendations.append(
                para(text, f" в первую очередь в организациях: {names_list(missed)}.", kind="bullet")
            )
        else:
            self.recommendations.append(para(text, ".", kind="bullet"))

    def staff_recommendations(self) -> None:
        s = self.subject
        get = self.facts.value
        training, n = self.headcount("STAFF_TRAINING_DUE")
        staff = get(s.point("STAFF_COUNT", self.period))
        if n is not None:
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
            self.due_recommendation(segs, "training")
        attestation = s.point("STAFF_ATTESTATION_DUE", self.period)
        lapsed = s.point("STAFF_CATEGORY_LAPSED", self.period)
        n_att = int(get(attestation) or 0)
        n_lapsed = int(get(lapsed) or 0)
        if n_att or n_lapsed:
            # the lapsed ones (already counted as «без категории») are the most urgent: named first
            segs = ["Спланировать аттестацию "]
            if n_lapsed:
                segs += [
                    "в первую очередь ",
                    Num(fmt.integer(n_lapsed), Ref("number", lapsed)),
                    f"{fmt.NBSP}{ru.agree(n_lapsed, 'педагогический работник', 'gent')}, у ",
                    "которого" if ru.numeral_form(n_lapsed) == "one" else "которых",
                    " срок действия квалификационной категории уже истёк",
                ]
            if n_att:
                segs += [
                    ", а также " if n_lapsed else "",
                    Num(fmt.integer(n_att), Ref("number", attestation)),
                    f"{fmt.NBSP}{ru.agree(n_att, 'педагогический работник', 'gent')}, у ",
                    "которого" if ru.numeral_form(n_att) == "one" else "которых",
                    " срок истекает в ближайшие 12 месяцев",
                ]
            segs.append(", и провести консультации по подготовке к ней")
            self.due_recommendation(segs, "attestation")
        self.young_recommendation()
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

    def young_recommendation(self) -> None:
        """Mentors for the young specialists (planning.py names those who have none)."""
        young, n = self.headcount("STAFF_YOUNG_SPECIALISTS")
        if n is not None:
            self.recommendations.append(
                para(
                    "Закрепить наставников за ",
                    Num(fmt.integer(n), Ref("number", young)),
                    f"{fmt.NBSP}{ru.agree(n, 'молодой специалист', 'ablt')} и включить их в работу "
                    "муниципального объединения молодых педагогов.",
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
                f" по {type_datv(inst_type, s.place)}",
            ]
        segs.append("; оказать им адресную методическую помощь.")
        self.recommendations.append(para(segs, kind="bullet"))

    def data_recommendations(self) -> None:
        s = self.subject
        wanted = [d for d in self.datasets() if d not in OPTIONAL_DATASETS]
        for dataset in wanted:
            missing = self.submitted.loc[~self.submitted[dataset], "short_name"].tolist()
            if missing and not s.inst_id:
                self.recommendations.append(
                    para(
                        f"Обеспечить представление сведений {DATASET_ABOUT[dataset]}: {names_list(missing)}.",
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
            for dataset in [d for d in self.datasets() if d not in OPTIONAL_DATASETS]:
                missing = self.submitted.loc[~self.submitted[dataset], "short_name"].tolist()
                if missing:
                    self.conclusions.append(
                        para(
                            f"Сведения {DATASET_ABOUT[dataset]} представлены не всеми организациями "
                            f"(не представлены: {names_list(missing)}); показатели рассчитаны по представленным данным.",
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
            frame = due_frame(rows, kind, with_institution=not s.inst_id)
            self.blocks.append(
                TableBlock(
                    caption=f"{title} ({self.scope_label()})",
                    frame=frame,
                    dates=tuple(c for c in frame.columns if c.startswith(("Дата", "Срок", "Действует"))),
                    personal=True,
                    font_pt=10,
                )
            )

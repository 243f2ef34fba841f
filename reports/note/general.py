"""Section 1, «Общие сведения»: purpose, filters, reporting date, sources, completeness, data quality."""

from __future__ import annotations

import pandas as pd

from etl import contract
from reports import russian as ru
from reports.note.builder import BuilderBase
from reports.note.facts import names_list, para
from reports.note.model import Paragraph, Segment, TableBlock
from reports.note.words import (
    ANY_TYPE_PHRASE,
    AREA_DATASETS,
    AREA_TOPIC_GENT,
    AREA_TOPIC_NOMN,
    DATASET_ABOUT,
    DEMO_NOTE,
    INST_TYPES,
    MAX_NAMED,
    OPTIONAL_DATASETS,
    TYPE_PHRASE,
)
from ru import fmt
from warehouse import note_queries as nq


class GeneralSection(BuilderBase):
    """Section 1 of the note."""

    # -- 1. general
    def general(self) -> None:
        self.heading("Общие сведения")
        s = self.subject
        topics = ru.join_and([AREA_TOPIC_GENT[a] for a in self.areas])
        compare_text = f" в сравнении с {ru.period_phrase(self.compare, 'ablt')}" if self.compare else ""
        # the city's purpose (finding the institutions that need support) is not a single school's
        aim = (
            "выявление направлений, требующих методической поддержки, и планирование работы с "
            "педагогическими кадрами организации."
            if s.inst_id
            else "выявление организаций, требующих методической поддержки, и планирование работы с "
            "педагогическими кадрами."
        )
        self.blocks.append(
            para(
                f"Цель: анализ {topics} {s.orgs_gent()} по итогам мониторинга "
                f"за {ru.period_phrase(self.period, 'accs')}{compare_text}; {aim}"
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
                    f"{ru.lower_first(contract.DATASETS[d].title_ru)} (форма «{contract.DATASETS[d].title_ru}»)"
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
            if missing and dataset not in OPTIONAL_DATASETS:
                shown = missing if len(missing) <= MAX_NAMED else missing[:MAX_NAMED] + ["…"]
                segs.append(
                    f" (не {'представили' if len(missing) > 1 else 'представила'}: {names_list(shown)})"
                )
        segs.append(".")
        # said only when someone did not submit: «представили 30 из 30» needs no rule for the missing
        innovation_missing = "innovation" in self.datasets() and not bool(frame["innovation"].all())
        if innovation_missing and not s.inst_id:
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

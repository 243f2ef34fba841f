"""What the «Загрузка данных» and «Качество данных» pages and the KPI badges show, shaped from
warehouse.quality's frames (no Streamlit here: tests call these).

Russian headers and labels come from ui.messages and the data contract (etl.contract: column headers
as the templates print them); numbers are not rounded here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from etl import messages as etl_messages
from etl.contract import DATASETS as CONTRACT
from ru import fmt, labels
from ui import messages
from ui.views import safe
from ui.views.tables import Catalog, Table
from warehouse.catalog import indicator as catalog_entry
from warehouse.quality import REQUIRED_DATASETS, SUBMITTED, WARNING_PENALTY, Gaps


# ----------------------------------------------------------------------------------------- words
def dataset_name(code: Any) -> str:
    if fmt.is_missing(code):
        return fmt.MISSING
    return labels.DATASET_NAMES.get(str(code), str(code))


def rule_name(code: Any) -> str:
    code = str(code)
    return labels.RULE_NAMES.get(code) or messages.WARNING_NAMES.get(code) or code


def column_header(dataset: Any, column: Any) -> str:
    """The column as the school sees it in its file (the template's Russian header)."""
    if fmt.is_missing(column):
        return ""
    ds = CONTRACT.get(str(dataset)) if not fmt.is_missing(dataset) else None
    if ds is not None:
        try:
            return ds.column(str(column)).header_ru
        except KeyError:
            pass
    return str(column)


def timestamp(value: Any) -> str:
    """`25.11.2026 18:40`; «—» when missing."""
    if fmt.is_missing(value):
        return fmt.MISSING
    stamp = pd.Timestamp(value)
    return stamp.strftime("%d.%m.%Y %H:%M")


def _type_short(code: Any) -> str:
    return "" if fmt.is_missing(code) else messages.INST_TYPE_SHORT.get(str(code), str(code))


def rows_word(n: int) -> str:
    return fmt.plural(n, "строка", "строки", "строк")


def rows_of_word(n: int) -> str:
    """«из 1 строки», «из 5 строк» (genitive after «из»)."""
    return fmt.plural(n, "строки", "строк", "строк")


# ----------------------------------------------------------------------------------------- completeness
@dataclass(frozen=True)
class CompletenessSummary:
    total: int  # registry institutions in the scope
    complete: int  # every required dataset submitted (with or without quarantined rows)
    with_quarantine: int  # of those, some required dataset partly quarantined in its latest load
    missing_any: int  # at least one required dataset not submitted
    missing: dict[str, int] = field(default_factory=dict)  # per required dataset

    @property
    def share(self) -> float | None:
        return 100.0 * self.complete / self.total if self.total else None


def completeness_summary(long: pd.DataFrame) -> CompletenessSummary:
    """Counts over warehouse.quality.completeness rows."""
    required = long[long["dataset"].isin(REQUIRED_DATASETS)]
    if required.empty:
        return CompletenessSummary(0, 0, 0, 0, {d: 0 for d in REQUIRED_DATASETS})
    by_inst = required.groupby("inst_id")["status"]
    submitted = by_inst.apply(lambda s: bool(s.isin(SUBMITTED).all()))
    partial = by_inst.apply(lambda s: bool((s == "partial").any()))
    missing = {
        d: int((~required.loc[required["dataset"] == d, "status"].isin(SUBMITTED)).sum())
        for d in REQUIRED_DATASETS
    }
    return CompletenessSummary(
        total=int(len(submitted)),
        complete=int(submitted.sum()),
        with_quarantine=int((submitted & partial).sum()),
        missing_any=int((~submitted).sum()),
        missing=missing,
    )


def _status_cell(status: str, dataset: str, rows: int, loaded: int, quarantined: int) -> str:
    """A short cell (the colour and the legend say the rest): «есть: 36 строк», «в карантине 1 из 21»,
    «всё в карантине (1)», «не представлены», «нет записей» (innovation, optional)."""
    if status == "complete":
        return f"есть: {fmt.integer(rows)} {rows_word(rows)}"
    if status == "partial":
        return f"в карантине {fmt.integer(quarantined)} из {fmt.integer(loaded + quarantined)}"
    if status == "quarantined":
        return f"всё в карантине ({fmt.integer(quarantined)})"
    return messages.OPTIONAL_MISSING if dataset not in REQUIRED_DATASETS else messages.STATUS_NAMES["missing"]


COMPLETE_COLUMN = "Всё представлено"
_ORDER = {"missing": 0, "quarantined": 0, "partial": 1, "complete": 2}


@dataclass
class Matrix:
    """The completeness matrix: the table, and the status code behind each dataset cell (for colours)."""

    table: Table
    statuses: pd.DataFrame  # same index as table.frame; one column per dataset header


def completeness_matrix(long: pd.DataFrame, *, with_municipality: bool = True) -> Matrix:
    """Institutions × datasets: rows with a problem first (missing, then partly quarantined), then by name.
    `with_municipality=False` leaves the municipality column out (a warehouse of one municipality)."""
    headers = {d: labels.DATASET_NAMES[d] for d in ("staff", "ict", "innovation")}
    headers["innovation"] += " (справочно)"
    if long.empty:
        cols = ["Организация", "Тип", "Муниципалитет", *headers.values(), COMPLETE_COLUMN]
        return Matrix(Table(frame=pd.DataFrame(columns=cols)), pd.DataFrame(columns=list(headers.values())))
    rows = []
    statuses = []
    for _inst_id, part in long.groupby("inst_id", sort=False):
        first = part.iloc[0]
        by_ds: dict[str, Any] = {str(r.dataset): r for r in part.itertuples(index=False)}
        row: dict[str, Any] = {
            "Организация": first["short_name"],
            "Тип": _type_short(first["inst_type"]),
            "Муниципалитет": first["municipality"],
        }
        status_row = {}
        for d, head in headers.items():
            r = by_ds[d]
            row[head] = _status_cell(
                str(r.status), d, int(r.rows), int(r.latest_rows_loaded), int(r.latest_rows_quarantined)
            )
            status_row[head] = (
                "optional_missing" if d not in REQUIRED_DATASETS and r.status == "missing" else r.status
            )
        required = [str(by_ds[d].status) for d in REQUIRED_DATASETS]
        if not all(s in SUBMITTED for s in required):
            row[COMPLETE_COLUMN] = "нет"
        elif "partial" in required:
            row[COMPLETE_COLUMN] = "да, с ошибками"
        else:
            row[COMPLETE_COLUMN] = "да"
        row["_order"] = min(_ORDER[s] for s in required)
        rows.append(row)
        statuses.append(status_row)
    frame = pd.DataFrame(rows)
    status_frame = pd.DataFrame(statuses)
    order = frame.sort_values(["_order", "Организация"], kind="stable").index
    frame = frame.loc[order].drop(columns="_order").reset_index(drop=True)
    if not with_municipality:
        frame = frame.drop(columns="Муниципалитет")
    status_frame = status_frame.loc[order].reset_index(drop=True)
    return Matrix(Table(frame=frame), status_frame)


STATUS_COLOURS = {
    "complete": "background-color: #e6f4ea",
    "partial": "background-color: #fff4d6",
    "quarantined": "background-color: #fde2e1",
    "missing": "background-color: #fde2e1",
    "optional_missing": "",
}


def matrix_head(matrix: Matrix, rows: int) -> Matrix:
    """The first `rows` institutions of the matrix (those with a problem come first), their statuses beside."""
    if len(matrix.table.frame) <= rows:
        return matrix
    return Matrix(replace(matrix.table, frame=matrix.table.frame.head(rows)), matrix.statuses.head(rows))


def styled_matrix(matrix: Matrix) -> Any:
    """The matrix as a pandas Styler: green submitted, yellow partly quarantined, red missing."""
    frame = matrix.table.frame

    def colours(_: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame("", index=frame.index, columns=frame.columns)
        for col in matrix.statuses.columns:
            out[col] = matrix.statuses[col].map(lambda s: STATUS_COLOURS.get(str(s), ""))
        out[COMPLETE_COLUMN] = (
            frame[COMPLETE_COLUMN]
            .map({"да": STATUS_COLOURS["complete"], "да, с ошибками": STATUS_COLOURS["partial"]})
            .fillna(STATUS_COLOURS["missing"])
        )
        return out

    return frame.style.apply(colours, axis=None)


# ----------------------------------------------------------------------------------------- score
def score_table(scores: pd.DataFrame, *, with_municipality: bool = True) -> Table:
    """The scores, worst first, with their parts."""
    frame = pd.DataFrame(
        {
            "Организация": scores["short_name"],
            "Тип": scores["inst_type"].map(_type_short),
            "Муниципалитет": scores["municipality"],
            "Оценка, баллы": scores["score"].astype("float64"),
            "Уровень": scores["band"].map(messages.SCORE_BANDS),
            "Кадры, баллы": scores["staff_points"].astype("float64"),
            "Информатизация, баллы": scores["ict_points"].astype("float64"),
            "Строк в последних загрузках": (scores["staff_sent"] + scores["ict_sent"]).astype("float64"),
            "из них в карантине": (scores["staff_quarantined"] + scores["ict_quarantined"]).astype("float64"),
            "Предупреждений": (scores["staff_warnings"] + scores["ict_warnings"]).astype("float64"),
            "Не представлены": [
                ", ".join(
                    labels.DATASET_NAMES[d].lower()
                    for d in REQUIRED_DATASETS
                    if str(r[f"{d}_status"]) not in SUBMITTED
                )
                for _, r in scores.iterrows()
            ],
        }
    )
    units = {
        "Оценка, баллы": "балл",
        "Кадры, баллы": "балл",
        "Информатизация, баллы": "балл",
        "Строк в последних загрузках": "ед.",
        "из них в карантине": "ед.",
        "Предупреждений": "ед.",
    }
    if not with_municipality:
        frame = frame.drop(columns="Муниципалитет")
    return Table(frame=frame.reset_index(drop=True), units=units)


def score_explanation() -> str:
    return messages.SCORE_EXPLANATION.format(penalty=fmt.integer(WARNING_PENALTY))


def score_summary(scores: pd.DataFrame) -> dict[str, Any]:
    """The mean score and the count per band."""
    if scores.empty:
        return {"mean": None, "good": 0, "fair": 0, "poor": 0}
    counts = scores["band"].value_counts()
    return {
        "mean": float(scores["score"].mean()),
        **{band: int(counts.get(band, 0)) for band in ("good", "fair", "poor")},
    }


# ----------------------------------------------------------------------------------------- warnings
def warning_explanations(settings: dict[str, str], period: str) -> dict[str, str]:
    """Each warning rule in words, with the warehouse's thresholds."""
    share = fmt.percent(float(settings.get("yoy_warning_share", "0.33")) * 100, 0)
    z = fmt.number(float(settings.get("outlier_z", "3.5")), 1)
    return {
        rule: text.format(share=share, z=z, period=period)
        for rule, text in messages.WARNING_EXPLANATIONS.items()
    }


def warnings_table(frame: pd.DataFrame) -> Table:
    return Table(
        frame=pd.DataFrame(
            {
                "Организация": frame["short_name"].fillna(frame["inst_id"]),
                "Тип": frame["inst_type"].map(_type_short),
                "Набор данных": frame["dataset"].map(dataset_name),
                "Предупреждение": frame["rule"].map(rule_name),
                "Что обнаружено": frame["message_ru"],
            }
        ).reset_index(drop=True)
    )


def warning_counts(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["rule"].value_counts() if not frame.empty else pd.Series(dtype="int64")
    return {rule: int(counts.get(rule, 0)) for rule in messages.WARNING_NAMES}


# ----------------------------------------------------------------------------------------- quarantine
def institution_label(inst_id: Any, short_name: Any) -> str:
    if fmt.is_missing(inst_id) or str(inst_id) == "":
        return "(код не указан)"
    if fmt.is_missing(short_name):
        return f"{inst_id} (нет в справочнике)"
    return f"{short_name} ({inst_id})"


@dataclass(frozen=True)
class QuarantineOptions:
    institutions: dict[str, str]  # inst_id → label
    datasets: dict[str, str]
    rules: dict[str, str]
    periods: list[str]


def quarantine_options(facets: pd.DataFrame) -> QuarantineOptions:
    """The choices of the quarantine filters (only values that occur)."""
    inst = facets.dropna(subset=["inst_id"]).drop_duplicates("inst_id")
    institutions = {
        str(r.inst_id): institution_label(r.inst_id, r.short_name) for r in inst.itertuples(index=False)
    }
    institutions = dict(sorted(institutions.items(), key=lambda kv: kv[1]))
    datasets = {str(d): dataset_name(d) for d in sorted(set(facets["dataset"].dropna()))}
    rules = {str(r): rule_name(r) for r in sorted(set(facets["rule"].dropna()), key=rule_name)}
    periods = sorted({str(p) for p in facets["period"].dropna()}, reverse=True)
    return QuarantineOptions(institutions, datasets, rules, periods)


def quarantine_table(frame: pd.DataFrame, *, show_superseded: bool = False) -> Table:
    out = pd.DataFrame(
        {
            "Загружен": frame["loaded_at"].map(timestamp),
            "Файл": frame["source_file"],
            "Строка": frame["row_number"].astype("float64"),
            "Код организации": frame["inst_id"].fillna(""),
            "Организация": frame["short_name"].fillna(""),
            "Учебный год": frame["period"].fillna(""),
            "Набор данных": frame["dataset"].map(dataset_name),
            "Столбец": [
                column_header(d, c) for d, c in zip(frame["dataset"], frame["column_name"], strict=True)
            ],
            "Значение": frame["value"].fillna(""),
            "Правило": frame["rule"].map(rule_name),
            "Ошибка": frame["message_ru"],
        }
    )
    if show_superseded:
        out["Исправлено позже"] = frame["superseded"].map(lambda x: "да" if bool(x) else "")
    return Table(frame=out.reset_index(drop=True), units={"Строка": "ед."})


# ----------------------------------------------------------------------------------------- load log
def load_log_table(frame: pd.DataFrame) -> Table:
    out = pd.DataFrame(
        {
            "Дата и время": frame["loaded_at"].map(timestamp),
            "Файл": frame["source_file"],
            "Набор данных": frame["dataset"].map(dataset_name),
            "Итог": frame["status"].map(lambda s: labels.LOAD_STATUS_NAMES.get(str(s), str(s))),
            "Прочитано строк": frame["rows_read"].astype("float64"),
            "Загружено": frame["rows_loaded"].astype("float64"),
            "В карантине": frame["rows_quarantined"].astype("float64"),
            "Сообщение": frame["message_ru"].fillna(""),
            "Загрузил": frame["uploaded_by"].fillna("") if "uploaded_by" in frame else "",
        }
    )
    units = {"Прочитано строк": "ед.", "Загружено": "ед.", "В карантине": "ед."}
    return Table(frame=out.reset_index(drop=True), units=units)


# ----------------------------------------------------------------------------------------- upload
def file_summary(results: Sequence[Any]) -> Table:
    """One row per file of a load (etl.loader.FileResult): the command line's per-file summary as a table."""
    frame = pd.DataFrame(
        {
            "Файл": [f.source_file for f in results],
            "Набор данных": [dataset_name(f.dataset) for f in results],
            "Итог": [labels.LOAD_STATUS_NAMES.get(f.status, f.status) for f in results],
            "Прочитано строк": [float(f.rows_read) for f in results],
            "Загружено": [float(f.rows_loaded) for f in results],
            "В карантине": [float(f.rows_quarantined) for f in results],
            "Предупреждений": [float(f.warnings) for f in results],
            "Сообщение": [f.message_ru for f in results],
        }
    )
    units = {k: "ед." for k in ("Прочитано строк", "Загружено", "В карантине", "Предупреждений")}
    return Table(frame=frame, units=units)


def total_line(results: Sequence[Any]) -> str:
    """The command line's «Итого …» line."""
    return etl_messages.CLI_TOTAL.format(
        files=len(results),
        loaded=sum(f.rows_loaded for f in results),
        quarantined=sum(f.rows_quarantined for f in results),
        rejected=sum(f.status == "rejected" for f in results),
    )


# the cause right after the row: the file and column of a message are columns of their own already
ERROR_COLUMNS = ["Файл", "Строка", "Ошибка", "Столбец", "Значение"]
# etl.messages.ROW_ISSUE: «Файл «…», строка 3, столбец «…»: значение «…» — explanation.»
_ROW_ISSUE = re.compile(r"^Файл «.*?», строка \d+, столбец «.*?»: значение «.*?» — (?P<cause>.+?)\.?$", re.S)


def error_cause(message: str) -> str:
    """The cause of a quarantined row's message without its file, row, column and value (the table has them
    as columns): «Файл «ict.csv», строка 3, столбец «…»: значение «0» — численность … нуля.» →
    «Численность … нуля». A message of another shape is kept whole."""
    found = _ROW_ISSUE.match(message)
    if found is None:
        return message
    cause = found.group("cause")
    return cause[:1].upper() + cause[1:]


def errors_frame(results: Sequence[Any], quarantine: pd.DataFrame) -> pd.DataFrame:
    """The errors of a load, to send back to the school: a rejected file's message, then every quarantined
    row (warehouse.quality.upload_errors) — file, row, the cause, column, value; in the order of the files."""
    rows: list[dict[str, Any]] = []
    for f in results:
        if f.status == "rejected":
            rows.append(
                {"Файл": f.source_file, "Строка": None, "Ошибка": f.message_ru, "Столбец": "", "Значение": ""}
            )
        part = quarantine[quarantine["batch_id"] == f.batch_id] if not quarantine.empty else quarantine
        for r in part.itertuples(index=False):
            withheld = fmt.is_missing(r.message_ru)
            rows.append(
                {
                    "Файл": f.source_file,
                    "Строка": r.row_number,
                    "Ошибка": f"{rule_name(r.rule)} {messages.UPLOAD_WITHHELD}"
                    if withheld
                    else error_cause(str(r.message_ru)),
                    "Столбец": column_header(r.dataset, r.column_name),
                    "Значение": messages.UPLOAD_WITHHELD
                    if withheld
                    else ("" if fmt.is_missing(r.value) else r.value),
                }
            )
    frame = pd.DataFrame(rows, columns=ERROR_COLUMNS)
    frame["Строка"] = pd.to_numeric(frame["Строка"], errors="coerce").astype("float64")
    return frame


def no_errors_text(results: Sequence[Any]) -> str:
    """What the errors section says when this load quarantined nothing and refused nothing — following the
    counts: «все строки загружены» only when every file was loaded; a repeat loaded nothing, and the rows its
    earlier load quarantined are still there."""
    repeats = [f for f in results if f.status == "duplicate"]
    if not repeats:
        return messages.UPLOAD_NO_ERRORS
    names = ", ".join(f"«{f.source_file}»" for f in repeats)
    one = len(repeats) == 1
    held = sum(f.previous_quarantined or 0 for f in repeats)
    text = messages.UPLOAD_NO_NEW_ERRORS.format(
        files=f"Файл {names}" if one else f"Файлы {names}", verb="загружался" if one else "загружались"
    )
    if not one:
        text = text.replace("строки из него", "строки из них")
    if held:
        text += " " + messages.UPLOAD_STILL_QUARANTINED.format(quarantined=fmt.integer(held))
    return text


def errors_title(file_name: str | None = None, when: dt.date | None = None) -> str:
    day = fmt.date(when or dt.date.today())
    return f"Ошибки загрузки файла «{file_name}», {day}" if file_name else f"Ошибки загрузки, {day}"


class FileProgress:
    """Per-file progress from the loader's `progress(fraction, text)` callback.

    The loader reports `«file»: step` when it reaches a step of a file (etl.messages.PROGRESS_STEPS: read,
    normalize, validate, write — a loader may skip some or run them file by file or in passes over all
    files) and unnamed steps (a dataset's validation, the marts, the publication). A file's bar only moves
    forward: to the share of the steps it has reached; every file is complete when the marts are built.
    `files[i]` is (fraction, text) of the i-th name; `overall` is the whole load's.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        self.files: list[tuple[float, str]] = [(0.0, messages.UPLOAD_WAITING) for _ in self.names]
        self.overall: tuple[float, str] = (0.0, messages.UPLOAD_RUNNING)
        self._file_steps = [
            etl_messages.PROGRESS_STEPS[k] for k in ("read", "normalize", "validate", "write")
        ]
        self._final_steps = {etl_messages.PROGRESS_STEPS[k] for k in ("marts", "publish")}

    def _match(self, text: str) -> tuple[str, str] | None:
        """(file name, step) of a message about one file; the longest name wins (names may contain «: »)."""
        best: str | None = None
        for name in self.names:
            if text.startswith(f"{name}: ") and (best is None or len(name) > len(best)):
                best = name
        return None if best is None else (best, text[len(best) + 2 :])

    def update(self, fraction: float, text: str) -> None:
        self.overall = (max(0.0, min(1.0, fraction)), text)
        found = self._match(text)
        if found is None:
            if text in self._final_steps:
                self.files = [(1.0, messages.UPLOAD_FILE_DONE) for _ in self.names]
            return
        name, step = found
        reached = self._file_steps.index(step) + 1 if step in self._file_steps else 1
        level = reached / (len(self._file_steps) + 1)
        # two files of the same name: the first of them that has not reached this step yet
        for i, other in enumerate(self.names):
            if other == name and self.files[i][0] < level:
                self.files[i] = (level, step)
                return

    def finish(self, results: Sequence[Any]) -> None:
        """After the load: every file done, labelled with its outcome."""
        outcome: dict[str, list[str]] = {}
        for f in results:
            outcome.setdefault(f.source_file, []).append(labels.LOAD_STATUS_NAMES.get(f.status, f.status))
        for i, name in enumerate(self.names):
            texts = outcome.get(name) or [messages.UPLOAD_FILE_DONE]
            self.files[i] = (1.0, texts.pop(0) if len(texts) > 1 else texts[0])
        self.overall = (1.0, messages.UPLOAD_DONE)


# ----------------------------------------------------------------------------------------- KPI badges
_SOURCE_DATASET = re.compile(r"\((staff|ict|innovation)\)")
# indicators whose base is the institutions that reported at least one of their datasets (the catalogue's
# formula: «число отчитавшихся организаций» — sent staff or ict), not all of them
REPORTED_ANY = frozenset({"INNO_ORGS_WITH_SITE"})


def published_types(code: str) -> tuple[str, ...] | None:
    """The institution types an indicator is published for (the catalogue's inst_types); None = all."""
    try:
        return catalog_entry(code).inst_types
    except KeyError:
        return None


def indicator_datasets(info: dict[str, Any]) -> tuple[str, ...]:
    """The required datasets (staff, ict) an indicator is computed from, read from the catalogue's source
    («Сведения о педагогических работниках (staff); Сведения об информатизации (ict) — …»)."""
    found = _SOURCE_DATASET.findall(str(info.get("source_ru") or ""))
    return tuple(d for d in REQUIRED_DATASETS if d in found)


@dataclass(frozen=True)
class Badge:
    code: str
    missing: int
    total: int
    text: str
    help: str
    # the query parameters of the link to the quality page (the dashboard's period and scope)
    params: tuple[tuple[str, str], ...] = ()


def badge_text(missing: int, total: int) -> str:
    if total == 1 and missing == 1:
        return messages.BADGE_INCOMPLETE_ONE
    return messages.BADGE_INCOMPLETE.format(
        missing=fmt.integer(missing),
        total=fmt.integer(total),
        orgs=fmt.plural(total, "организации", "организаций", "организаций"),
        verb=fmt.plural(missing, "представила", "представили", "представили"),
    )


def kpi_badges(
    catalog: Catalog, codes: Sequence[str], gaps: Gaps, params: dict[str, str] | None = None
) -> dict[str, Badge]:
    """A badge for each KPI of `codes` whose value is built on incomplete data: some registry institutions
    of the scope sent none of the rows the indicator is computed from, for the period."""
    badges: dict[str, Badge] = {}
    for code in codes:
        datasets = indicator_datasets(catalog.info(code))
        types = published_types(code)
        scope = gaps.of_types(types) if types else gaps
        if not datasets or scope.total == 0:
            continue
        missing = scope.missing_all(datasets) if code in REPORTED_ANY else scope.missing_any(datasets)
        if not missing:
            continue
        names = [scope.names.get(i, i) for i in missing]
        shown = ", ".join(names[:10]) + (f" и ещё {len(names) - 10}" if len(names) > 10 else "")
        joiner = " или " if code in REPORTED_ANY else " и "
        badges[code] = Badge(
            code=code,
            missing=len(missing),
            total=scope.total,
            text=badge_text(len(missing), scope.total),
            help=messages.BADGE_HELP.format(
                what=joiner.join(messages.BADGE_WHAT[d] for d in datasets),
                period=gaps.period,
                names=safe.md(shown),  # the tooltip is Markdown; the names come from the registry file
            ),
            params=tuple(sorted((params or {}).items())),
        )
    return badges


def completeness_by_municipality(long: pd.DataFrame) -> Table:
    """Per municipality: institutions, how many submitted every required dataset and their share, and how
    many lack each required dataset (for the region view)."""
    rows = []
    for municipality, part in long.groupby("municipality", sort=True):
        s = completeness_summary(part)
        rows.append(
            {
                "Муниципалитет": municipality,
                "Организаций": float(s.total),
                "Представили все обязательные сведения": float(s.complete),
                "Доля представивших, %": s.share,
                **{
                    f"Не представили: {labels.DATASET_NAMES[d].lower()}": float(s.missing.get(d, 0))
                    for d in REQUIRED_DATASETS
                },
            }
        )
    frame = pd.DataFrame(rows)
    units = {c: ("%" if c.endswith("%") else "ед.") for c in frame.columns if c != "Муниципалитет"}
    if not frame.empty:
        frame = frame.sort_values("Доля представивших, %", kind="stable").reset_index(drop=True)
    return Table(frame=frame, units=units)


UNDOABLE = ("loaded", "partial")  # loads that wrote rows; an undo's own rows and refused files are not


def undo_choices(log: pd.DataFrame) -> dict[str, str]:
    """batch_id → «02.12.2026 10:15 · staff.csv · загружен (120 строк)» for the loads an administrator may
    try to undo (newest first, as the log is), leaving out the ones already undone."""
    if log.empty:
        return {}
    undone = {b.removeprefix("undo-") for b in log.loc[log["status"] == "undone", "batch_id"]}
    rows = log[log["status"].isin(UNDOABLE) & ~log["batch_id"].isin(undone)]
    return {
        r.batch_id: (
            f"{timestamp(r.loaded_at)} · {r.source_file} · {labels.LOAD_STATUS_NAMES.get(r.status, r.status)} "
            f"({fmt.integer(r.rows_loaded)} {fmt.plural(int(r.rows_loaded), 'строка', 'строки', 'строк')})"
        )
        for r in rows.itertuples(index=False)
    }

"""The institution's passport (паспорт образовательной организации): one DOCX for one institution and period.

    data = build_passport(db_path, user, "BGR-S01", "2024/2025")      # bytes of the .docx
    write_passport(db_path, user, "BGR-S01", "2024/2025", Path("pasport.docx"))

Sections: 1 identification; 2 the comparison of the «Сравнение» page (the peer group, strengths and
weaknesses, the profile of every indicator against the municipality and the peers, a bullet chart per area,
a radar of percentiles); 3 trends over the periods (every indicator by year, and the key ones against the
municipality's institutions of the same type); 4 the data-quality state of the institution's submissions
(what it sent each year, the files, the quarantined rows by rule — counts only, no values —, the warnings).

Every number comes from warehouse/compare.py and the query layer, and is printed with the dashboards'
formats, so the passport, the page and the mart agree. Access is checked in the data layer
(`compare.require_passport_access`): a director gets their own institution's passport only. The command
line (`python -m etl passport`) runs as `CLI_USER`, an administrator: whoever can read the warehouse file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pandas as pd

from auth.identity import User
from etl import labels
from reports import docx_builder as dx
from reports import peers as cc
from reports import russian
from ru import fmt, palette
from ru import labels as names
from warehouse import catalog as cat
from warehouse import compare, note_queries, queries
from warehouse.catalog import area_names
from warehouse.subjects import SUBJECT_NAMES_RU

CLI_USER = User(login="command-line", role="admin")
ORGANISATION = "Мониторинг качества образования"
TITLE = "ПАСПОРТ ОБРАЗОВАТЕЛЬНОЙ ОРГАНИЗАЦИИ"
COLUMN_LABELS = {"staff_id": "Табельный номер", "inst_id": "Код организации", "period": "Учебный год"}
AREAS = ("staff", "ict", "innovation")
TABLE_FONT_PT = 10


class PassportError(ValueError):
    """The passport cannot be made (unknown institution or period); the message is for the user."""


# ----------------------------------------------------------------------------------------- the document
def build_passport(
    db_path: str | os.PathLike[str], user: User, inst_id: str, period: str, *, today: dt.date | None = None
) -> bytes:
    """The passport of `inst_id` for `period` as DOCX bytes.

    PermissionError when `user` may not have it (a director of another institution); PassportError for an
    unknown institution or a period without published values."""
    compare.require_passport_access(user, inst_id)
    inst = compare.institution_info(db_path, user, inst_id)
    if inst is None:
        raise PassportError(f"Организация с кодом «{inst_id}» не найдена в справочнике.")
    periods = queries.list_periods(db_path, user)
    if period not in periods:
        known = ", ".join(periods) or "нет ни одного"
        raise PassportError(f"За {period} учебный год показателей нет. Доступные годы: {known}.")

    group = compare.peer_group(db_path, user, inst_id, period)
    members = compare.peer_members(db_path, user, inst_id, period)
    profile = compare.institution_profile(db_path, user, inst_id, period)
    quality = compare.data_quality(db_path, user, inst_id, period)
    report_date = queries.period_reporting_date(db_path, user, period)

    doc = dx.DocxReport(title=f"Паспорт организации: {inst.short_name}", author=ORGANISATION, subject=period)
    doc.title_block(
        ORGANISATION,
        TITLE,
        subtitle=inst.name,
        lines=[
            f"{russian.period_phrase(period)}",
            f"Дата среза: {fmt.date(report_date)}",
            f"Дата составления: {fmt.date(today or dt.date.today())}",
        ],
    )
    _identification(doc, inst, group, profile)
    _comparison(doc, inst, group, members, profile, period)
    _results(db_path, user, doc, inst, period, number=len(AREAS) + 2)
    _trends(db_path, user, doc, inst, periods, period)
    _quality(doc, quality, period)
    return doc.to_bytes()


def write_passport(
    db_path: str | os.PathLike[str], user: User, inst_id: str, period: str, out: str | os.PathLike[str]
) -> Path:
    """Write the passport to `out` (a .docx file; its folder is created) and return the path."""
    data = build_passport(db_path, user, inst_id, period)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _value_of(profile: pd.DataFrame, code: str) -> Any:
    rows = profile.loc[profile["indicator_code"] == code, "value"]
    return None if rows.empty else rows.iloc[0]


# ----------------------------------------------------------------------------------------- 1. identification
def _identification(
    doc: dx.DocxReport, inst: compare.Institution, group: compare.PeerGroup, profile: pd.DataFrame
) -> None:
    doc.heading("1. Общие сведения")
    pupils = fmt.MISSING
    if group.students is not None:
        pupils = fmt.value(group.students, "чел.")
        if group.size_period and group.size_period != group.period:
            pupils += f" (по данным за {group.size_period})"
    rows = [
        ("Код организации", inst.inst_id),
        ("Полное наименование", inst.name),
        ("Краткое наименование", inst.short_name),
        ("Тип организации", labels.inst_type_label(inst.inst_type)),
        ("Муниципалитет", inst.municipality),
        ("Местность", labels.locality_label(inst.locality)),
        ("Адрес", inst.address or fmt.MISSING),
        ("Численность обучающихся (воспитанников)", pupils),
        ("Численность педагогических работников", fmt.value(_value_of(profile, "STAFF_COUNT"), "чел.")),
        ("Группа сравнения", cc.band_label(group) if group.band is not None else "не определена"),
    ]
    doc.table(
        pd.DataFrame(rows, columns=["Сведения", "Значение"]),
        caption="Общие сведения об организации",
        widths_cm=[6.0, 10.5],
    )


# ----------------------------------------------------------------------------------------- 2. comparison
PROFILE_COLUMNS = [
    "Показатель",
    "Значение",
    "Изменение к прошлому году",
    "Муниципалитет, тот же тип",
    "Ориентир (медиана группы)",
    "Место в группе",
]


def _comparison(
    doc: dx.DocxReport,
    inst: compare.Institution,
    group: compare.PeerGroup,
    members: pd.DataFrame,
    profile: pd.DataFrame,
    period: str,
) -> None:
    doc.heading("2. Сравнение с муниципалитетом и сопоставимыми организациями")
    doc.paragraph(cc.peer_group_text(group, inst.municipality))
    if not members.empty:
        doc.table(
            cc.members_table(members),
            caption="Организации группы сравнения",
            units={cc.MEMBERS_HEADERS["students"]: "чел."},
            font_pt=TABLE_FONT_PT,
        )

    doc.heading("2.1. Сильные стороны и зоны роста", level=2)
    sides = cc.strengths_items(compare.strengths_weaknesses(profile))
    for side in ("strength", "weakness"):
        doc.paragraph(f"{cc.SIDE_TITLES[side]}:", bold=True, indent=False)
        for line in sides[side] or [cc.NO_SIDE[side]]:
            doc.bullet(line)

    for number, area in enumerate(AREAS, start=2):
        part = profile[profile["area"] == area]
        if part.empty:
            continue
        name = area_names()[area]
        doc.heading(f"2.{number}. {name}", level=2)
        table = cc.profile_table(part)
        doc.table(
            table[PROFILE_COLUMNS],
            caption=f"{name}: показатели организации и ориентиры, {period} уч. г.",
            font_pt=TABLE_FONT_PT,
            note="«—» — нет данных; «*» — ориентир: значение муниципалитета по организациям того же типа.",
        )
        png = bullet_png(part, inst.short_name, inst.inst_type)
        if png is not None:
            doc.figure(
                png,
                caption=f"{name}: организация, муниципалитет и разброс группы сравнения, {period} уч. г.",
            )
    radar = radar_png(profile, inst.short_name)
    if radar is not None:
        doc.figure(
            radar, caption=f"Процентили организации в группе сравнения, {period} уч. г.", width_cm=13.0
        )
    doc.paragraph(cc.PROFILE_NOTE, size_pt=11)


# ----------------------------------------------------------------------------------------- 2.5 results
RESULTS_TITLE = "Результаты ГИА, ВПР и всероссийской олимпиады школьников"
RESULTS_COLUMNS = ["Показатель", "Предмет", "Организация", "Муниципалитет*"]


def results_table(own: pd.DataFrame, municipal: pd.DataFrame, period: str) -> pd.DataFrame:
    """The institution's results indicators (ГИА by subject, ВПР and the olympiad over all subjects) beside
    the municipality's value for institutions of its type, printed with their units."""
    order = list(SUBJECT_NAMES_RU)
    ref = {
        (str(r.indicator_code), str(r.subject)): r.value
        for r in municipal[municipal["grade"].isna() & (municipal["period"] == period)].itertuples(
            index=False
        )
    }
    rows = own[own["grade"].isna() & (own["period"] == period)]
    out = []
    for ind in cat.load_catalog():
        if ind.area != "results":
            continue
        part = rows[rows["indicator_code"] == ind.code]
        subjects = sorted(
            (str(x) for x in part["subject"]),
            key=lambda x: (x != "all", order.index(x) if x in order else len(order), x),
        )
        values = dict(zip(part["subject"].astype(str), part["value"], strict=True))
        for subject in subjects:
            out.append(
                {
                    "Показатель": f"{ind.name_ru}, {ind.unit}",
                    "Предмет": "все предметы" if subject == "all" else SUBJECT_NAMES_RU.get(subject, subject),
                    "Организация": _shown(values[subject], ind.unit),
                    "Муниципалитет*": _shown(ref.get((ind.code, subject)), ind.unit),
                }
            )
    return pd.DataFrame(out, columns=RESULTS_COLUMNS)


def _shown(value: Any, unit: str) -> str:
    return fmt.MISSING if fmt.is_missing(value) else fmt.number(float(value), fmt.decimals_for(value, unit))


def _results(
    db_path: str | os.PathLike[str],
    user: User,
    doc: dx.DocxReport,
    inst: compare.Institution,
    period: str,
    number: int,
) -> None:
    doc.heading(f"2.{number}. {RESULTS_TITLE}", level=2)
    codes = [i.code for i in cat.load_catalog() if i.area == "results"]
    own = note_queries.results_institutions(db_path, user, [period], codes, inst_id=inst.inst_id)
    if own.empty:
        doc.paragraph(f"Сведений о результатах ГИА, ВПР и олимпиады за {period} учебный год нет.")
        return
    municipal = note_queries.results_aggregates(
        db_path, user, [period], codes, inst.municipality, inst.inst_type
    )
    doc.table(
        results_table(own, municipal, period),
        caption=f"Результаты организации и муниципалитета, {period} уч. г.",
        widths_cm=[7.0, 4.2, 2.7, 2.7],
        font_pt=TABLE_FONT_PT,
        note="«—» — нет данных; «*» — значение муниципалитета по организациям того же типа; ВПР — "
        "по всем предметам и классам.",
    )
    flags = note_queries.result_flags(db_path, user, period, inst_id=inst.inst_id)
    if not flags.empty:
        doc.paragraph("Требуют внимания:", bold=True, indent=False)
        for message in flags["message_ru"]:
            doc.bullet(str(message))


# ----------------------------------------------------------------------------------------- 3. trends
def trend_table(
    trends: pd.DataFrame, catalog: pd.DataFrame, codes: list[str], periods: list[str]
) -> pd.DataFrame:
    """Indicators × periods, the institution's values printed with their units («—» when missing)."""
    info = catalog.set_index("indicator_code")
    values = {
        (str(c), str(p)): v
        for c, p, v in zip(trends["indicator_code"], trends["period"], trends["value"], strict=True)
    }
    rows = []
    for code in codes:
        unit = str(info.loc[code, "unit"])
        row = {"Показатель": f"{str(info.loc[code, 'name_ru'])}, {unit}"}
        for p in periods:
            v = values.get((code, p))
            row[p] = fmt.number(v, fmt.decimals_for(v, unit)) if not fmt.is_missing(v) else fmt.MISSING
        rows.append(row)
    return pd.DataFrame(rows, columns=["Показатель", *periods])


def _trends(
    db_path: str | os.PathLike[str],
    user: User,
    doc: dx.DocxReport,
    inst: compare.Institution,
    periods: list[str],
    period: str,
) -> None:
    doc.heading("3. Динамика показателей")
    shown = [p for p in periods if p <= period]
    catalog = queries.indicator_catalog(db_path, user)
    # the conditions areas only: the results' subject rows are section 2.5's (one value per code and period here)
    conditions = catalog[catalog["area"].isin(AREAS)]
    codes = [c for c in conditions["indicator_code"] if compare.applies_to(str(c), inst.inst_type)]
    trends = compare.institution_trends(db_path, user, inst.inst_id, codes)
    doc.paragraph(
        f"Значения показателей организации по учебным годам ({shown[0]} – {shown[-1]}); ключевые показатели "
        f"сопоставлены со значением муниципалитета по организациям того же типа."
    )
    for area in AREAS:
        area_codes = [c for c in codes if catalog.loc[catalog["indicator_code"] == c, "area"].iloc[0] == area]
        if not area_codes:
            continue
        doc.table(
            trend_table(trends, catalog, area_codes, shown),
            caption=f"{area_names()[area]}: значения по учебным годам",
            font_pt=9,
        )
    key = catalog[catalog["key_indicator"] & catalog["direction"].isin(["up", "down"])]
    rows = [
        r
        for r in key.to_dict("records")
        if r["indicator_code"] in codes
        and trends.loc[trends["indicator_code"] == r["indicator_code"], "value"].notna().any()
    ]
    if rows:
        city = f"{inst.municipality}: {cc.TYPE_PLURAL.get(inst.inst_type, inst.inst_type)}"
        doc.figure(
            trends_png(trends, rows, shown, (inst.short_name, city)),
            caption=f"Ключевые показатели по учебным годам: организация и {city}",
        )


# ----------------------------------------------------------------------------------------- 4. data quality
def _quality(doc: dx.DocxReport, quality: compare.DataQuality, period: str) -> None:
    doc.heading("4. Качество представленных данных")
    current = quality.submissions[quality.submissions["period"] == period]
    row = current.iloc[0] if not current.empty else None
    if row is not None:
        sent = []
        if int(row["staff_rows"]):
            sent.append(f"сведения о работниках ({russian.count(int(row['staff_rows']), 'строка')})")
        if int(row["ict_rows"]):
            sent.append("сведения об информатизации")
        if int(row["innovation_rows"]):
            sent.append(
                f"сведения об инновационной деятельности ({russian.count(int(row['innovation_rows']), 'запись')})"
            )
        missing = [
            name
            for name, col in (("о работниках", "staff_rows"), ("об информатизации", "ict_rows"))
            if not int(row[col])
        ]
        text = (
            f"За {period} учебный год организация представила: {russian.join_and(sent)}."
            if sent
            else f"За {period} учебный год организация сведений не представила."
        )
        if missing and sent:
            text += f" Не представлены сведения {russian.join_and(missing)}."
        text += (
            f" В карантине — {russian.count(int(row['quarantined_rows']), 'строка')}, "
            f"предупреждений — {fmt.integer(int(row['warnings']))}."
        )
        doc.paragraph(text)

    subs = quality.submissions.rename(
        columns={
            # short headers: seven columns must fit the page without breaking a word
            "period": "Учебный год",
            "staff_rows": "Кадры, строк",
            "pedagogical_staff": "Из них педагогов",
            "ict_rows": "ИКТ, строк",
            "innovation_rows": "Инновации, записей",
            "quarantined_rows": "В карантине, строк",
            "warnings": "Предупреждений",
        }
    )
    doc.table(
        subs,
        caption="Представленные сведения по учебным годам",
        units={c: "ед." for c in subs.columns if c != "Учебный год"},
        font_pt=TABLE_FONT_PT,
    )

    loads = quality.loads
    if not loads.empty:
        frame = pd.DataFrame(
            {
                "Дата загрузки": [fmt.date(x) for x in loads["loaded_at"]],
                "Файл": loads["source_file"],
                "Набор данных": loads["dataset"].map(lambda d: names.DATASET_DOCUMENT_NAMES.get(d, d)),
                "Итог загрузки": [
                    names.LOAD_STATUS_NAMES.get(status, status) for status in institution_status(loads)
                ],
                # the institution's rows of the file (short headers: the table has six columns)
                "Загружено строк": loads["rows_loaded"],
                "В карантине строк": loads["rows_quarantined"],
            }
        )
        doc.table(
            frame,
            caption=f"Загрузки файлов со сведениями организации за {period} уч. г.",
            units={"Загружено строк": "ед.", "В карантине строк": "ед."},
            note="Строки — только строки этой организации в файле.",
            font_pt=TABLE_FONT_PT,
        )

    quarantine = quality.quarantine
    if quarantine.empty:
        doc.paragraph("Строк организации в карантине за этот учебный год нет.")
    else:
        frame = pd.DataFrame(
            {
                "Набор данных": quarantine["dataset"].map(lambda d: names.DATASET_DOCUMENT_NAMES.get(d, d)),
                "Столбец": quarantine["column_name"].map(
                    lambda c: COLUMN_LABELS.get(c, c) if c else fmt.MISSING
                ),
                "Нарушенное правило": quarantine["explanation"],
                "Строк": quarantine["rows"],
            }
        )
        doc.table(
            frame,
            caption=f"Строки в карантине по правилам проверки, {period} уч. г.",
            units={"Строк": "ед."},
            font_pt=TABLE_FONT_PT,
            note="Сами значения строк в паспорт не включаются; их видят ответственные за загрузку.",
        )

    if quality.warnings.empty:
        doc.paragraph("Предупреждений по сведениям организации за этот учебный год нет.")
    else:
        doc.paragraph("Предупреждения (не препятствуют загрузке, но требуют проверки):", indent=False)
        for message in quality.warnings["message_ru"]:
            doc.bullet(str(message))


def institution_status(loads: pd.DataFrame) -> list[str]:
    """The result of each load for this institution's rows: a file loaded partly because of other
    institutions' rows is «загружен полностью» here when none of this institution's rows is in quarantine
    (the passport said «загружен частично» of a file whose rows of the school were all loaded)."""
    return [
        "loaded" if status == "partial" and not quarantined and loaded else str(status)
        for status, loaded, quarantined in zip(
            loads["status"], loads["rows_loaded"], loads["rows_quarantined"], strict=True
        )
    ]


# ----------------------------------------------------------------------------------------- charts (PNG)
def _new_figure(height_cm: float, width_cm: float = dx.CHART_WIDTH_CM) -> Any:
    # no layout engine: constrained layout costs a second per many-axes figure; margins are set by hand
    from matplotlib.figure import Figure

    return Figure(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=dx.CHART_DPI)


def _short(text: str, width: int, lines: int = 2) -> str:
    return cc.wrap(text, width, lines).replace("<br>", "\n")


def bullet_png(part: pd.DataFrame, inst_label: str, inst_type: str) -> bytes | None:
    """The bullet chart of one area for the document: a row per indicator, each on its own scale (0 to its
    largest value) — the group's range (light) and middle half (dark), its median (|), the municipality's
    value for the type (◆) and the institution (●), with the institution's value printed at the right.
    None when nothing is drawable."""
    data = part[part[["value", "benchmark", "type_value"]].notna().any(axis=1)]
    if data.empty:
        return None
    n = len(data)
    height = 1.2 * n + 2.4  # room for three lines of 8 pt labels a row
    fig = _new_figure(height)
    ax = fig.add_axes((0.42, 1.2 / height, 0.45, 1 - 1.8 / height))
    colour = palette.TYPE_COLORS.get(inst_type, dx.PALETTE[0])
    labels = []
    for i, row in enumerate(data.to_dict("records")):
        y = n - 1 - i
        keys = ("peer_min", "peer_max", "type_value", "value", "benchmark")
        top = max([float(row[k]) for k in keys if not fmt.is_missing(row[k])] + [0.0]) * 1.05 or 1.0

        def x(v: Any, top: float = top) -> float:
            return float(v) / top

        ax.plot([0, 1], [y, y], color="#F2F2F2", linewidth=9, solid_capstyle="butt", zorder=1)
        if not fmt.is_missing(row["peer_min"]) and not fmt.is_missing(row["peer_max"]):
            ax.plot([x(row["peer_min"]), x(row["peer_max"])], [y, y], color="#D0D0D0", linewidth=9,
                    solid_capstyle="butt", zorder=2, label=cc.LEGEND["range"])  # fmt: skip
        if not fmt.is_missing(row["peer_q1"]) and not fmt.is_missing(row["peer_q3"]):
            ax.plot([x(row["peer_q1"]), x(row["peer_q3"])], [y, y], color="#A0A0A0", linewidth=9,
                    solid_capstyle="butt", zorder=3, label=cc.LEGEND["iqr"])  # fmt: skip
        if row["basis"] == "peers" and not fmt.is_missing(row["benchmark"]):
            ax.plot([x(row["benchmark"])], [y], marker="|", markersize=13, markeredgewidth=2, color="black",
                    linestyle="none", zorder=4, label=cc.LEGEND["median"])  # fmt: skip
        if not fmt.is_missing(row["type_value"]):
            ax.plot([x(row["type_value"])], [y], marker="D", markersize=5, color=palette.MUNICIPALITY_COLOR,
                    linestyle="none", zorder=5, label=cc.LEGEND["city_type"])  # fmt: skip
        if not fmt.is_missing(row["value"]):
            ax.plot([x(row["value"])], [y], marker="o", markersize=7, color=colour, linestyle="none", zorder=6,
                    label=inst_label)  # fmt: skip
        ax.text(1.03, y, fmt.value(row["value"], row["unit"]), va="center", fontsize=8.5, color=colour)
        labels.append(_short(f"{row['name_ru']}, {row['unit']}", 38, 3))
    ax.set_yticks(range(n), labels[::-1], fontsize=8)
    ax.set_xticks([])
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.7, n - 0.3)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0)
    handles: dict[str, Any] = {}
    for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
        handles.setdefault(label, handle)
    fig.legend(list(handles.values()), list(handles), loc="lower center", ncol=3, fontsize=8, frameon=False)
    return dx.figure_png(fig)


def trends_png(
    trends: pd.DataFrame, rows: list[dict[Any, Any]], periods: list[str], labels: tuple[str, str]
) -> bytes:
    """Small multiples, two per line: each key indicator of the institution (solid) against the
    municipality's institutions of its type (dashed) over the periods."""
    from matplotlib.ticker import FuncFormatter

    n = len(rows)
    lines = (n + 1) // 2
    height = 4.8 * lines + 1.6
    fig = _new_figure(height)
    fig.subplots_adjust(
        left=0.08, right=0.98, top=1 - 1.0 / height, bottom=1.4 / height, hspace=0.75, wspace=0.25
    )
    axes = fig.subplots(lines, 2, squeeze=False).ravel()
    short = [p[2:4] + "/" + p[7:9] if len(p) == 9 else p for p in periods]
    xs = list(range(len(periods)))
    for ax, row in zip(axes, rows, strict=False):
        part = trends[trends["indicator_code"] == row["indicator_code"]].set_index("period")
        for col, style, colour, label in (
            ("value", "-", dx.PALETTE[0], labels[0]),
            ("type_value", "--", "#808080", labels[1]),
        ):
            ys = [
                float(part[col].get(p)) if not fmt.is_missing(part[col].get(p)) else float("nan")
                for p in periods
            ]
            ax.plot(
                xs, ys, linestyle=style, marker="o", markersize=2.5, linewidth=1.2, color=colour, label=label
            )
        ax.set_title(_short(f"{row['name_ru']}, {row['unit']}", 40), fontsize=8, loc="left")
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _pos: fmt.number(v, 0 if float(v).is_integer() else 2))
        )
        ax.set_xticks(xs, short, fontsize=7.5)
        ax.tick_params(labelsize=7.5, length=2)
        ax.set_ylim(bottom=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in axes[n:]:
        ax.set_visible(False)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=2, fontsize=8, frameon=False)
    return dx.figure_png(fig)


def radar_png(profile: pd.DataFrame, inst_label: str) -> bytes | None:
    """Percentiles of the key directed indicators around a circle (50 dashed: the group's middle); None
    with fewer than three indicators."""
    import math

    data = cc.radar_frame(profile)
    if len(data) < 3:
        return None
    fig = _new_figure(12.0)
    ax = fig.add_axes((0.3, 0.17, 0.4, 0.66), projection="polar")
    n = len(data)
    # clockwise from the top, as the dashboards' radar
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    angles = [2 * math.pi * i / n for i in range(n)]
    values = [float(v) for v in data["percentile"]]
    ax.plot([*angles, angles[0]], [50.0] * (n + 1), color="#808080", linestyle="--", linewidth=0.8)
    ax.plot([*angles, angles[0]], [*values, values[0]], color=dx.PALETTE[0], linewidth=1.5, label=inst_label)
    ax.fill([*angles, angles[0]], [*values, values[0]], color=dx.PALETTE[0], alpha=0.2)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100])
    ax.set_yticklabels(["25", "50", "75", "100"], fontsize=7, color="#606060")
    ax.set_xticks(angles)
    ax.set_xticklabels([])
    for angle, name in zip(angles, data["name_ru"], strict=True):
        right, up = math.sin(angle), math.cos(angle)  # on the page: 0 at the top, clockwise
        ha = "center" if abs(right) < 0.2 else ("left" if right > 0 else "right")
        va = "bottom" if up > 0.2 else ("top" if up < -0.2 else "center")
        label = cc.wrap(str(name), 28, 3).replace("<br>", "\n")
        ax.text(angle, 112, label, ha=ha, va=va, fontsize=8)
    return dx.figure_png(fig)

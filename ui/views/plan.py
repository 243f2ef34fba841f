"""Shaping of the page «Планирование» (pure: no streamlit, unit-tested): the training plan by month and
institution with the needs people named, the needs summary chart, the five-year attestation plan, mentoring,
and the age and service structure in the bands of form ОО-1 (indicators.md, «Planning»).

Rows come from the planning queries of warehouse/queries.py; the person-level ones (training_plan,
mentoring) are already restricted to a director's own institution there. Numbers stay numbers with their
units (the table widget and the Excel export format them the Russian way); only labels are made here.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from etl import contract
from ru import fmt
from ru.palette import TYPE_COLORS
from ui import messages
from ui.views import charts, export
from ui.views.tables import Table
from warehouse.settings import reporting_date

PEOPLE = "чел."
YEARS_AHEAD = 5  # the attestation plan's horizon (indicators.md)
RETIREMENT_AGE = 60

# ----------------------------------------------------------------------------------------- the words
TAB_TITLES = ("План-график КПК", "Аттестация", "Наставничество", "Возраст и стаж")
OVERDUE = "просрочено"
MONTHS = (
    "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь",
    "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
)  # fmt: skip
NO_FORM = "Форма не указана"
LAPSED = "Истекла"
TOTAL = "Итого"
# the pedagogical-service bands of form ОО-1 (oo1_experience_band), each including its lower bound
OO1_SERVICE_BANDS = {
    "<3": "до 3 лет",
    "3-5": "3–5 лет",
    "5-10": "5–10 лет",
    "10-15": "10–15 лет",
    "15-20": "15–20 лет",
    "20+": "20 лет и более",
}
AGE_BANDS = messages.STAFF_GROUPS["age_band"]  # the same ОО-1 age bands as on «Кадры»
EMPTY = {
    "training": "Никого: в плановом году ни у кого не наступает срок повышения квалификации.",
    "needs": (
        "Сведений о профессиональных потребностях за этот период нет: опрос не проводился или его "
        "результаты не загружены (набор «Потребности»)."
    ),
    "attestation": (
        "Никого: ни у кого нет высшей или первой категории, срок действия которой истёк или истекает "
        "в ближайшие пять лет."
    ),
    "mentoring": "Молодых специалистов в выбранных организациях нет.",
    "structure": "Нет сведений о педагогических работниках за этот период.",
}
ATTESTATION_WAVE_NOTE = (
    "Высшая и первая категории, присвоенные до 01.09.2023, действуют пять лет; присвоенные позже — "
    "бессрочно. Поэтому волна истечения категорий идёт до 2028 года и затем сходит на нет."
)
RETIREMENT_TITLE = f"Будут в возрасте {RETIREMENT_AGE} лет и старше"
RETIREMENT_NOTE = (
    f"Число работников, которым через 1, 3 и 5 лет от {{d}} будет {RETIREMENT_AGE} лет или больше "
    f"(включая тех, кому {RETIREMENT_AGE} уже исполнилось)."
)
PEOPLE_SHOWN = 500  # rows of a list of people on the page; the Excel file has them all


def _first_upper(text: str) -> str:
    # not str.capitalize(): it would lower «ФГОС», «ОВЗ», «ГИА» inside the label
    return text[:1].upper() + text[1:]


def need_label(code: str) -> str:
    """«Функциональная грамотность» for `functional_literacy` (the contract's label, data-contract.md)."""
    return _first_upper(contract.label_ru(contract.NEEDS, code))


def form_label(code: str) -> str:
    return _first_upper(contract.label_ru(contract.NEED_FORMS, code))


# ----------------------------------------------------------------------------------------- common
def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    """The planning charts' frame: a wrapped title, Russian separators, the legend under the chart."""
    fig.update_layout(
        title={"text": "<br>".join(textwrap.wrap(title, 90)), "font": {"size": 15}},
        separators=charts.SEPARATORS,
        height=height,
        margin={"l": 10, "r": 10, "t": 60 + 18 * (len(title) // 90), "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        hoverlabel={"namelength": -1},
    )
    return fig


def month_label(value: object) -> str:
    """`Сентябрь 2024` for any date of that month; «—» for none."""
    if fmt.is_missing(value):
        return fmt.MISSING
    day = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{MONTHS[day.month - 1]} {day.year}"


def institution_name(institutions: pd.DataFrame, inst_id: str | None) -> str | None:
    """The short name of `inst_id` in the registry (its id when it is not there); None for no institution."""
    if not inst_id:
        return None
    names = institutions.loc[institutions["inst_id"] == inst_id, "short_name"]
    return str(names.iloc[0]) if len(names) else inst_id


def fit_height(tbl: Table, most: int = 15) -> int | str:
    """A table's height in pixels that shows every row of a short table (up to `most`) without a
    scroll bar; longer tables keep Streamlit's own height."""
    rows = len(tbl.frame)
    return 36 * (rows + 1) + 4 if 0 < rows <= most else "auto"


def planning_year_text(d: dt.date) -> str:
    end = _add_years(d, 1) - dt.timedelta(days=1)
    return (
        f"Плановый год — с {fmt.date(d)} по {fmt.date(end)}. Те, у кого срок уже истёк или кто курсы не "
        f"проходил, стоят в первом месяце с отметкой «{OVERDUE}»."
    )


def people_subject(
    person_scope: str | None, institutions: pd.DataFrame, inst_id: str | None, subject: str
) -> tuple[str, str | None, bool]:
    """Whose people the person-level lists hold, and what a director is told about it, as on «Кадры»
    (ui/due_lists.py): (subject of the lists' titles, the notice or None, whether the notice must stand out
    because the page shows another institution)."""
    if person_scope is None:
        return subject, None, False
    own = institution_name(institutions, person_scope) or person_scope
    other = institution_name(institutions, inst_id) if inst_id != person_scope else None
    return own, messages.due_own_only(own, other), other is not None


def _counts_total(frame: pd.DataFrame, label_col: str, label: str) -> pd.DataFrame:
    """The one-row total of a counts table (every numeric column summed)."""
    row: dict[str, object] = {label_col: label}
    for col in frame.columns:
        if col != label_col:
            row[col] = (
                int(pd.to_numeric(frame[col]).sum()) if pd.api.types.is_numeric_dtype(frame[col]) else ""
            )
    return pd.DataFrame([row], columns=frame.columns)


def plan_file_name(period: str, extension: str) -> str:
    """`plan_2024-2025.xlsx` / `.docx`: the names of the page's two plan downloads (reports/plan.py's
    documents, the same as `python -m etl plan`)."""
    return export.file_name("plan", period).removesuffix(".xlsx") + "." + extension


# ----------------------------------------------------------------------------------------- training plan
def training_plan_table(rows: pd.DataFrame) -> Table:
    """The план-график: every person due in the planning year, overdue first (in the first month, marked
    «просрочено»), then by month, with the needs they named."""
    frame = pd.DataFrame(
        {
            "Месяц": rows["due_month"].map(month_label),
            "Отметка": rows["overdue"].map(lambda x: OVERDUE if bool(x) else ""),
            "Организация": rows["short_name"],
            "ФИО": rows["full_name"].fillna("(не указано)"),
            "Табельный номер": rows["staff_id"],
            "Должность": rows["position"].map(lambda c: messages.position_label(str(c))),
            "Окончание последних КПК": pd.to_datetime(rows["last_training_date"]),
            "Срок следующих КПК": pd.to_datetime(rows["training_due_date"]),
            "Потребности": rows["needs"].map(_needs_text),
        }
    )
    return Table(
        frame=frame.reset_index(drop=True),
        dates=["Окончание последних КПК", "Срок следующих КПК"],
        pinned=["Месяц"],
    )


def _needs_text(needs: object) -> str:
    """«Функциональная грамотность; Цифровые образовательные технологии»; «—» when none was named."""
    codes = list(needs) if isinstance(needs, list | tuple | np.ndarray) else []
    return "; ".join(need_label(str(c)) for c in codes) if codes else fmt.MISSING


def training_by_month(rows: pd.DataFrame) -> Table:
    """How many people fall due in each month of the planning year (the overdue ones in the first month)."""
    cols = ["Месяц", "Всего, чел.", "Из них просрочено, чел."]
    if rows.empty:
        return Table(frame=pd.DataFrame(columns=cols))
    months = pd.to_datetime(rows["due_month"])
    grouped = (
        pd.DataFrame({"month": months, "overdue": rows["overdue"].astype(bool)})
        .groupby("month", sort=True)["overdue"]
        .agg(["size", "sum"])
    )
    frame = pd.DataFrame(
        {
            cols[0]: [month_label(m) for m in grouped.index],
            cols[1]: grouped["size"].astype(int).to_numpy(),
            cols[2]: grouped["sum"].astype(int).to_numpy(),
        }
    )
    return Table(
        frame=frame, units={cols[1]: PEOPLE, cols[2]: PEOPLE}, total=_counts_total(frame, cols[0], TOTAL)
    )


def training_by_institution(rows: pd.DataFrame) -> Table:
    """How many people of each institution are in the plan (most first)."""
    cols = ["Организация", "Всего, чел.", "Из них просрочено, чел."]
    if rows.empty:
        return Table(frame=pd.DataFrame(columns=cols))
    grouped = (
        pd.DataFrame({"inst": rows["short_name"].astype(str), "overdue": rows["overdue"].astype(bool)})
        .groupby("inst", sort=True)["overdue"]
        .agg(["size", "sum"])
        .sort_values("size", ascending=False, kind="stable")
    )
    frame = pd.DataFrame(
        {
            cols[0]: grouped.index.to_list(),
            cols[1]: grouped["size"].astype(int).to_numpy(),
            cols[2]: grouped["sum"].astype(int).to_numpy(),
        }
    )
    return Table(
        frame=frame,
        units={cols[1]: PEOPLE, cols[2]: PEOPLE},
        total=_counts_total(frame, cols[0], TOTAL),
        pinned=[cols[0]],
    )


# ----------------------------------------------------------------------------------------- needs
def _form_names(summary: pd.DataFrame) -> list[str]:
    """The forms that occur, in the contract's order, «not given» last."""
    given = {str(f) for f in summary["form"] if not fmt.is_missing(f)}
    names = [form_label(code) for code in contract.NEED_FORMS if code in given]
    names += sorted(form_label(code) for code in given - set(contract.NEED_FORMS))
    if summary["form"].map(fmt.is_missing).any():
        names.append(NO_FORM)
    return names


def _needs_wide(summary: pd.DataFrame) -> pd.DataFrame:
    """need label × form label → people, needs with the most people first."""
    data = pd.DataFrame(
        {
            "need": summary["need"].map(lambda c: need_label(str(c))),
            "form": summary["form"].map(lambda f: NO_FORM if fmt.is_missing(f) else form_label(str(f))),
            "people": pd.to_numeric(summary["people"]).astype(int),
        }
    )
    wide = data.pivot_table(index="need", columns="form", values="people", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=_form_names(summary), fill_value=0)
    wide.insert(0, "total", wide.sum(axis=1))
    return wide.sort_values("total", ascending=False, kind="stable")


def needs_table(summary: pd.DataFrame) -> Table:
    """People per need (a person names a need once, with one preferred form) and per form, from which
    courses are ordered."""
    if summary.empty:
        return Table(frame=pd.DataFrame(columns=["Потребность", "Всего, чел."]))
    wide = _needs_wide(summary)
    frame = pd.DataFrame({"Потребность": wide.index.to_list(), "Всего, чел.": wide["total"].to_numpy()})
    for form in wide.columns[1:]:
        frame[f"{form}, чел."] = wide[form].to_numpy()
    units = {c: PEOPLE for c in frame.columns[1:]}
    return Table(
        frame=frame,
        units=units,
        labels={c: c.removesuffix(", чел.") for c in frame.columns[2:]},
        pinned=["Потребность"],
    )


def needs_figure(summary: pd.DataFrame, title: str) -> go.Figure:
    """Horizontal bars, one per need (the most wanted on top), split by preferred form, with the number of
    people at each bar's end: the chart a methodologist pastes into a report."""
    fig = go.Figure()
    if summary.empty:
        return _layout(fig, title, 260)
    wide = _needs_wide(summary).iloc[::-1]  # plotly draws the first category at the bottom
    needs = wide.index.to_list()
    for i, form in enumerate(wide.columns[1:]):
        color = "#BAB0AC" if form == NO_FORM else charts.SERIES_COLORS[i % len(charts.SERIES_COLORS)]
        fig.add_trace(
            go.Bar(
                x=wide[form].to_list(),
                y=needs,
                orientation="h",
                name=str(form),
                marker_color=color,
                hovertemplate=f"%{{y}}: %{{x:,.0f}} чел.<extra>{form}</extra>",
            )
        )
    totals = wide["total"].to_list()
    fig.add_trace(
        go.Scatter(
            x=totals,
            y=needs,
            mode="text",
            text=[f"  {fmt.integer(t)}" for t in totals],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_xaxes(rangemode="tozero", title="чел.", range=[0, max(totals) * 1.12 + 1])
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=needs, title=None)
    return _layout(fig, title, max(300, 110 + 30 * len(needs)))


# ----------------------------------------------------------------------------------------- attestation
def planning_date(period: str, settings: Mapping[str, str]) -> dt.date:
    """D, the reporting date of the period (the first day of the planning year)."""
    return reporting_date(period, settings)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def year_columns(d: dt.date) -> list[tuple[str, str, str]]:
    """The five planning years from D: (column of the table and the Excel file, short title, help)."""
    out = []
    for k in range(YEARS_AHEAD):
        start, end = _add_years(d, k), _add_years(d, k + 1) - dt.timedelta(days=1)
        short = f"{start.year}/{str(end.year)[2:]}"
        full = f"Истекает с {fmt.date(start)} по {fmt.date(end)}, чел."
        out.append((full, short, f"Срок действия категории истекает с {fmt.date(start)} по {fmt.date(end)}"))
    return out


def lapsed_column(d: dt.date) -> str:
    return f"Истекла до {fmt.date(d)}, чел."


def attestation_table(rows: pd.DataFrame, d: dt.date) -> Table:
    """Institutions × planning years: people whose highest or first category ends in each of the next five
    years, and the lapsed ones (already expired) in the first column; institutions with lapsed categories
    first, and the scope's total above."""
    years = year_columns(d)
    lapsed = lapsed_column(d)
    cols = ["Организация", lapsed, *[full for full, _, _ in years], "Всего за пять лет, чел."]
    if rows.empty:
        return Table(frame=pd.DataFrame(columns=cols))
    wide = rows.pivot_table(
        index="short_name", columns="year_index", values="people", aggfunc="sum", fill_value=0
    ).reindex(columns=list(range(-1, YEARS_AHEAD)), fill_value=0)
    frame = pd.DataFrame({"Организация": wide.index.astype(str).to_list()})
    frame[lapsed] = wide[-1].astype(int).to_numpy()
    for k, (full, _, _) in enumerate(years):
        frame[full] = wide[k].astype(int).to_numpy()
    frame[cols[-1]] = frame[[full for full, _, _ in years]].sum(axis=1)
    frame = frame.sort_values(
        [lapsed, cols[-1], "Организация"], ascending=[False, False, True], kind="stable"
    )
    units = {c: PEOPLE for c in cols[1:]}
    return Table(
        frame=frame.reset_index(drop=True),
        units=units,
        labels={lapsed: LAPSED, **{full: short for full, short, _ in years}, cols[-1]: "Всего за 5 лет"},
        help={lapsed: f"Срок действия категории истёк до {fmt.date(d)}", **{f: h for f, _, h in years}},
        pinned=["Организация"],
        total=_counts_total(frame, "Организация", TOTAL),
    )


def attestation_figure(rows: pd.DataFrame, institutions: pd.DataFrame, d: dt.date, title: str) -> go.Figure:
    """Stacked bars by planning year (the lapsed first), one colour per institution type: the wave of
    five-year categories assigned before 01.09.2023 shows as the tall bars up to 2028."""
    fig = go.Figure()
    xs = [LAPSED, *[short for _, short, _ in year_columns(d)]]
    if rows.empty:
        return _layout(fig, title, 320)
    types = institutions.set_index("inst_id")["inst_type"].astype(str).to_dict()
    data = rows.assign(inst_type=rows["inst_id"].map(types).fillna(""))
    for code, color in TYPE_COLORS.items():
        part = data[data["inst_type"] == code]
        if part.empty:
            continue
        counts = part.groupby("year_index")["people"].sum()
        values = [int(counts.get(k, 0)) for k in range(-1, YEARS_AHEAD)]
        fig.add_trace(
            go.Bar(
                x=xs,
                y=values,
                name=messages.inst_type_label(code),
                marker_color=color,
                hovertemplate=f"%{{x}}: %{{y:,.0f}} чел.<extra>{messages.inst_type_label(code)}</extra>",
            )
        )
    totals = data.groupby("year_index")["people"].sum()
    values = [int(totals.get(k, 0)) for k in range(-1, YEARS_AHEAD)]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=values,
            mode="text",
            text=[fmt.integer(v) for v in values],
            textposition="top center",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=xs, title=None)
    fig.update_yaxes(rangemode="tozero", title="чел.", range=[0, max(values + [1]) * 1.15])
    return _layout(fig, title, 360)


# ----------------------------------------------------------------------------------------- mentoring
def mentoring_counts(rows: pd.DataFrame) -> tuple[int, int, int]:
    """(young specialists, with a mentor who counts, without one)."""
    with_mentor = int(rows["has_mentor"].astype(bool).sum()) if not rows.empty else 0
    return len(rows), with_mentor, len(rows) - with_mentor


def mentoring_text(rows: pd.DataFrame) -> str:
    total, with_mentor, without = mentoring_counts(rows)
    return (
        f"Молодых специалистов — {fmt.integer(total)} чел.: с наставником — {fmt.integer(with_mentor)}, "
        f"без наставника — {fmt.integer(without)}."
    )


def without_mentor_table(rows: pd.DataFrame) -> Table:
    """Young specialists without a mentor who counts (a person of P of the same institution)."""
    part = rows[~rows["has_mentor"].astype(bool)] if not rows.empty else rows
    frame = pd.DataFrame(
        {
            "Организация": part["short_name"],
            "ФИО": part["full_name"].fillna("(не указано)"),
            "Табельный номер": part["staff_id"],
            "Должность": part["position"].map(lambda c: messages.position_label(str(c))),
        }
    )
    return Table(frame=frame.reset_index(drop=True))


def mentor_pairs_table(rows: pd.DataFrame) -> Table:
    """Mentor–mentee pairs, by institution and mentor."""
    part = rows[rows["has_mentor"].astype(bool)] if not rows.empty else rows
    frame = pd.DataFrame(
        {
            "Организация": part["short_name"],
            "Наставник": part["mentor_full_name"].fillna("(не указано)"),
            "Табельный номер наставника": part["mentor_staff_id"],
            "Молодой специалист": part["full_name"].fillna("(не указано)"),
            "Табельный номер": part["staff_id"],
            "Должность": part["position"].map(lambda c: messages.position_label(str(c))),
        }
    )
    frame = frame.sort_values(["Организация", "Наставник", "Молодой специалист"], kind="stable")
    return Table(frame=frame.reset_index(drop=True))


# ----------------------------------------------------------------------------------------- age and service
def pyramid_frame(structure: pd.DataFrame) -> pd.DataFrame:
    """The age pyramid's input (charts.age_pyramid: group, gender, staff) from the ОО-1 structure."""
    if structure.empty:
        return pd.DataFrame(columns=["group", "gender", "staff"])
    grouped = structure.groupby(["age_band", "gender"], as_index=False)["people"].sum()
    return grouped.rename(columns={"age_band": "group", "people": "staff"})


def age_pyramid(structure: pd.DataFrame, title: str) -> go.Figure:
    return charts.age_pyramid(pyramid_frame(structure), title, AGE_BANDS, height=380)


def age_service_table(structure: pd.DataFrame) -> Table:
    """Age bands × service bands of form ОО-1 (every band shown, empty ones as 0), with the totals."""
    service = list(OO1_SERVICE_BANDS.values())
    cols = ["Возраст", *[f"Стаж {s}, чел." for s in service], "Всего, чел."]
    if structure.empty:
        return Table(frame=pd.DataFrame(columns=cols))
    wide = structure.pivot_table(
        index="age_band", columns="oo1_experience_band", values="people", aggfunc="sum", fill_value=0
    ).reindex(index=list(AGE_BANDS), columns=list(OO1_SERVICE_BANDS), fill_value=0)
    frame = pd.DataFrame({"Возраст": list(AGE_BANDS.values())})
    for code, col in zip(OO1_SERVICE_BANDS, cols[1:-1], strict=True):
        frame[col] = wide[code].astype(int).to_numpy()
    frame[cols[-1]] = frame[cols[1:-1]].sum(axis=1)
    return Table(
        frame=frame,
        units={c: PEOPLE for c in cols[1:]},
        labels={c: c.removeprefix("Стаж ").removesuffix(", чел.") for c in cols[1:-1]},
        total=_counts_total(frame, "Возраст", TOTAL),
        pinned=["Возраст"],
    )


def _within(years: int) -> str:
    return f"через {years} {fmt.plural(years, 'год', 'года', 'лет')}"


def retirement_table(forecast: pd.DataFrame) -> Table:
    """How many people will be 60 or older within 1, 3 and 5 years of D (those already 60+ included)."""
    col = f"Будут в возрасте {RETIREMENT_AGE} лет и старше, чел."
    frame = pd.DataFrame(
        {
            "Срок": [_within(int(y)) for y in forecast["years"]],
            col: pd.to_numeric(forecast["people"]).astype(int).to_numpy() if not forecast.empty else [],
        }
    )
    return Table(frame=frame, units={col: PEOPLE})


def retirement_cards(forecast: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, value) of the three cards: «Через 1 год» — «12 чел.»."""
    return [
        (_within(int(y)).capitalize(), f"{fmt.integer(int(p))}\u00a0{PEOPLE}")
        for y, p in zip(forecast["years"], forecast["people"], strict=True)
    ]

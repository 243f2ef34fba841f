"""The staff development plans as documents (indicators.md, «Planning»): the training plan (план-график
повышения квалификации) by month, by institution and by need, the five-year attestation plan with the lapsed
categories, the mentoring lists and the age and service structure in the bands of form ОО-1.

    data = plan_xlsx(db_path, user, Scope("2024/2025"))            # one sheet per list (XLSX bytes)
    data = plan_docx(db_path, user, Scope("2024/2025"))            # the план-график to sign (DOCX bytes)
    plan = load_plan(db_path, user, scope); plan_sheets(plan)      # the tables themselves (a page preview)

Everything comes from the planning queries of warehouse/queries.py with the user passed down. The lists of
people are person-level data: a director's plan is always their own institution's (queries.due_scope), as
their due lists are; the other roles see every institution of the scope. The command line
(`python -m etl plan`) runs as `CLI_USER`, an administrator.

The planning year is [D, D + 1 year) from the period's reporting date D; the training plan puts the people
already overdue (never trained, or the three-year term ended before D) in D's month, marked «просрочено».
The attestation plan's year k is [D + k years, D + k + 1 years), which with the reporting date in September is
the academic year that starts then, so it is headed by that academic year («2025/2026»).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from docx.shared import Cm, Pt

from auth.identity import User
from etl import contract
from reports import docx_builder as dx
from reports import russian as ru
from reports import xlsx_builder as xb
from reports.note.facts import Subject
from reports.note.words import DEFAULT_ORGANISATION
from ru import fmt
from warehouse import queries as q

CLI_USER = User(login="command-line", role="admin")
# the centre's name in the title of the plan: meta.settings may hold it, else the note's default
ORGANISATION_SETTING = "organisation_name"
TITLE = "ПЛАН-ГРАФИК"
ATTESTATION_YEARS = 5
RETIREMENT_AGE = 60
# the DOCX grid of institutions × 13 months: narrow count columns in a small font
GRID_COLUMN_CM = 1.35
GRID_FONT_PT = 9
MONTH_TABLE_CM = (5.5, 3.0, 4.0)

MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
# the abbreviations of the Russian dictionaries (ГОСТ Р 7.0.12: «сент.», «нояб.»), for the grid's headers
MONTHS_SHORT = (
    "янв.", "февр.", "март", "апр.", "май", "июнь", "июль", "авг.", "сент.", "окт.", "нояб.", "дек.",
)  # fmt: skip
OVERDUE = "просрочено"
PERSONAL_DATA_NOTE = (
    "Документ содержит персональные данные (Федеральный закон от 27.07.2006 № 152-ФЗ «О персональных данных»): "
    "используется для планирования повышения квалификации, аттестации и наставничества, не подлежит размещению "
    "в открытом доступе и пересылке за пределы органа управления образованием."
)
LAPSED = "Истекла"
TOTAL_ROW = "Итого"
NO_FORM = "Форма не указана"
# the bands of form ОО-1 (stg_staff_person's age_band and oo1_experience_band), in the form's order
AGE_BANDS = {
    "<25": "Моложе 25 лет",
    "25-29": "25–29 лет",
    "30-34": "30–34 года",
    "35-39": "35–39 лет",
    "40-44": "40–44 года",
    "45-49": "45–49 лет",
    "50-54": "50–54 года",
    "55-59": "55–59 лет",
    "60-64": "60–64 года",
    "65+": "65 лет и старше",
}
SERVICE_BANDS = {
    "<3": "Стаж до 3 лет",
    "3-5": "от 3 до 5 лет",
    "5-10": "от 5 до 10 лет",
    "10-15": "от 10 до 15 лет",
    "15-20": "от 15 до 20 лет",
    "20+": "20 лет и более",
}
FEMALE = "Ж"

# the column headers, written once (the XLSX sheets and the DOCX tables share them)
C_NO = "№ п/п"
C_MONTH = "Месяц"
C_INST = "Организация"
C_MUN = "Муниципалитет"
C_NAME = "ФИО"
C_POSITION = "Должность"
C_LAST = "Дата окончания последних КПК"
C_DUE = "Срок прохождения КПК"
C_MARK = "Отметка"
C_NEEDS = "Профессиональные потребности"
C_PEOPLE = "Человек"
C_OVERDUE = "В т. ч. просрочено"
C_TOTAL = "Всего"
C_NEED = "Профессиональная потребность"
C_CATEGORY = "Категория"
C_VALID = "Действовала до"
C_YOUNG = "Молодой специалист"
C_MENTOR = "Наставник"
C_AGE = "Возраст"
C_FEMALE = "В т. ч. женщины"
C_HORIZON = "Срок"
C_DATE = "На дату"


class PlanError(ValueError):
    """The plan cannot be made (no indicators, an unknown period, institution or municipality); the message
    is for the user, in Russian."""


# ----------------------------------------------------------------------------------------- the data
@dataclass(frozen=True, eq=False)
class Plan:
    """The plan of one scope and period as the queries return it (codes, not labels), read once."""

    scope: q.Scope
    subject: Subject
    report_date: dt.date
    organisation: str
    # the registry's inst_id, short_name, municipality (names the institutions of the tables)
    institutions: pd.DataFrame = field(repr=False)
    training: pd.DataFrame = field(repr=False)
    attestation: pd.DataFrame = field(repr=False)
    lapsed: pd.DataFrame = field(repr=False)
    needs: pd.DataFrame = field(repr=False)
    mentoring: pd.DataFrame = field(repr=False)
    ages: pd.DataFrame = field(repr=False)
    forecast: pd.DataFrame = field(repr=False)

    @property
    def period(self) -> str:
        return self.scope.period

    @property
    def year_end(self) -> dt.date:
        """The last day of the planning year [D, D + 1 year)."""
        return add_years(self.report_date, 1) - dt.timedelta(days=1)

    @property
    def one_institution(self) -> bool:
        return self.scope.inst_id is not None

    @property
    def many_municipalities(self) -> bool:
        """A plan of several municipalities names each institution's municipality (short names repeat)."""
        return self.subject.municipality is None


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` + `years` as DuckDB adds an interval of years (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def month_label(day: Any) -> str:
    """«сентябрь 2024»."""
    d = pd.Timestamp(day)
    return f"{MONTHS[d.month - 1]} {d.year}"


def month_short(day: Any) -> str:
    """«сент. 2024» (a column of the grid by month)."""
    d = pd.Timestamp(day)
    return f"{MONTHS_SHORT[d.month - 1]} {d.year}"


def plan_months(report_date: dt.date) -> list[dt.date]:
    """The first days of the months the planning year [D, D + 1 year) touches (13 when D is not the 1st)."""
    last = add_years(report_date, 1) - dt.timedelta(days=1)
    months = []
    day = report_date.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def natural_key(name: str) -> list[Any]:
    """«СОШ № 2» before «СОШ № 10»: the numbers in a name compared as numbers."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def need_label(code: str) -> str:
    return contract.label_ru(contract.NEEDS, code)


def form_label(code: Any) -> str:
    return NO_FORM if fmt.is_missing(code) else contract.label_ru(contract.NEED_FORMS, str(code)).capitalize()


def position_label(code: Any) -> str:
    return contract.label_ru(contract.POSITIONS, str(code)).capitalize()


def _subject(registry: pd.DataFrame, scope: q.Scope) -> Subject:
    if scope.inst_id:
        row = registry[registry["inst_id"] == scope.inst_id]
        if row.empty:
            raise PlanError(f"Организация с кодом {scope.inst_id} не найдена в реестре.")
        r = row.iloc[0]
        return Subject(
            "institution", str(r["municipality"]), str(r["inst_type"]), scope.inst_id, str(r["name"])
        )
    municipalities = sorted(set(registry["municipality"]))
    municipality = scope.municipality
    if municipality is not None and municipality not in municipalities:
        raise PlanError(f"Муниципалитет «{municipality}» не найден в реестре.")
    # a warehouse of one municipality names it («г. Бугуруслан»), as the note does
    place = municipality or (municipalities[0] if len(municipalities) == 1 else None)
    kind = "type" if scope.inst_type else ("municipality" if place else "region")
    return Subject(kind, place, scope.inst_type)


def load_plan(
    db_path: str | os.PathLike[str], user: User, scope: q.Scope, *, organisation: str | None = None
) -> Plan:
    """Everything the plan shows for `scope` (a director's: their own institution's, whatever the scope).
    Raises PlanError for a warehouse without indicators, an unknown period, institution or municipality."""
    state = q.warehouse_state(db_path, user)
    if not state.ready:
        raise PlanError(
            "Хранилище не содержит рассчитанных показателей: загрузите данные (python -m etl load) "
            f"или соберите демонстрационную базу (python -m etl demo). {state.detail}".strip()
        )
    if scope.period not in state.periods:
        raise PlanError(f"Нет данных за {scope.period}. Доступные учебные годы: {', '.join(state.periods)}.")
    scope = q.due_scope(user, scope)
    registry = q.list_institutions(db_path, user)
    subject = _subject(registry, scope)
    settings = q.methodology_settings(db_path, user)
    due = q.staff_due_list(db_path, user, scope, "attestation")
    return Plan(
        scope=scope,
        subject=subject,
        report_date=q.reporting_date(scope.period, settings),
        organisation=organisation or settings.get(ORGANISATION_SETTING) or DEFAULT_ORGANISATION,
        institutions=registry[["inst_id", "short_name", "municipality"]],
        training=q.training_plan(db_path, user, scope),
        attestation=q.attestation_plan(db_path, user, scope),
        lapsed=due[due["status"] == "lapsed"].reset_index(drop=True),
        needs=q.needs_summary(db_path, user, scope),
        mentoring=q.mentoring(db_path, user, scope),
        ages=q.age_service_structure(db_path, user, scope),
        forecast=q.retirement_age_forecast(db_path, user, scope),
    )


# ----------------------------------------------------------------------------------------- the tables
def _numbered(data: dict[str, list[Any]], n: int) -> pd.DataFrame:
    return pd.DataFrame({C_NO: list(range(1, n + 1)), **data})


def _registry_maps(plan: Plan) -> tuple[dict[Any, str], dict[Any, str]]:
    """inst_id → short name, inst_id → municipality."""
    reg = plan.institutions
    return dict(zip(reg["inst_id"], reg["short_name"], strict=True)), dict(
        zip(reg["inst_id"], reg["municipality"], strict=True)
    )


def _institution_columns(plan: Plan, inst_ids: Iterable[Any]) -> dict[str, list[Any]]:
    """«Организация» (its short name), after «Муниципалитет» when the plan spans several municipalities."""
    names, places = _registry_maps(plan)
    ids = list(inst_ids)
    columns: dict[str, list[Any]] = {C_INST: [names.get(i, i) for i in ids]}
    if plan.many_municipalities:
        columns = {C_MUN: [places.get(i) for i in ids], **columns}
    return columns


def _institution_order(plan: Plan, inst_ids: Iterable[Any]) -> list[Any]:
    """Institutions by municipality, then by name with the numbers as numbers."""
    names, places = _registry_maps(plan)
    return sorted(set(inst_ids), key=lambda i: (str(places.get(i, "")), natural_key(str(names.get(i, i)))))


def _dates(values: Iterable[Any]) -> list[Any]:
    return [None if fmt.is_missing(v) else pd.Timestamp(v).date() for v in values]


def training_list(plan: Plan) -> pd.DataFrame:
    """The named план-график: who, in which month (overdue people first, in D's month, marked), their named
    needs."""
    t = plan.training
    return _numbered(
        {
            C_MONTH: [month_label(m) for m in t["due_month"]],
            **_institution_columns(plan, t["inst_id"]),
            C_NAME: [fmt.MISSING if fmt.is_missing(v) else str(v) for v in t["full_name"]],
            C_POSITION: [position_label(p) for p in t["position"]],
            C_LAST: _dates(t["last_training_date"]),
            C_DUE: _dates(t["training_due_date"]),
            C_MARK: [OVERDUE if bool(o) else "" for o in t["overdue"]],
            C_NEEDS: ["; ".join(need_label(n) for n in needs) for needs in t["needs"]],
        },
        len(t),
    )


def training_by_month(plan: Plan) -> pd.DataFrame:
    """People due in each month of the planning year (every month, zeros kept), of whom overdue."""
    t = plan.training
    months = pd.to_datetime(t["due_month"]).dt.date if len(t) else pd.Series([], dtype=object)
    rows = []
    for month in plan_months(plan.report_date):
        hit = (months == month).to_numpy()
        rows.append(
            {
                C_MONTH: month_label(month),
                C_PEOPLE: int(hit.sum()),
                C_OVERDUE: int((hit & t["overdue"].astype(bool).to_numpy()).sum()) if len(t) else 0,
            }
        )
    return pd.DataFrame(rows, columns=[C_MONTH, C_PEOPLE, C_OVERDUE])


def _per_institution(plan: Plan, counts: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """`counts` (one row per inst_id) with the institutions' columns in front, in the registry's order."""
    order = _institution_order(plan, counts.index)
    counts = counts.loc[order]
    frame = pd.DataFrame(_institution_columns(plan, order))
    for label, col in zip(labels, counts.columns, strict=True):
        frame[label] = counts[col].astype(int).to_numpy()
    return frame


def training_grid(plan: Plan) -> pd.DataFrame:
    """Institutions (those with anyone due) × the months of the planning year, with the total."""
    t = plan.training
    months = plan_months(plan.report_date)
    labels = [month_short(m) for m in months]
    inst = [C_MUN, C_INST] if plan.many_municipalities else [C_INST]
    if t.empty:
        return pd.DataFrame(columns=[*inst, *labels, C_TOTAL])
    due = pd.to_datetime(t["due_month"]).dt.date
    counts = pd.crosstab(t["inst_id"], due).reindex(columns=months, fill_value=0)
    counts["total"] = counts.sum(axis=1)
    return _per_institution(plan, counts, [*labels, C_TOTAL])


def needs_table(plan: Plan) -> pd.DataFrame:
    """People per named need (rows, the most wanted first) and preferred form (columns), with the total."""
    n = plan.needs
    forms = [form_label(f) for f in contract.NEED_FORMS] + [NO_FORM]
    columns = [C_NEED, *forms, C_TOTAL]
    if n.empty:
        return pd.DataFrame(columns=columns)
    labelled = n.assign(form_label=[form_label(f) for f in n["form"]])
    rows = []
    for need, group in labelled.groupby("need", sort=False):
        by_form = dict(zip(group["form_label"], group["people"].astype(int), strict=True))
        counts = [int(by_form.get(f, 0)) for f in forms]
        rows.append([need_label(str(need)), *counts, sum(counts)])
    frame = pd.DataFrame(rows, columns=columns)
    # one person names a need once (the contract's key), so the forms add up to the people of the need
    return frame.sort_values([C_TOTAL, C_NEED], ascending=[False, True], kind="stable").reset_index(drop=True)


def year_label(plan: Plan, k: int) -> str:
    """The academic year that starts with the planning year k: «2025/2026»."""
    start = add_years(plan.report_date, k).year
    return f"{start}/{start + 1}"


def attestation_table(plan: Plan) -> pd.DataFrame:
    """Institutions × the lapsed categories and those ending in each of the five planning years."""
    a = plan.attestation
    years = [year_label(plan, k) for k in range(ATTESTATION_YEARS)]
    labels = [f"{LAPSED} (до {fmt.date(plan.report_date)})", *years, f"{C_TOTAL} за 5 лет"]
    inst = [C_MUN, C_INST] if plan.many_municipalities else [C_INST]
    if a.empty:
        return pd.DataFrame(columns=[*inst, *labels])
    counts = a.pivot_table(
        index="inst_id", columns="year_index", values="people", aggfunc="sum", fill_value=0
    )
    counts = counts.reindex(columns=range(-1, ATTESTATION_YEARS), fill_value=0)
    counts["total"] = counts[list(range(ATTESTATION_YEARS))].sum(axis=1)
    return _per_institution(plan, counts, labels)


def lapsed_list(plan: Plan) -> pd.DataFrame:
    """The people whose highest or first category has already lapsed (person-level)."""
    r = plan.lapsed
    return _numbered(
        {
            **_institution_columns(plan, r["inst_id"]),
            C_NAME: [fmt.MISSING if fmt.is_missing(v) else str(v) for v in r["full_name"]],
            C_POSITION: [position_label(p) for p in r["position"]],
            C_CATEGORY: [contract.label_ru(contract.CATEGORIES, str(c)).capitalize() for c in r["category"]],
            C_VALID: _dates(r["category_valid_until"]),
        },
        len(r),
    )


def without_mentor(plan: Plan) -> pd.DataFrame:
    """Young specialists without a mentor who counts (person-level)."""
    m = plan.mentoring[~plan.mentoring["has_mentor"].astype(bool)]
    return _numbered(
        {
            **_institution_columns(plan, m["inst_id"]),
            C_YOUNG: m["full_name"].tolist(),
            C_POSITION: [position_label(p) for p in m["position"]],
        },
        len(m),
    )


def mentor_pairs(plan: Plan) -> pd.DataFrame:
    """Mentor and mentee pairs (person-level)."""
    m = plan.mentoring[plan.mentoring["has_mentor"].astype(bool)]
    return _numbered(
        {
            **_institution_columns(plan, m["inst_id"]),
            C_YOUNG: m["full_name"].tolist(),
            C_POSITION: [position_label(p) for p in m["position"]],
            C_MENTOR: m["mentor_full_name"].tolist(),
        },
        len(m),
    )


def age_service_table(plan: Plan) -> pd.DataFrame:
    """The ОО-1 age bands (rows, every band) × total, women, the ОО-1 service bands (columns)."""
    a = plan.ages
    columns = [C_AGE, C_TOTAL, C_FEMALE, *SERVICE_BANDS.values()]
    rows = []
    for band, label in AGE_BANDS.items():
        mine = a[a["age_band"] == band]
        people = mine["people"].astype(int)
        service = [int(people[mine["oo1_experience_band"] == s].sum()) for s in SERVICE_BANDS]
        rows.append([label, int(people.sum()), int(people[mine["gender"] == FEMALE].sum()), *service])
    return pd.DataFrame(rows, columns=columns)


def forecast_table(plan: Plan) -> pd.DataFrame:
    """How many people will be 60 or older within 1, 3 and 5 years of D."""
    f = plan.forecast
    return pd.DataFrame(
        {
            C_HORIZON: [f"Через {ru.count(int(y), 'год')}" for y in f["years"]],
            C_DATE: [add_years(plan.report_date, int(y)) for y in f["years"]],
            f"{C_PEOPLE} в возрасте {RETIREMENT_AGE} лет и старше": f["people"].astype(int).tolist(),
        }
    )


def with_total(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with an «Итого» row (in its first column): the sum of every numeric column (for a DOCX table;
    the workbook leaves totals to the spreadsheet, where a total row would be sorted and filtered with the
    rest)."""
    total: dict[str, Any] = {}
    for i, col in enumerate(frame.columns):
        if i == 0:
            total[col] = TOTAL_ROW
        elif pd.api.types.is_numeric_dtype(frame[col]):
            total[col] = int(frame[col].sum())
        else:
            total[col] = ""
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


# ----------------------------------------------------------------------------------------- XLSX
def plan_sheets(plan: Plan) -> list[xb.Sheet]:
    """The workbook's sheets, one per list, each with a title line saying what and for which scope."""
    where = plan.subject.orgs_gent()
    year = f"с {fmt.date(plan.report_date)} по {fmt.date(plan.year_end)}"
    return [
        xb.Sheet(
            "План-график КПК",
            training_list(plan),
            title=f"План-график повышения квалификации педагогических работников {where} на период {year}",
            dates=(C_LAST, C_DUE),
        ),
        xb.Sheet(
            "КПК по месяцам",
            training_by_month(plan),
            title=f"Число педагогических работников, у которых наступает срок КПК, по месяцам ({year})",
        ),
        xb.Sheet(
            "КПК по организациям",
            training_grid(plan),
            title=f"Число педагогических работников, у которых наступает срок КПК, по организациям и месяцам "
            f"({year})",
        ),
        xb.Sheet(
            "Потребности",
            needs_table(plan),
            title=f"Профессиональные потребности педагогических работников {where} и предпочтительные формы "
            f"(человек), {plan.period}",
        ),
        xb.Sheet(
            "Аттестация на 5 лет",
            attestation_table(plan),
            title=f"Перспективный план аттестации: число педагогических работников, у которых истекает срок "
            f"действия высшей или первой категории, {where}",
        ),
        xb.Sheet(
            "Истекшие категории",
            lapsed_list(plan),
            title=f"Педагогические работники, у которых срок действия категории истёк до {fmt.date(plan.report_date)}",
            dates=(C_VALID,),
        ),
        xb.Sheet(
            "Без наставника",
            without_mentor(plan),
            title=f"Молодые специалисты без наставника, {where}, {plan.period}",
        ),
        xb.Sheet(
            "Наставники",
            mentor_pairs(plan),
            title=f"Наставники и молодые специалисты, {where}, {plan.period}",
        ),
        xb.Sheet(
            "Возраст и стаж (ОО-1)",
            age_service_table(plan),
            title=f"Педагогические работники {where} по возрасту и педагогическому стажу (группы формы ОО-1) "
            f"на {fmt.date(plan.report_date)}",
        ),
        xb.Sheet(
            f"Прогноз {RETIREMENT_AGE} лет и старше",
            forecast_table(plan),
            title=f"Число педагогических работников, которые достигнут возраста {RETIREMENT_AGE} лет и старше",
            dates=(C_DATE,),
        ),
    ]


def plan_xlsx(
    db_path: str | os.PathLike[str], user: User, scope: q.Scope, *, organisation: str | None = None
) -> bytes:
    """The plan as an XLSX workbook, one sheet per list."""
    return xb.workbook_bytes(plan_sheets(load_plan(db_path, user, scope, organisation=organisation)))


# ----------------------------------------------------------------------------------------- DOCX
def _approval_block(doc: dx.DocxReport, organisation: str) -> None:
    """«УТВЕРЖДАЮ», the head's position, a line for the signature and one for the date (top right)."""
    lines = [
        "УТВЕРЖДАЮ",
        f"Руководитель {organisation}",
        "____________ / ____________________",
        "«___» ____________ 20___ г.",
    ]
    for i, line in enumerate(lines):
        para = doc.paragraph(line, align="left", indent=False)
        para.paragraph_format.left_indent = Cm(doc.text_width_cm - 9.5)
        if i == len(lines) - 1:
            para.paragraph_format.space_after = Pt(18)


def _title(doc: dx.DocxReport, plan: Plan, today: dt.date) -> None:
    doc.paragraph(TITLE, align="center", indent=False, bold=True)
    doc.paragraph(
        f"повышения квалификации педагогических работников {plan.subject.orgs_gent()} "
        f"на период с {fmt.date(plan.report_date)} по {fmt.date(plan.year_end)}",
        align="center",
        indent=False,
        bold=True,
    )
    doc.paragraph(
        f"Учебный год: {plan.period}", align="right", indent=False
    ).paragraph_format.space_before = Pt(12)
    doc.paragraph(
        f"Дата составления: {fmt.date(today)}", align="right", indent=False
    ).paragraph_format.space_after = Pt(12)


def _shown(plan: Plan, frame: pd.DataFrame) -> pd.DataFrame:
    """A list as the document prints it: without the institution's column in one institution's plan."""
    return (
        frame.drop(columns=[c for c in (C_INST, C_MUN) if c in frame.columns])
        if plan.one_institution
        else frame
    )


def _people(n: int, case: str = "nomn") -> str:
    return f"{fmt.integer(n)}{fmt.NBSP}{ru.agree(n, 'педагогический работник', case)}"


def plan_document(plan: Plan, *, today: dt.date | None = None) -> dx.DocxReport:
    """The план-график as a document: the approval block, the title, the plan by month, by institution and
    by need, the named list; the attestation plan; the young specialists without a mentor."""
    today = today or dt.date.today()
    doc = dx.DocxReport(
        title=f"План-график повышения квалификации {plan.subject.orgs_gent()}, {plan.period}",
        author=plan.organisation,
        subject=plan.period,
        landscape=True,
    )
    _approval_block(doc, plan.organisation)
    _title(doc, plan, today)
    doc.paragraph(PERSONAL_DATA_NOTE, italic=True, size_pt=dx.CAPTION_PT)

    doc.heading("1. Повышение квалификации")
    t = plan.training
    n, overdue = len(t), int(t["overdue"].astype(bool).sum()) if len(t) else 0
    text = (
        f"В план-график включены {_people(n)}, у которых срок повышения квалификации (не реже одного раза в три "
        "года — п. 2 ч. 5 ст. 47 Федерального закона № 273-ФЗ «Об образовании в Российской Федерации») наступает "
        f"в период с {fmt.date(plan.report_date)} по {fmt.date(plan.year_end)}"
    )
    if overdue:
        text += f"; из них у {fmt.integer(overdue)} срок уже истёк (включены в первый месяц с отметкой «{OVERDUE}»)"
    doc.paragraph(text + ".")
    doc.table(
        with_total(training_by_month(plan)),
        caption="Число педагогических работников по месяцам",
        bold_last_row=True,
        # three short columns: not stretched over the landscape line
        widths_cm=MONTH_TABLE_CM,
    )
    if not plan.one_institution and n:
        grid = with_total(training_grid(plan))
        names = [c for c in grid.columns if c in (C_MUN, C_INST)]
        # the counts need little room: the institutions' names get the rest of the line
        counts_cm = [GRID_COLUMN_CM] * (len(grid.columns) - len(names))
        room = doc.text_width_cm - sum(counts_cm)
        # the municipality (when there are several) takes a third of the names' room
        names_cm = [room / 3, room * 2 / 3] if len(names) == 2 else [room]
        doc.table(
            grid,
            caption="Число педагогических работников по организациям и месяцам",
            bold_last_row=True,
            font_pt=GRID_FONT_PT,
            widths_cm=[*names_cm, *counts_cm],
        )
    needs = needs_table(plan)
    # a form nobody chose is left out of the printed table (the workbook keeps every column)
    needs = needs[[c for c in needs.columns if c in (C_NEED, C_TOTAL) or needs[c].sum() > 0]]
    if needs.empty:
        doc.paragraph("Сведений о профессиональных потребностях за учебный год нет.")
    else:
        doc.table(
            needs,
            caption="Профессиональные потребности и предпочтительные формы повышения квалификации (человек)",
            note="Педагог, назвавший несколько потребностей, учтён в каждой из них.",
            font_pt=10,
        )
    if n:
        listing = training_list(plan)
        doc.table(
            _shown(plan, listing),
            caption=f"План-график повышения квалификации ({plan.subject.orgs_gent()})",
            dates=(C_LAST, C_DUE),
            font_pt=10,
        )

    doc.heading("2. Аттестация")
    att = attestation_table(plan)
    if att.empty:
        doc.paragraph(
            "Педагогических работников, у которых срок действия высшей или первой категории истекает "
            "в ближайшие пять лет или уже истёк, нет."
        )
    else:
        doc.paragraph(
            "Перспективный план аттестации: число педагогических работников, у которых срок действия высшей или "
            "первой квалификационной категории истёк или истекает в каждом из ближайших пяти лет (категории, "
            "установленные с 01.09.2023, действуют бессрочно и в план не входят). Год — с "
            f"{fmt.date(plan.report_date)[:5]} по {fmt.date(plan.year_end)[:5]} следующего года."
        )
        doc.table(with_total(att), caption="Перспективный план аттестации", bold_last_row=True, font_pt=10)
    lapsed = lapsed_list(plan)
    if len(lapsed):
        doc.table(
            _shown(plan, lapsed),
            caption="Педагогические работники, у которых срок действия категории истёк",
            dates=(C_VALID,),
            font_pt=10,
        )

    doc.heading("3. Наставничество")
    m = plan.mentoring
    young, alone = len(m), int((~m["has_mentor"].astype(bool)).sum()) if len(m) else 0
    if not young:
        doc.paragraph("Молодых специалистов нет.")
    else:
        doc.paragraph(
            f"Молодых специалистов — {fmt.integer(young)}, из них без наставника — {fmt.integer(alone)}."
        )
        if alone:
            doc.table(
                _shown(plan, without_mentor(plan)),
                caption="Молодые специалисты без наставника",
                font_pt=10,
            )
    doc.signature("Исполнитель: методист")
    return doc


def plan_docx(
    db_path: str | os.PathLike[str],
    user: User,
    scope: q.Scope,
    *,
    organisation: str | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The план-график as DOCX bytes (landscape A4, the house layout of reports/docx_builder.py)."""
    plan = load_plan(db_path, user, scope, organisation=organisation)
    return plan_document(plan, today=today).to_bytes()

"""The dashboards' query layer: every number a page shows comes from one of these functions.

Each function takes `(db_path, user, …filters)` and returns a DataFrame (or a small frozen value). The SQL is
in warehouse/sql/dashboards/*.sql, run through the read API (warehouse/read.py) with named parameters, values
bound; the few choices that vary (a structure dimension, a due list) are checked against fixed allow-lists.
Nothing here imports Streamlit: the pages cache these results with `st.cache_data`, the tests call them
directly. The user is taken from the start: person-level functions (lists of who is due for attestation or
training) restrict a director to their own institution whatever filters are passed in.

Connections are the read API's: one `ReadOnlyWarehouse` per database file and process, a cursor per query.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import duckdb
import pandas as pd

from auth.identity import User
from warehouse import catalog, read
from warehouse.db import warehouse_exists
from warehouse.scope import ScopeParams, scope_params
from warehouse.settings import DEFAULTS, EGE_MIN_SCORE_PREFIX, EGE_MIN_SCORES, reporting_date
from warehouse.small_groups import hides, mask_small_groups, sibling_codes

AREAS = ("staff", "ict", "innovation")
INST_TYPES = ("school", "preschool", "additional")
ALL_TYPES = "all"

# the relations the dashboards read; a warehouse without the first two has nothing to show
REQUIRED_RELATIONS = ("mart.indicator_values", "mart.indicator_catalog", "core.institutions")
# the published catalogue's columns (warehouse/catalog.py), less the two that only the mart builder reads
CATALOG_COLUMNS = tuple(c for c in catalog.CATALOG_COLUMNS if c not in ("inst_types", "outlier_check"))


@dataclass(frozen=True)
class Scope:
    """What a page looks at: a period and optionally a municipality, an institution type, an institution.

    `municipality=None` means the whole region (every municipality); `inst_type=None` means every type.
    """

    period: str
    municipality: str | None = None
    inst_type: str | None = None
    inst_id: str | None = None

    def __post_init__(self) -> None:
        if self.inst_type is not None and self.inst_type not in INST_TYPES:
            raise ValueError(f"unknown institution type {self.inst_type!r}")

    def params(self) -> ScopeParams:
        """The scope as the SQL files' named parameters (warehouse/scope.py)."""
        return scope_params(self.period, self.municipality, self.inst_type, self.inst_id)


@dataclass(frozen=True)
class WarehouseState:
    """Whether there is anything to show: `missing` (no file), `broken`, `empty` (no indicators) or `ready`."""

    status: Literal["missing", "broken", "empty", "ready"]
    is_demo: bool = False
    periods: tuple[str, ...] = ()
    detail: str = ""

    @property
    def ready(self) -> bool:
        return self.status == "ready"


# ----------------------------------------------------------------------------------------- connections
def close_all() -> None:
    """Close every shared connection (tests that delete warehouse files call this)."""
    read.close_all()


def _relations(db_path: str | os.PathLike[str]) -> set[str]:
    return {r[0] for r in read.rows(db_path, "dashboards/relations")}


# ----------------------------------------------------------------------------------------- state, lists
def warehouse_state(db_path: str | os.PathLike[str], user: User) -> WarehouseState:
    """Is there a warehouse with indicators in it? Never raises: a page shows what to do instead."""
    if not warehouse_exists(db_path):
        return WarehouseState("missing", detail=str(db_path))
    try:
        relations = _relations(db_path)
        missing = [r for r in REQUIRED_RELATIONS if r not in relations]
        if missing:
            return WarehouseState("empty", detail="нет таблиц: " + ", ".join(missing))
        periods = tuple(r[0] for r in read.rows(db_path, "dashboards/periods"))
        is_demo = "meta.info" in relations and read.scalar(db_path, "dashboards/warehouse_kind") == "demo"
        if not periods:
            return WarehouseState("empty", is_demo=is_demo)
        return WarehouseState("ready", is_demo=is_demo, periods=periods)
    except (duckdb.Error, OSError) as exc:
        return WarehouseState("broken", detail=f"{type(exc).__name__}: {exc}")


def list_periods(db_path: str | os.PathLike[str], user: User) -> list[str]:
    """Periods with published indicators, oldest first."""
    return [r[0] for r in read.rows(db_path, "dashboards/periods")]


def list_institutions(db_path: str | os.PathLike[str], user: User) -> pd.DataFrame:
    """The registry: inst_id, name, short_name, inst_type, municipality, locality (sorted for lists)."""
    return read.frame(db_path, "dashboards/institutions")


def table_columns(db_path: str | os.PathLike[str], schema: str, table: str) -> set[str]:
    """The columns a stored table has (a warehouse written by an older version may lack newer ones)."""
    return {r[0] for r in read.rows(db_path, "dashboards/table_columns", schema=schema, table=table)}


def indicator_catalog(db_path: str | os.PathLike[str], user: User) -> pd.DataFrame:
    """mart.indicator_catalog with the columns the app uses (absent optional columns come back empty)."""
    stored = read.frame(db_path, "dashboards/indicator_catalog")
    order = ["sort_order", "indicator_code"] if "sort_order" in stored.columns else ["indicator_code"]
    frame = read.with_columns(
        stored.sort_values(order, kind="stable").reset_index(drop=True), CATALOG_COLUMNS
    )
    frame["key_indicator"] = frame["key_indicator"].fillna(False).astype(bool)
    frame["target"] = pd.to_numeric(frame["target"], errors="coerce").astype("float64")
    return frame


def methodology_settings(db_path: str | os.PathLike[str], user: User) -> dict[str, str]:
    """meta.settings over the defaults (reporting date, speed targets …)."""
    values = dict(DEFAULTS)
    with contextlib.suppress(duckdb.Error):
        values.update({k: v for k, v in read.rows(db_path, "dashboards/settings")})
    return values


def ege_min_scores(db_path: str | os.PathLike[str], user: User) -> pd.DataFrame:
    """The ЕГЭ minimum scores the marts apply: subject, name_ru, score (meta.settings over the defaults),
    overrides (period → score, the periods whose minimum differs; meta.period_settings)."""
    stored = read.frame(db_path, "dashboards/ege_min_scores", prefix=EGE_MIN_SCORE_PREFIX)
    names: dict[str, str] = {}
    with contextlib.suppress(duckdb.Error):  # a warehouse built before the results area has no names
        names = dict(read.rows(db_path, "results/subject_names"))
    base = stored[stored["period"].isna()]
    general = {str(s): v for s, v in zip(base["subject"], base["value"], strict=True)}
    rows = []
    for subject, default in EGE_MIN_SCORES.items():
        part = stored[(stored["subject"] == subject) & stored["period"].notna()]
        rows.append(
            {
                "subject": subject,
                "name_ru": names.get(subject, subject),
                "score": int(float(general.get(subject, default))),
                "overrides": {
                    str(p): int(float(v)) for p, v in zip(part["period"], part["value"], strict=True)
                },
            }
        )
    return pd.DataFrame(rows, columns=["subject", "name_ru", "score", "overrides"])


def period_reporting_date(db_path: str | os.PathLike[str], user: User, period: str) -> dt.date:
    return reporting_date(period, methodology_settings(db_path, user))


# ----------------------------------------------------------------------------------------- indicators
def aggregate_series(
    db_path: str | os.PathLike[str],
    user: User,
    codes: Sequence[str],
    municipality: str | None = None,
    inst_type: str | None = None,
) -> pd.DataFrame:
    """The scope's aggregate values of `codes` over every period: period, indicator_code, numerator,
    denominator, value."""
    # the aggregate row of a scope: the municipality's row when one is chosen, else the region's
    return read.frame(
        db_path,
        "dashboards/aggregate_series",
        level="municipality" if municipality else "region",
        municipality=municipality or None,
        inst_type=inst_type or ALL_TYPES,
        codes=list(codes),
    )


def institution_series(
    db_path: str | os.PathLike[str], user: User, inst_id: str, codes: Sequence[str]
) -> pd.DataFrame:
    """One institution's values of `codes` over every period (same columns as `aggregate_series`; the results
    area's rows over all subjects). A director looking at another institution gets its results values from
    fewer than 5 results as NULL (warehouse/small_groups.py); `masked` says which."""
    wanted = list(codes)
    frame = read.frame(db_path, "dashboards/institution_series", inst_id=inst_id, codes=sibling_codes(wanted))
    if hides(user, inst_id):
        # the whole-school rows: one subject ('all') and no grade, so every row's group can be sized
        frame = mask_small_groups(frame.assign(inst_id=inst_id, subject="all", grade=None), user)
        frame = frame.drop(columns=["inst_id", "subject", "grade"])
    else:
        frame["masked"] = False
    return frame[frame["indicator_code"].isin(wanted)].reset_index(drop=True)


def institution_values(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    codes: Sequence[str],
    municipality: str | None = None,
    inst_type: str | None = None,
) -> pd.DataFrame:
    """Every registry institution of the scope with its values of `codes` in `period` (long format).

    Institutions without a value keep a row with NULL code/value so that a table can show them as missing.
    Columns: inst_id, short_name, name, inst_type, municipality, locality, indicator_code, numerator,
    denominator, value, masked. The results area gives its rows over all subjects; for a director another
    institution's results value from fewer than 5 results is NULL with `masked` TRUE.
    """
    wanted = list(codes)
    frame = read.frame(
        db_path,
        "dashboards/institution_values",
        period=period,
        codes=sibling_codes(wanted),
        municipality=municipality,
        inst_type=inst_type,
        inst_id=None,
    )
    frame = mask_small_groups(frame.assign(subject="all", grade=None), user).drop(
        columns=["subject", "grade"]
    )
    # an institution without any of the values keeps its row (NULL code)
    keep = frame["indicator_code"].isna() | frame["indicator_code"].isin(wanted)
    return frame[keep].reset_index(drop=True)


def municipality_values(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    codes: Sequence[str],
    inst_type: str | None = None,
) -> pd.DataFrame:
    """Each municipality's aggregate values of `codes` (long format): municipality, indicator_code,
    numerator, denominator, value."""
    return read.frame(
        db_path,
        "dashboards/municipality_values",
        period=period,
        inst_type=inst_type or ALL_TYPES,
        codes=list(codes),
    )


def attention_list(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    codes: Sequence[str],
    municipality: str | None = None,
    inst_type: str | None = None,
    limit: int = 10,
) -> pd.DataFrame:
    """Institutions furthest below the scope on `codes`, worst first.

    Each institution is compared with the scope's value for institutions of its own type (a kindergarten
    with the city's kindergartens), on indicators with a direction and a denominator (counts are sizes, not
    quality). The shortfall is in the indicator's unit (п.п. for shares); institutions are ranked by the
    largest relative shortfall over their indicators. Columns: inst_id, short_name, inst_type, municipality,
    indicator_code, value, scope_value, shortfall, relative_shortfall, indicators_below.
    """
    return read.frame(
        db_path,
        "dashboards/attention_list",
        codes=list(codes),
        level="municipality" if municipality else "region",
        period=period,
        municipality=municipality,
        inst_type=inst_type,
        limit=int(limit),
    )


# ----------------------------------------------------------------------------------------- staff
# the structure dimensions: columns of mart.staff_person (their groupings are in stg_staff_person.sql)
STAFF_DIMENSIONS = ("category", "education", "age_band", "experience_band", "position")


def _has_view(db_path: str | os.PathLike[str], name: str) -> bool:
    return name in _relations(db_path)


def staff_structure(
    db_path: str | os.PathLike[str], user: User, scope: Scope, dimension: str, by_gender: bool = False
) -> pd.DataFrame:
    """Pedagogical staff (P, mart.staff_person) of the scope counted by `dimension` (one of STAFF_DIMENSIONS).

    Columns: group, [gender,] staff (count). Only counts: no person-level data leaves this function.
    """
    if dimension not in STAFF_DIMENSIONS:
        raise ValueError(f"unknown staff dimension {dimension!r}")
    if not _has_view(db_path, "mart.staff_person"):
        return pd.DataFrame(columns=["group", "gender", "staff"] if by_gender else ["group", "staff"])
    frame = read.frame(
        db_path,
        "dashboards/staff_structure",
        **scope.params(),
        dimension=dimension,
        by_gender=bool(by_gender),
    )
    return frame if by_gender else frame.drop(columns="gender")


DUE_KINDS = ("attestation", "training")


def staff_due_list(
    db_path: str | os.PathLike[str], user: User, scope: Scope, kind: str, limit: int | None = None
) -> pd.DataFrame:
    """Who is on a due list of the 12 months from the reporting date: attestation (a highest or first category
    whose validity ends in [D, D + 1 year), status `due`, or already ended before D, status `lapsed`) or
    training (never trained `never`, the 3-year term already passed `overdue`, or ending before D + 1 year
    `due`); lapsed and overdue first, then soonest first; the first `limit` people when a limit is given
    (staff_due_count says how many there are).

    Person-level data: a director sees only their own institution, whatever the scope says (due_scope gives
    the scope a director's list really has).
    Columns: inst_id, short_name, staff_id, full_name, position, category, category_date,
    category_valid_until, last_training_date, training_due_date, due_date, status.
    """
    if kind not in DUE_KINDS:
        raise ValueError(f"unknown list {kind!r}")
    columns = [
        "inst_id",
        "short_name",
        "staff_id",
        "full_name",
        "position",
        "category",
        "category_date",
        "category_valid_until",
        "last_training_date",
        "training_due_date",
        "due_date",
        "status",
    ]
    if not _has_view(db_path, "mart.staff_person"):
        return pd.DataFrame(columns=columns)
    return read.frame(
        db_path, "dashboards/staff_due_list", **scope.params(), kind=kind, own=user.person_scope, limit=limit
    )


def staff_due_statuses(
    db_path: str | os.PathLike[str], user: User, scope: Scope, kind: str
) -> dict[str, int]:
    """How many people staff_due_list has without a limit, by status (only statuses that occur), under the
    same scope and access rules."""
    if kind not in DUE_KINDS:
        raise ValueError(f"unknown list {kind!r}")
    if not _has_view(db_path, "mart.staff_person"):
        return {}
    rows = read.rows(
        db_path, "dashboards/staff_due_count", **scope.params(), kind=kind, own=user.person_scope
    )
    return {str(status): int(people) for status, people in rows}


def staff_due_count(db_path: str | os.PathLike[str], user: User, scope: Scope, kind: str) -> int:
    """How many people staff_due_list has without a limit (the same scope and access rules)."""
    return sum(staff_due_statuses(db_path, user, scope, kind).values())


def due_scope(user: User, scope: Scope) -> Scope:
    """The scope a due list really has for `user`: a director's lists are always their own institution's,
    whatever institution or municipality the page shows; the other roles keep the page's scope."""
    own = user.person_scope
    return scope if own is None else Scope(scope.period, inst_id=own)


# ----------------------------------------------------------------------------------------- ICT
def ict_institutions(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """Every registry institution of the scope (ignoring scope.inst_id) with its ict row of the period,
    the speed target for its locality and the five readiness components (NULL when it sent no ict row).

    Columns: inst_id, short_name, inst_type, municipality, locality, students, computers_learning,
    classrooms_total, classrooms_workstation, interactive_boards, internet_speed_mbps, speed_target_mbps,
    meets_speed_target, c1_pc_per_pupil … c5_digital_services, readiness_index.
    """
    columns = [
        "inst_id",
        "short_name",
        "inst_type",
        "municipality",
        "locality",
        "students",
        "computers_learning",
        "classrooms_total",
        "classrooms_workstation",
        "interactive_boards",
        "internet_speed_mbps",
        "speed_target_mbps",
        "meets_speed_target",
        "c1_pc_per_pupil",
        "c2_pc_internet",
        "c3_rooms_workstation",
        "c4_speed",
        "c5_digital_services",
        "readiness_index",
    ]
    if not _has_view(db_path, "staging.stg_ict"):
        return pd.DataFrame(columns=columns)
    return read.frame(db_path, "dashboards/ict_institutions", **{**scope.params(), "inst_id": None})


# ----------------------------------------------------------------------------------------- innovation
def innovation_sites(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """Innovation sites of the period by institution and level: inst_id, short_name, inst_type,
    municipality, level, sites."""
    return read.frame(db_path, "dashboards/innovation_sites", **scope.params())


def innovation_contests(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """Contests of teachers and olympiads of pupils by level: activity_type, level, participants (everyone
    who took part), winners, prize_winners (sums of `participants`)."""
    return read.frame(db_path, "dashboards/innovation_contests", **scope.params())


def innovation_activity(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """Innovation records per institution of the scope (ignoring scope.inst_id) in the period, with the
    pedagogical staff (STAFF_COUNT) and pupils (ict) they are set against.

    Columns: inst_id, short_name, inst_type, municipality, records, staff, students. Institutions that
    reported (a staff or ict row) but have no records get 0 records; staff/students are NULL when missing.
    """
    return read.frame(db_path, "dashboards/innovation_activity", **{**scope.params(), "inst_id": None})


# every public query, by name (the UI's cache wrapper calls through this allow-list)
QUERIES = {
    f.__name__: f
    for f in (
        warehouse_state,
        list_periods,
        list_institutions,
        indicator_catalog,
        methodology_settings,
        aggregate_series,
        institution_series,
        ege_min_scores,
        institution_values,
        municipality_values,
        attention_list,
        staff_structure,
        staff_due_list,
        staff_due_count,
        staff_due_statuses,
        ict_institutions,
        innovation_sites,
        innovation_contests,
        innovation_activity,
    )
}


# ----------------------------------------------------------------------------------------- planning
def training_plan(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """The training plan of the planning year [D, D + 1 year) (indicators.md, «Planning»): every person of P
    due, overdue first (in D's month, `overdue` true), then by the month they fall due, with their named needs.

    Person-level data: a director sees only their own institution, whatever the scope says.
    Columns: inst_id, short_name, staff_id, full_name, position, last_training_date, training_due_date,
    overdue, due_month, needs (a list of need codes).
    """
    columns = [
        "inst_id", "short_name", "staff_id", "full_name", "position", "last_training_date",
        "training_due_date", "overdue", "due_month", "needs",
    ]  # fmt: skip
    if not _has_view(db_path, "mart.staff_person"):
        return pd.DataFrame(columns=columns)
    return read.frame(db_path, "plan/training_plan", **scope.params(), own=user.person_scope)


def attestation_plan(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """The five-year attestation plan by institution: people whose highest or first category ends in each
    planning year k = 0 … 4 from D (`year_index`, `year_start`), and the lapsed ones (`year_index` -1).
    Counts only. Columns: inst_id, short_name, year_index, year_start, people."""
    if not _has_view(db_path, "mart.staff_person"):
        return pd.DataFrame(columns=["inst_id", "short_name", "year_index", "year_start", "people"])
    return read.frame(db_path, "plan/attestation_plan", **scope.params())


def needs_summary(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """People of P per named need and preferred form (form NULL = not given). Counts only.
    Columns: need, form, people."""
    if not _has_view(db_path, "mart.staff_person"):
        return pd.DataFrame(columns=["need", "form", "people"])
    return read.frame(db_path, "plan/needs_summary", **scope.params())


def mentoring(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """Young specialists with their mentor (when the mentor counts), those without one first.
    Person-level data: a director sees only their own institution. Columns: inst_id, short_name, staff_id,
    full_name, position, has_mentor, mentor_staff_id, mentor_full_name."""
    columns = ["inst_id", "short_name", "staff_id", "full_name", "position", "has_mentor"]
    if not _has_view(db_path, "mart.staff_person"):
        return pd.DataFrame(columns=[*columns, "mentor_staff_id", "mentor_full_name"])
    return read.frame(db_path, "plan/mentoring", **scope.params(), own=user.person_scope)


def age_service_structure(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """P by ОО-1 age band, service band and gender. Counts only. Columns: age_band, oo1_experience_band,
    gender, people."""
    if not _has_view(db_path, "mart.staff_person"):
        return pd.DataFrame(columns=["age_band", "oo1_experience_band", "gender", "people"])
    return read.frame(db_path, "plan/age_service", **scope.params())


def retirement_age_forecast(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """How many people of P will be 60 or older within 1, 3 and 5 years of D. Columns: years, people."""
    if not _has_view(db_path, "mart.staff_person"):
        return pd.DataFrame(columns=["years", "people"])
    return read.frame(db_path, "plan/retirement_age", **scope.params())


# the planning queries run through the pages' cache too (ui.data); the person-level ones take the director's
# own institution (training_plan, mentoring), the others are counts
QUERIES.update(
    {
        f.__name__: f
        for f in (
            training_plan,
            attestation_plan,
            needs_summary,
            mentoring,
            age_service_structure,
            retirement_age_forecast,
        )
    }
)

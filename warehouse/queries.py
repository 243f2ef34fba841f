"""The dashboards' query layer: every number a page shows comes from one of these functions.

Each function takes `(db_path, user, …filters)` and returns a DataFrame (or a small frozen value). The SQL is
parameterised (`?` placeholders, values bound); the few identifiers that vary come from fixed allow-lists.
Nothing here imports Streamlit: the pages cache these results with `st.cache_data`, the tests call them
directly. The user is taken from the start: person-level functions (lists of who is due for attestation or
training) restrict a director to their own institution whatever filters are passed in.

Readers share one `ReadOnlyWarehouse` per database file and process (it follows atomic swaps by a load) and
take a fresh cursor per query, as DuckDB connections are not shared between threads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd

from auth.identity import User
from warehouse import catalog
from warehouse.db import ReadOnlyWarehouse
from warehouse.settings import DEFAULTS, reporting_date

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
_WAREHOUSES: dict[Path, ReadOnlyWarehouse] = {}
_WAREHOUSES_LOCK = threading.Lock()


def _warehouse(db_path: str | os.PathLike[str]) -> ReadOnlyWarehouse:
    key = Path(db_path).resolve()
    with _WAREHOUSES_LOCK:
        wh = _WAREHOUSES.get(key)
        if wh is None:
            wh = _WAREHOUSES[key] = ReadOnlyWarehouse(key)
        return wh


def close_all() -> None:
    """Close every shared connection (tests that delete warehouse files call this)."""
    with _WAREHOUSES_LOCK:
        for wh in _WAREHOUSES.values():
            wh.close()
        _WAREHOUSES.clear()


def _df(db_path: str | os.PathLike[str], sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    cur = _warehouse(db_path).cursor()
    try:
        return cur.execute(sql, list(params)).df()
    finally:
        cur.close()


def _rows(db_path: str | os.PathLike[str], sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    cur = _warehouse(db_path).cursor()
    try:
        return cur.execute(sql, list(params)).fetchall()
    finally:
        cur.close()


def _relations(db_path: str | os.PathLike[str]) -> set[str]:
    rows = _rows(
        db_path,
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "UNION ALL SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE NOT internal",
    )
    return {r[0] for r in rows}


# ----------------------------------------------------------------------------------------- state, lists
def warehouse_state(db_path: str | os.PathLike[str], user: User) -> WarehouseState:
    """Is there a warehouse with indicators in it? Never raises: a page shows what to do instead."""
    if not Path(db_path).exists():
        return WarehouseState("missing", detail=str(db_path))
    try:
        relations = _relations(db_path)
        missing = [r for r in REQUIRED_RELATIONS if r not in relations]
        if missing:
            return WarehouseState("empty", detail="нет таблиц: " + ", ".join(missing))
        periods = tuple(
            r[0] for r in _rows(db_path, "SELECT DISTINCT period FROM mart.indicator_values ORDER BY period")
        )
        is_demo = False
        if "meta.info" in relations:
            kind = _rows(db_path, "SELECT value FROM meta.info WHERE key = 'kind'")
            is_demo = bool(kind) and kind[0][0] == "demo"
        if not periods:
            return WarehouseState("empty", is_demo=is_demo)
        return WarehouseState("ready", is_demo=is_demo, periods=periods)
    except (duckdb.Error, OSError) as exc:
        return WarehouseState("broken", detail=f"{type(exc).__name__}: {exc}")


def list_periods(db_path: str | os.PathLike[str], user: User) -> list[str]:
    """Periods with published indicators, oldest first."""
    return [r[0] for r in _rows(db_path, "SELECT DISTINCT period FROM mart.indicator_values ORDER BY period")]


def list_institutions(db_path: str | os.PathLike[str], user: User) -> pd.DataFrame:
    """The registry: inst_id, name, short_name, inst_type, municipality, locality (sorted for lists)."""
    return _df(
        db_path,
        """
        SELECT inst_id, name, short_name, inst_type, municipality, locality
        FROM core.institutions
        ORDER BY municipality, inst_type, short_name, inst_id
        """,
    )


def table_columns(db_path: str | os.PathLike[str], schema: str, table: str) -> set[str]:
    """The columns a stored table has (a warehouse written by an older version may lack newer ones)."""
    sql = "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?"
    return {r[0] for r in _rows(db_path, sql, [schema, table])}


def indicator_catalog(db_path: str | os.PathLike[str], user: User) -> pd.DataFrame:
    """mart.indicator_catalog with the columns the app uses (absent optional columns come back empty)."""
    have = table_columns(db_path, "mart", "indicator_catalog")
    # column names come from the fixed CATALOG_COLUMNS list, never from input
    select = ", ".join(c if c in have else f"NULL AS {c}" for c in CATALOG_COLUMNS)
    order = "sort_order, indicator_code" if "sort_order" in have else "indicator_code"
    frame = _df(db_path, f"SELECT {select} FROM mart.indicator_catalog ORDER BY {order}")
    frame["key_indicator"] = frame["key_indicator"].fillna(False).astype(bool)
    frame["target"] = pd.to_numeric(frame["target"], errors="coerce").astype("float64")
    return frame


def methodology_settings(db_path: str | os.PathLike[str], user: User) -> dict[str, str]:
    """meta.settings over the defaults (reporting date, speed targets …)."""
    values = dict(DEFAULTS)
    with contextlib.suppress(duckdb.Error):
        values.update({k: v for k, v in _rows(db_path, "SELECT key, value FROM meta.settings")})
    return values


def period_reporting_date(db_path: str | os.PathLike[str], user: User, period: str) -> dt.date:
    return reporting_date(period, methodology_settings(db_path, user))


# ----------------------------------------------------------------------------------------- indicators
def _aggregate_where(municipality: str | None, inst_type: str | None) -> tuple[str, list[Any]]:
    """The aggregate row of a scope: the municipality's row when one is chosen, else the region's."""
    if municipality:
        return "level = 'municipality' AND municipality = ? AND inst_type = ?", [
            municipality,
            inst_type or ALL_TYPES,
        ]
    return "level = 'region' AND inst_type = ?", [inst_type or ALL_TYPES]


def aggregate_series(
    db_path: str | os.PathLike[str],
    user: User,
    codes: Sequence[str],
    municipality: str | None = None,
    inst_type: str | None = None,
) -> pd.DataFrame:
    """The scope's aggregate values of `codes` over every period: period, indicator_code, numerator,
    denominator, value."""
    where, params = _aggregate_where(municipality, inst_type)
    return _df(
        db_path,
        f"""
        SELECT period, indicator_code, numerator, denominator, value
        FROM mart.indicator_values
        WHERE {where} AND list_contains(?::VARCHAR[], indicator_code)
        ORDER BY period, indicator_code
        """,
        [*params, list(codes)],
    )


def institution_series(
    db_path: str | os.PathLike[str], user: User, inst_id: str, codes: Sequence[str]
) -> pd.DataFrame:
    """One institution's values of `codes` over every period (same columns as `aggregate_series`)."""
    return _df(
        db_path,
        """
        SELECT period, indicator_code, numerator, denominator, value
        FROM mart.indicator_values
        WHERE level = 'institution' AND inst_id = ? AND list_contains(?::VARCHAR[], indicator_code)
        ORDER BY period, indicator_code
        """,
        [inst_id, list(codes)],
    )


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
    denominator, value.
    """
    return _df(
        db_path,
        """
        WITH inst AS (
            SELECT inst_id, short_name, name, inst_type, municipality, locality
            FROM core.institutions
            WHERE (?::VARCHAR IS NULL OR municipality = ?) AND (?::VARCHAR IS NULL OR inst_type = ?)
        ),
        vals AS (
            SELECT inst_id, indicator_code, numerator, denominator, value
            FROM mart.indicator_values
            WHERE level = 'institution' AND period = ? AND list_contains(?::VARCHAR[], indicator_code)
        )
        SELECT inst.*, vals.indicator_code, vals.numerator, vals.denominator, vals.value
        FROM inst LEFT JOIN vals USING (inst_id)
        ORDER BY inst.municipality, inst.inst_type, inst.short_name, inst.inst_id
        """,
        [municipality, municipality, inst_type, inst_type, period, list(codes)],
    )


def municipality_values(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    codes: Sequence[str],
    inst_type: str | None = None,
) -> pd.DataFrame:
    """Each municipality's aggregate values of `codes` (long format): municipality, indicator_code,
    numerator, denominator, value."""
    return _df(
        db_path,
        """
        SELECT municipality, indicator_code, numerator, denominator, value
        FROM mart.indicator_values
        WHERE level = 'municipality' AND period = ? AND inst_type = ?
          AND list_contains(?::VARCHAR[], indicator_code)
        ORDER BY municipality, indicator_code
        """,
        [period, inst_type or ALL_TYPES, list(codes)],
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
    agg_level = "municipality" if municipality else "region"
    return _df(
        db_path,
        """
        WITH cat AS (
            SELECT indicator_code, direction FROM mart.indicator_catalog
            WHERE direction IN ('up', 'down') AND list_contains(?::VARCHAR[], indicator_code)
        ),
        agg AS (
            SELECT inst_type, indicator_code, value AS scope_value
            FROM mart.indicator_values
            WHERE level = ? AND period = ? AND (?::VARCHAR IS NULL OR municipality = ?)
              AND denominator IS NOT NULL AND value IS NOT NULL
        ),
        inst AS (
            SELECT v.inst_id, v.inst_type, v.indicator_code, v.value
            FROM mart.indicator_values v
            WHERE v.level = 'institution' AND v.period = ? AND v.value IS NOT NULL
              AND (?::VARCHAR IS NULL OR v.municipality = ?) AND (?::VARCHAR IS NULL OR v.inst_type = ?)
        ),
        gaps AS (
            SELECT inst.inst_id, inst.inst_type, inst.indicator_code, inst.value, agg.scope_value,
                   CASE cat.direction WHEN 'up' THEN agg.scope_value - inst.value
                                      ELSE inst.value - agg.scope_value END AS shortfall
            FROM inst
            JOIN cat USING (indicator_code)
            JOIN agg ON agg.inst_type = inst.inst_type AND agg.indicator_code = inst.indicator_code
        ),
        ranked AS (
            SELECT *,
                   shortfall / nullif(abs(scope_value), 0) AS relative_shortfall,
                   count(*) OVER (PARTITION BY inst_id) AS indicators_below,
                   row_number() OVER (PARTITION BY inst_id
                                      ORDER BY shortfall / nullif(abs(scope_value), 0) DESC NULLS LAST,
                                               indicator_code) AS rn
            FROM gaps
            WHERE shortfall > 0
        )
        SELECT r.inst_id, i.short_name, r.inst_type, i.municipality, r.indicator_code, r.value,
               r.scope_value, r.shortfall, r.relative_shortfall, r.indicators_below
        FROM ranked r JOIN core.institutions i USING (inst_id)
        WHERE r.rn = 1
        ORDER BY r.relative_shortfall DESC NULLS LAST, r.indicators_below DESC, i.short_name
        LIMIT ?
        """,
        [
            list(codes),
            agg_level,
            period,
            municipality,
            municipality,
            period,
            municipality,
            municipality,
            inst_type,
            inst_type,
            int(limit),
        ],
    )


# ----------------------------------------------------------------------------------------- staff
STAFF_DIMENSIONS = ("category", "education", "age_band", "experience_band", "position")

# the SQL expression of each structure dimension over mart.staff_person (a fixed allow-list)
_STAFF_DIMENSION_SQL = {
    # an expired category counts as none; «соответствие занимаемой должности» is kept apart from «без категории»
    "category": """CASE WHEN category_at_date = 'none'
                        THEN CASE WHEN category = 'compliance' THEN 'compliance' ELSE 'none' END
                        ELSE category END""",
    "education": """CASE WHEN education_level = 'higher' AND pedagogical_education THEN 'higher_ped'
                         WHEN education_level = 'higher' THEN 'higher_other'
                         WHEN education_level = 'secondary_vocational' AND pedagogical_education THEN 'svo_ped'
                         WHEN education_level = 'secondary_vocational' THEN 'svo_other'
                         ELSE 'none' END""",
    "age_band": """CASE WHEN age < 25 THEN '<25' WHEN age < 30 THEN '25-29' WHEN age < 35 THEN '30-34'
                        WHEN age < 40 THEN '35-39' WHEN age < 45 THEN '40-44' WHEN age < 50 THEN '45-49'
                        WHEN age < 55 THEN '50-54' WHEN age < 60 THEN '55-59' WHEN age < 65 THEN '60-64'
                        ELSE '65+' END""",
    "experience_band": """CASE WHEN ped_experience_years < 3 THEN '<3' WHEN ped_experience_years < 5 THEN '3-5'
                               WHEN ped_experience_years < 10 THEN '5-10'
                               WHEN ped_experience_years < 20 THEN '10-20'
                               WHEN ped_experience_years <= 30 THEN '20-30' ELSE '>30' END""",
    "position": "position",
}

_STAFF_SCOPE = """
    s.period = ?
    AND (?::VARCHAR IS NULL OR s.inst_id = ?)
    AND (?::VARCHAR IS NULL OR i.municipality = ?)
    AND (?::VARCHAR IS NULL OR i.inst_type = ?)
"""


def _scope_params(scope: Scope) -> list[Any]:
    return [
        scope.period,
        scope.inst_id,
        scope.inst_id,
        scope.municipality,
        scope.municipality,
        scope.inst_type,
        scope.inst_type,
    ]


def _has_view(db_path: str | os.PathLike[str], name: str) -> bool:
    return name in _relations(db_path)


def staff_structure(
    db_path: str | os.PathLike[str], user: User, scope: Scope, dimension: str, by_gender: bool = False
) -> pd.DataFrame:
    """Pedagogical staff (P, mart.staff_person) of the scope counted by `dimension` (one of STAFF_DIMENSIONS).

    Columns: group, [gender,] staff (count). Only counts: no person-level data leaves this function.
    """
    if dimension not in _STAFF_DIMENSION_SQL:
        raise ValueError(f"unknown staff dimension {dimension!r}")
    if not _has_view(db_path, "mart.staff_person"):
        return pd.DataFrame(columns=["group", "gender", "staff"] if by_gender else ["group", "staff"])
    expr = _STAFF_DIMENSION_SQL[dimension]
    gender = ", s.gender" if by_gender else ""
    return _df(
        db_path,
        f"""
        SELECT {expr} AS "group"{gender}, count(*) AS staff
        FROM mart.staff_person s JOIN core.institutions i ON i.inst_id = s.inst_id
        WHERE {_STAFF_SCOPE}
        GROUP BY ALL
        ORDER BY ALL
        """,
        _scope_params(scope),
    )


DUE_KINDS = ("attestation", "training")


def _due_from(kind: str) -> tuple[str, str]:
    """(the due date expression, FROM … WHERE …) of a due list; parameters: _scope_params, own, own."""
    if kind not in DUE_KINDS:
        raise ValueError(f"unknown list {kind!r}")
    flag = "s.attestation_due" if kind == "attestation" else "s.training_due"
    due = "s.category_valid_until" if kind == "attestation" else "s.training_due_date"
    return (
        due,
        f"""
        FROM mart.staff_person s JOIN core.institutions i ON i.inst_id = s.inst_id
        WHERE {flag} AND {_STAFF_SCOPE}
          AND (?::VARCHAR IS NULL OR s.inst_id = ?)
        """,
    )


def staff_due_list(
    db_path: str | os.PathLike[str], user: User, scope: Scope, kind: str, limit: int | None = None
) -> pd.DataFrame:
    """Who is due in the 12 months from the reporting date: attestation (a highest or first category whose
    validity ends in [D, D + 1 year)) or training (never trained, or the 3-year term ends before D + 1 year),
    soonest first; the first `limit` people when a limit is given (staff_due_count says how many there are).

    Person-level data: a director sees only their own institution, whatever the scope says.
    Columns: inst_id, short_name, staff_id, full_name, position, category, category_date,
    category_valid_until, last_training_date, training_due_date, due_date.
    """
    due, source = _due_from(kind)
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
    ]
    if not _has_view(db_path, "mart.staff_person"):
        return pd.DataFrame(columns=columns)
    own = user.person_scope
    return _df(
        db_path,
        f"""
        SELECT s.inst_id, i.short_name, s.staff_id, s.full_name, s.position, s.category, s.category_date,
               s.category_valid_until, s.last_training_date, s.training_due_date, {due} AS due_date
        {source}
        ORDER BY due_date NULLS FIRST, i.short_name, s.full_name, s.staff_id
        LIMIT ?
        """,
        [*_scope_params(scope), own, own, limit],
    )


def staff_due_count(db_path: str | os.PathLike[str], user: User, scope: Scope, kind: str) -> int:
    """How many people staff_due_list has without a limit (the same scope and access rules)."""
    _, source = _due_from(kind)
    if not _has_view(db_path, "mart.staff_person"):
        return 0
    own = user.person_scope
    rows = _rows(db_path, f"SELECT count(*) {source}", [*_scope_params(scope), own, own])
    return int(rows[0][0])


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
    return _df(
        db_path,
        """
        SELECT i.inst_id, i.short_name, i.inst_type, i.municipality, i.locality,
               c.students, c.computers_learning, c.classrooms_total, c.classrooms_workstation,
               c.interactive_boards, c.internet_speed_mbps, c.speed_target_mbps, c.meets_speed_target,
               c.c1_pc_per_pupil, c.c2_pc_internet, c.c3_rooms_workstation, c.c4_speed,
               c.c5_digital_services, c.readiness_index
        FROM core.institutions i
        LEFT JOIN staging.stg_ict c ON c.inst_id = i.inst_id AND c.period = ?
        WHERE (?::VARCHAR IS NULL OR i.municipality = ?) AND (?::VARCHAR IS NULL OR i.inst_type = ?)
        ORDER BY i.municipality, i.inst_type, i.short_name, i.inst_id
        """,
        [scope.period, scope.municipality, scope.municipality, scope.inst_type, scope.inst_type],
    )


# ----------------------------------------------------------------------------------------- innovation
def _innovation_scope(scope: Scope) -> tuple[str, list[Any]]:
    return (
        """n.period = ? AND (?::VARCHAR IS NULL OR n.inst_id = ?)
           AND (?::VARCHAR IS NULL OR i.municipality = ?) AND (?::VARCHAR IS NULL OR i.inst_type = ?)""",
        _scope_params(scope),
    )


def innovation_sites(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """Innovation sites of the period by institution and level: inst_id, short_name, inst_type,
    municipality, level, sites."""
    where, params = _innovation_scope(scope)
    return _df(
        db_path,
        f"""
        SELECT n.inst_id, i.short_name, i.inst_type, i.municipality, n.level, count(*) AS sites
        FROM core.innovation n JOIN core.institutions i USING (inst_id)
        WHERE n.activity_type = 'innovation_site' AND {where}
        GROUP BY ALL
        ORDER BY i.short_name, n.level
        """,
        params,
    )


def innovation_contests(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """Contests of teachers and olympiads of pupils by level: activity_type, level, participants (everyone
    who took part), winners, prize_winners (sums of `participants`)."""
    where, params = _innovation_scope(scope)
    return _df(
        db_path,
        f"""
        SELECT n.activity_type, n.level,
               sum(n.participants) AS participants,
               coalesce(sum(n.participants) FILTER (WHERE n.result = 'winner'), 0) AS winners,
               coalesce(sum(n.participants) FILTER (WHERE n.result = 'prize_winner'), 0) AS prize_winners
        FROM core.innovation n JOIN core.institutions i USING (inst_id)
        WHERE n.activity_type IN ('staff_contest', 'student_contest') AND {where}
        GROUP BY ALL
        ORDER BY ALL
        """,
        params,
    )


def innovation_activity(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """Innovation records per institution of the scope (ignoring scope.inst_id) in the period, with the
    pedagogical staff (STAFF_COUNT) and pupils (ict) they are set against.

    Columns: inst_id, short_name, inst_type, municipality, records, staff, students. Institutions that
    reported (a staff or ict row) but have no records get 0 records; staff/students are NULL when missing.
    """
    return _df(
        db_path,
        """
        WITH inst AS (
            SELECT inst_id, short_name, inst_type, municipality FROM core.institutions
            WHERE (?::VARCHAR IS NULL OR municipality = ?) AND (?::VARCHAR IS NULL OR inst_type = ?)
        ),
        rec AS (SELECT inst_id, count(*) AS records FROM core.innovation WHERE period = ? GROUP BY inst_id),
        staff AS (
            SELECT inst_id, value AS staff FROM mart.indicator_values
            WHERE level = 'institution' AND period = ? AND indicator_code = 'STAFF_COUNT'
        ),
        pupils AS (SELECT inst_id, students FROM core.ict WHERE period = ?)
        SELECT inst.*,
               CASE WHEN rec.records IS NOT NULL THEN rec.records
                    WHEN staff.staff IS NOT NULL OR pupils.students IS NOT NULL THEN 0 END AS records,
               staff.staff, pupils.students
        FROM inst
        LEFT JOIN rec USING (inst_id) LEFT JOIN staff USING (inst_id) LEFT JOIN pupils USING (inst_id)
        ORDER BY inst.municipality, inst.short_name, inst.inst_id
        """,
        [
            scope.municipality,
            scope.municipality,
            scope.inst_type,
            scope.inst_type,
            scope.period,
            scope.period,
            scope.period,
        ],
    )


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
        institution_values,
        municipality_values,
        attention_list,
        staff_structure,
        staff_due_list,
        staff_due_count,
        ict_institutions,
        innovation_sites,
        innovation_contests,
        innovation_activity,
    )
}

"""Rebuild everything derived from core.*: staging views, the indicator mart and the computed warnings.

`build_marts(con)` runs inside the caller's connection and transaction (the loader's `write_transaction`
publishes the result atomically); it opens no file itself. The models are plain SELECTs in
warehouse/models/<schema>/<name>.sql, run in the fixed order of `MODELS`; the file's folder and name are the
object's schema and name, and the entry says how it is materialised. Re-running it gives the same state.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.catalog import CATALOG_COLUMNS, load_areas, load_catalog
from warehouse.db import table_ddl
from warehouse.settings import current_settings
from warehouse.subjects import SUBJECT_NAMES_RU

MODELS_DIR = Path(__file__).resolve().parent / "models"

# the schema for views that only the models read (the dashboards read mart.* and core.*)
STAGING_SCHEMA = "staging"

# the dq.warnings rules this build computes; other rows of dq.warnings (if any) belong to the loader
WARNING_RULES = ("yoy_change", "outlier_mad", "missing_submission", "mentor_unknown")


@dataclass(frozen=True)
class Model:
    path: str  # relative to warehouse/models
    # script: run as is (macros); view / table: CREATE OR REPLACE …; warnings: refill this build's rules
    materialized: str
    # a table whose rows of a period depend on that period's data only, so a load rebuilds just the periods
    # it wrote; False rebuilds it whole every time (result flags look at the periods before)
    by_period: bool = True

    @property
    def name(self) -> str:
        relative = Path(self.path)
        return f"{relative.parent.name}.{relative.stem}"

    def sql(self) -> str:
        return (MODELS_DIR / self.path).read_text(encoding="utf-8")


# The order is the dependency order; keep it explicit rather than inferred.
MODELS: tuple[Model, ...] = (
    Model("macros/ru_format.sql", "script"),
    Model("staging/stg_settings.sql", "view"),
    Model("staging/stg_periods.sql", "view"),
    Model("staging/stg_staff_person.sql", "view"),
    Model("staging/stg_ict.sql", "view"),
    Model("staging/stg_innovation.sql", "view"),
    Model("staging/stg_period_settings.sql", "view"),
    Model("staging/stg_exam_results.sql", "view"),
    Model("staging/stg_vpr_results.sql", "view"),
    Model("staging/stg_olympiad.sql", "view"),
    Model("staging/int_institution_inputs.sql", "view"),
    Model("staging/int_result_inputs.sql", "view"),
    # mart.indicator_catalog and mart.subject_names are written from Python data before the models below run
    Model("mart/indicator_values.sql", "table"),
    Model("mart/result_flags.sql", "table", by_period=False),
    Model("mart/staff_person.sql", "view"),
    Model("dq/warnings.sql", "warnings"),
)

_CATALOG_DDL = """
CREATE OR REPLACE TABLE mart.indicator_catalog (
    indicator_code VARCHAR PRIMARY KEY,
    name_ru VARCHAR NOT NULL,
    area VARCHAR NOT NULL,
    area_name_ru VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    direction VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    description_ru VARCHAR NOT NULL,
    formula_ru VARCHAR NOT NULL,
    source_ru VARCHAR NOT NULL,
    target DOUBLE,
    key_indicator BOOLEAN NOT NULL,
    sort_order INTEGER NOT NULL,
    inst_types VARCHAR,
    outlier_check BOOLEAN NOT NULL,
    -- none / subject / subject_grade: which of mart.indicator_values' subject and grade columns it fills
    breakdown VARCHAR NOT NULL
)
"""


def ensure_settings(con: duckdb.DuckDBPyConnection) -> None:
    """Fill meta.settings with the current defaults for every key it lacks (all of them when it is empty)."""
    present = {row[0] for row in con.execute("SELECT key FROM meta.settings").fetchall()}
    missing = [[key, str(value)] for key, value in current_settings().items() if key not in present]
    if missing:
        con.executemany("INSERT INTO meta.settings (key, value) VALUES (?, ?)", missing)


def catalog_rows() -> list[list[object]]:
    """The catalogue's rows in the column order of CATALOG_COLUMNS (plain Python values, no pandas)."""
    area_names = {area.code: area.name_ru for area in load_areas()}
    return [
        [
            item.code,
            item.name_ru,
            item.area,
            area_names[item.area],
            item.unit,
            item.direction,
            item.kind,
            item.description_ru,
            item.formula_ru,
            item.source_ru,
            item.target,
            item.key,
            item.sort_order,
            None if item.inst_types is None else ",".join(item.inst_types),
            item.outlier_check,
            item.breakdown,
        ]
        for item in load_catalog()
    ]


def write_catalog(con: duckdb.DuckDBPyConnection) -> None:
    """mart.indicator_catalog from warehouse/indicators.yaml."""
    con.execute(table_ddl(con, _CATALOG_DDL))
    rows = catalog_rows()
    # one statement with bound values for all rows: executemany costs milliseconds a row
    row_placeholders = "(" + ", ".join("?" for _ in CATALOG_COLUMNS) + ")"
    con.execute(
        f"INSERT INTO mart.indicator_catalog ({', '.join(CATALOG_COLUMNS)}) VALUES "
        + ", ".join(row_placeholders for _ in rows),
        [value for row in rows for value in row],
    )


def write_subject_names(con: duckdb.DuckDBPyConnection) -> None:
    """mart.subject_names (subject code, Russian name, display order) from warehouse/subjects.py."""
    con.execute(
        table_ddl(
            con,
            "CREATE OR REPLACE TABLE mart.subject_names "
            "(subject VARCHAR PRIMARY KEY, name_ru VARCHAR NOT NULL, sort_order INTEGER NOT NULL)",
        )
    )
    rows = [[code, name, n] for n, (code, name) in enumerate(SUBJECT_NAMES_RU.items(), start=1)]
    con.execute(
        "INSERT INTO mart.subject_names VALUES " + ", ".join("(?, ?, ?)" for _ in rows),
        [value for row in rows for value in row],
    )


def _same_columns(con: duckdb.DuckDBPyConnection, name: str, sql: str) -> bool:
    """Whether the stored table has the columns the model now makes, in order (a warehouse built by an
    older version lacks e.g. mart.indicator_values.subject and must be rebuilt whole, not appended to)."""
    schema, table = name.split(".")
    stored = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = ? AND table_name = ? "
            "ORDER BY column_index",
            [schema, table],
        ).fetchall()
    ]
    # DESCRIBE binds the query without running it
    return stored == [r[0] for r in con.execute(f"DESCRIBE\n{sql}").fetchall()]


def _table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    schema, table = name.split(".")
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def run_model(con: duckdb.DuckDBPyConnection, model: Model, periods: Collection[str] | None = None) -> None:
    """Materialise one model; a table model with `periods` replaces only those periods' rows."""
    sql = model.sql()
    if model.materialized == "script":
        con.execute(sql)
    elif model.materialized == "view":
        con.execute(f"CREATE OR REPLACE VIEW {model.name} AS\n{sql}")
    elif (
        model.materialized == "table"
        and periods is not None
        and model.by_period
        and _table_exists(con, model.name)
        and _same_columns(con, model.name, sql)
    ):
        # every mart table is per period: a load that touched some periods recomputes only those
        wanted = sorted(periods)
        if not wanted:
            return  # the load wrote no rows (duplicates, rejected files): the mart stands
        placeholders = ", ".join("?" for _ in wanted)
        con.execute(f"DELETE FROM {model.name} WHERE period IN ({placeholders})", wanted)
        con.execute(
            f"INSERT INTO {model.name} SELECT * FROM (\n{sql}\n) WHERE period IN ({placeholders})", wanted
        )
    elif model.materialized == "table":
        con.execute(f"CREATE OR REPLACE TABLE {model.name} AS\n{sql}")
    elif model.materialized == "warnings":
        placeholders = ", ".join("?" for _ in WARNING_RULES)
        con.execute(f"DELETE FROM {model.name} WHERE rule IN ({placeholders})", list(WARNING_RULES))
        con.execute(
            f"INSERT INTO {model.name} (batch_id, period, dataset, inst_id, rule, message_ru)\n"
            f"SELECT batch_id, period, dataset, inst_id, rule, message_ru FROM (\n{sql}\n)"
        )
    else:
        raise ValueError(f"unknown materialisation {model.materialized!r} of {model.path}")


def build_marts(con: duckdb.DuckDBPyConnection, periods: Collection[str] | None = None) -> None:
    """(Re)create the staging views, mart.indicator_catalog, mart.subject_names, mart.indicator_values,
    mart.result_flags and the computed warnings.

    Expects the schema of warehouse/schema.sql to be applied. Runs in the caller's connection and
    transaction; idempotent. `periods` limits the mart tables' rebuild to those periods (a load of one
    institution's corrected file); None rebuilds everything (the registry or the settings changed).
    """
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {STAGING_SCHEMA}")
    ensure_settings(con)
    write_catalog(con)
    write_subject_names(con)
    for model in MODELS:
        run_model(con, model, periods)

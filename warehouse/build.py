"""Rebuild everything derived from core.*: staging views, the indicator mart and the computed warnings.

`build_marts(con)` runs inside the caller's connection and transaction (the loader's `write_transaction`
publishes the result atomically); it opens no file itself. The models are plain SELECTs in
warehouse/models/<schema>/<name>.sql, run in the fixed order of `MODELS`; the file's folder and name are the
object's schema and name, and the entry says how it is materialised. Re-running it gives the same state.

Three depths of rebuild, the same SQL in each:
- everything (a new warehouse, a changed registry or settings, a new version of the models);
- the periods a load wrote (every institution of those periods);
- the institutions a load wrote (`Changed`): their own rows, the aggregates that contain them (their
  municipality × their type and all types, the region × the same) and the warnings the period's outliers or
  their own rows give. The staging views then read only those institutions' rows (the variables behind
  `staging.in_scope`). It is used only when the last build was made by the same models, catalogue and
  settings over the same list of periods (`staging.build_state`): otherwise a load rebuilds its periods.
  tests/warehouse/test_incremental.py proves it equals a rebuild of everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.catalog import CATALOG_COLUMNS, load_areas, load_catalog
from warehouse.db import table_ddl
from warehouse.settings import current_settings
from warehouse.subjects import SUBJECT_NAMES_RU

MODELS_DIR = Path(__file__).resolve().parent / "models"

# the schema for the views and tables that only the models read (the dashboards read mart.* and core.*)
STAGING_SCHEMA = "staging"

# the variables behind the macro staging.in_scope (warehouse/models/macros/macros.sql)
SCOPE_INSTS = "imc_scope_insts"
SCOPE_PERIODS = "imc_scope_periods"

# what the last build was made from, to tell whether a load may recompute only its institutions
BUILD_STATE = "staging.build_state"

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
    # what a load of some institutions' files recomputes of the table (`Changed.predicate`): "institution",
    # their rows; "municipality", their municipalities' rows; "aggregates", their rows and the aggregates
    # containing them; None, the whole periods
    by_institution: str | None = None
    # the datasets whose rows it reads (None: any): a load of some institutions' files that wrote none of
    # them leaves it as it is
    reads: tuple[str, ...] | None = None

    @property
    def name(self) -> str:
        relative = Path(self.path)
        return f"{relative.parent.name}.{relative.stem}"

    def sql(self) -> str:
        return (MODELS_DIR / self.path).read_text(encoding="utf-8")


# The order is the dependency order; keep it explicit rather than inferred.
MODELS: tuple[Model, ...] = (
    Model("macros/macros.sql", "script"),
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
    Model("staging/indicator_inputs.sql", "table", by_institution="institution"),
    Model("staging/municipality_inputs.sql", "table", by_institution="municipality"),
    Model("mart/indicator_values.sql", "table", by_institution="aggregates"),
    Model("mart/result_flags.sql", "table", by_period=False, reads=("exam_results", "vpr_results")),
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


def _placeholders(values: Collection[object]) -> str:
    return "(" + ", ".join("?" for _ in values) + ")"


@dataclass(frozen=True)
class Changed:
    """The institutions a load wrote, in the periods it wrote, with the groups their aggregates belong to.

    Every institution is taken in every period of the load (a superset of the units written is harmless:
    recomputing an unchanged institution gives its same rows)."""

    periods: tuple[str, ...]
    inst_ids: tuple[str, ...]
    municipalities: tuple[str, ...]
    inst_types: tuple[str, ...]

    @classmethod
    def of(
        cls, con: duckdb.DuckDBPyConnection, periods: Collection[str], inst_ids: Collection[str]
    ) -> Changed:
        wanted = sorted(inst_ids)
        groups = con.execute(
            "SELECT DISTINCT municipality, inst_type FROM core.institutions "
            f"WHERE inst_id IN {_placeholders(wanted)}",
            wanted,
        ).fetchall()
        return cls(
            periods=tuple(sorted(periods)),
            inst_ids=tuple(wanted),
            municipalities=tuple(sorted({m for m, _ in groups})),
            inst_types=tuple(sorted({t for _, t in groups})),
        )

    def predicate(self, rows: str, periods: Collection[str] | None = None) -> tuple[str, list[object]]:
        """A WHERE condition on a table's rows and its parameters: `rows` as Model.by_institution."""
        periods = self.periods if periods is None else sorted(periods)
        condition = f"period IN {_placeholders(periods)} AND "
        if rows == "institution":
            return condition + f"inst_id IN {_placeholders(self.inst_ids)}", [*periods, *self.inst_ids]
        if rows == "municipality":
            return condition + f"municipality IN {_placeholders(self.municipalities)}", [
                *periods,
                *self.municipalities,
            ]
        if rows == "aggregates":
            types = [*self.inst_types, "all"]  # a type's aggregate and the one of all types
            return (
                condition + "CASE level "
                f"WHEN 'institution' THEN inst_id IN {_placeholders(self.inst_ids)} "
                f"WHEN 'municipality' THEN municipality IN {_placeholders(self.municipalities)} "
                f"AND inst_type IN {_placeholders(types)} "
                f"ELSE inst_type IN {_placeholders(types)} END",
                [*periods, *self.inst_ids, *self.municipalities, *types, *types],
            )
        if rows == "warnings":
            # the outliers of the period may change with any institution's value; every other rule looks
            # at the institution's own rows
            return (
                condition + f"(rule = 'outlier_mad' OR inst_id IN {_placeholders(self.inst_ids)})",
                [*periods, *self.inst_ids],
            )
        raise ValueError(f"unknown rows {rows!r}")


@contextlib.contextmanager
def scoped(
    con: duckdb.DuckDBPyConnection, inst_ids: Collection[str], periods: Collection[str] | None = None
) -> Iterator[None]:
    """The staging views read only these institutions' rows (of these periods) inside the block."""
    con.execute(f"SET VARIABLE {SCOPE_INSTS} = ?::VARCHAR[]", [list(inst_ids)])
    if periods is not None:
        con.execute(f"SET VARIABLE {SCOPE_PERIODS} = ?::VARCHAR[]", [list(periods)])
    try:
        yield
    finally:
        con.execute(f"RESET VARIABLE {SCOPE_INSTS}")
        con.execute(f"RESET VARIABLE {SCOPE_PERIODS}")


def _build_state(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """What the warehouse's marts would be built from now: a fingerprint of the models' SQL, the catalogue,
    the subject names and the settings, and the list of periods with the previous period of each."""
    digest = hashlib.sha256()
    for model in MODELS:
        digest.update(model.path.encode() + b"\0" + model.sql().encode() + b"\0")
    digest.update(json.dumps([catalog_rows(), SUBJECT_NAMES_RU], default=str).encode())
    for query in (
        "SELECT key, value FROM meta.settings ORDER BY ALL",
        "SELECT period, key, value FROM meta.period_settings ORDER BY ALL",
    ):
        digest.update(json.dumps(con.execute(query).fetchall(), default=str).encode())
    periods = con.execute(f"SELECT period, previous_period FROM {STAGING_SCHEMA}.stg_periods ORDER BY period")
    return {"fingerprint": digest.hexdigest(), "periods": json.dumps(periods.fetchall())}


def _stored_state(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    if not _table_exists(con, BUILD_STATE):
        return {}
    return dict(con.execute(f"SELECT key, value FROM {BUILD_STATE}").fetchall())


def _write_state(con: duckdb.DuckDBPyConnection, state: dict[str, str]) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {BUILD_STATE} (key VARCHAR, value VARCHAR)")
    con.execute(f"INSERT INTO {BUILD_STATE} VALUES (?, ?), (?, ?)", [v for kv in state.items() for v in kv])


def _warned_periods(con: duckdb.DuckDBPyConnection, periods: Collection[str]) -> tuple[list[str], list[str]]:
    """The periods whose warnings a load of `periods` may change (those and the ones right after them), and
    the periods those warnings read (the same and the ones right before them)."""
    chain = con.execute(f"SELECT period, previous_period FROM {STAGING_SCHEMA}.stg_periods").fetchall()
    warned = {*periods, *(p for p, previous in chain if previous in periods)}
    read = warned | {previous for p, previous in chain if p in warned and previous is not None}
    return sorted(warned), sorted(read)


def run_model(
    con: duckdb.DuckDBPyConnection,
    model: Model,
    periods: Collection[str] | None = None,
    changed: Changed | None = None,
) -> None:
    """Materialise one model; a table model with `periods` replaces only those periods' rows, and with
    `changed` only the rows of those institutions (Model.by_institution)."""
    sql = model.sql()
    if model.materialized == "script":
        con.execute(sql)
    elif model.materialized == "view":
        con.execute(f"CREATE OR REPLACE VIEW {model.name} AS\n{sql}")
    elif model.materialized == "table" and changed is not None and model.by_institution:
        condition, params = changed.predicate(model.by_institution)
        con.execute(f"DELETE FROM {model.name} WHERE {condition}", params)
        with scoped(con, changed.inst_ids, changed.periods):
            con.execute(f"INSERT INTO {model.name} SELECT * FROM (\n{sql}\n) WHERE {condition}", params)
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
        placeholders = _placeholders(wanted)
        con.execute(f"DELETE FROM {model.name} WHERE period IN {placeholders}", wanted)
        con.execute(
            f"INSERT INTO {model.name} SELECT * FROM (\n{sql}\n) WHERE period IN {placeholders}", wanted
        )
    elif model.materialized == "table":
        con.execute(f"CREATE OR REPLACE TABLE {model.name} AS\n{sql}")
    elif model.materialized == "warnings":
        rules = _placeholders(WARNING_RULES)
        columns = "batch_id, period, dataset, inst_id, rule, message_ru"
        condition, params = "TRUE", []
        scope: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
        if changed is not None:
            # the warnings of the periods written and of the periods after them (a year-on-year change
            # compares a period with the one before), read from those periods and the ones before them
            warned, read = _warned_periods(con, changed.periods)
            condition, params = changed.predicate("warnings", warned)
            scope = scoped(con, changed.inst_ids, read)
        con.execute(
            f"DELETE FROM {model.name} WHERE rule IN {rules} AND {condition}", [*WARNING_RULES, *params]
        )
        with scope:
            con.execute(
                f"INSERT INTO {model.name} ({columns})\nSELECT {columns} FROM (\n{sql}\n) WHERE {condition}",
                params,
            )
    else:
        raise ValueError(f"unknown materialisation {model.materialized!r} of {model.path}")


def build_marts(
    con: duckdb.DuckDBPyConnection,
    periods: Collection[str] | None = None,
    inst_ids: Collection[str] | None = None,
    datasets: Collection[str] | None = None,
) -> None:
    """(Re)create the staging views, mart.indicator_catalog, mart.subject_names, mart.indicator_values,
    mart.result_flags and the computed warnings.

    Expects the schema of warehouse/schema.sql to be applied. Runs in the caller's connection and
    transaction; idempotent. `periods` limits the mart tables' rebuild to those periods, and `inst_ids` (the
    institutions whose rows the load wrote in those periods, of the `datasets` it wrote) to those
    institutions and the aggregates containing them when the last build allows it (the module's
    docstring); None rebuilds everything (the registry or the settings changed).
    """
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {STAGING_SCHEMA}")
    ensure_settings(con)
    changed = None
    if periods is not None and inst_ids:
        stored = _stored_state(con)
        if stored and stored == _build_state(con):
            changed = Changed.of(con, periods, inst_ids)
            if not changed.municipalities:  # none of them in the registry (never written): a period rebuild
                changed = None
    if changed is None:
        write_catalog(con)
        write_subject_names(con)
    for model in MODELS:
        if changed is not None and (
            # the last build made the views, macros and the catalogue from the same text (the state says so)
            model.materialized in ("script", "view")
            or (model.reads is not None and datasets is not None and not set(model.reads) & set(datasets))
        ):
            continue
        run_model(con, model, periods, changed)
    if changed is None:
        _write_state(con, _build_state(con))

"""The data-quality query layer: load history, quarantine, completeness of submissions, warnings and a
data-quality score per institution (the «Загрузка данных» and «Качество данных» pages, the KPI badges).

Like warehouse/queries.py, every function takes `(db_path, user, …)`, binds its values and imports no
Streamlit. Quarantined rows hold raw personal data (names, birth dates as the file gave them): a director
sees only the rows of their own institution, whatever filter is passed in — enforced here, not in a page.
Counts (completeness, scores, warnings) hold no personal data and are the same for every role, as the
dashboards are.

Definitions (the quality page explains them in Russian):
- an institution of the registry has **submitted** a dataset for a period when core holds rows of it for
  that period; `staff` and `ict` are required, `innovation` is optional (shown, never counted against);
- its **latest load** of a dataset and period is the greatest batch id among the batches that brought its
  core rows and the batches whose quarantined rows name it (batch ids begin with the load's timestamp);
- status `complete`: submitted, the latest load had no quarantined rows; `partial`: submitted, but the
  latest load had quarantined rows; `quarantined`: no rows in core, every row sent was quarantined;
  `missing`: nothing at all. `quarantined` and `missing` count as not submitted.
- the **score** (0–100): see `dataset_score` and `institution_score`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from auth.identity import User
from warehouse import queries
from warehouse.settings import DEFAULTS, current_settings

DATASETS = ("staff", "ict", "innovation")
REQUIRED_DATASETS = ("staff", "ict")
STATUSES = ("complete", "partial", "quarantined", "missing")
SUBMITTED = ("complete", "partial")
# the dq.warnings rules of warehouse/models/dq/warnings.sql, in the order the page lists them
WARNING_RULES = ("missing_submission", "yoy_change", "outlier_mad")
# warnings that lower the score; a missing submission already costs the whole dataset's points
SCORED_WARNING_RULES = ("yoy_change", "outlier_mad")
WARNING_PENALTY = 10.0
SCORE_BANDS = ((90.0, "good"), (70.0, "fair"), (0.0, "poor"))


def _df(db_path: str | os.PathLike[str], sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    return queries._df(db_path, sql, params)


# The batches that brought each institution's rows, per dataset and period, and the batches whose quarantined
# rows name it. One bound parameter: the period (NULL = every period; the registry has no period, so its
# batches are only included then). Rows with no institution code cannot be attributed and are left out.
_BATCHES = """
params AS (
    SELECT CAST(? AS VARCHAR) AS period
),

core_batches AS (
    SELECT 'staff' AS dataset, s.period, s.inst_id, s.batch_id, count(*) AS rows_loaded
    FROM core.staff AS s, params
    WHERE params.period IS NULL OR s.period = params.period
    GROUP BY ALL
    UNION ALL
    SELECT 'ict' AS dataset, c.period, c.inst_id, c.batch_id, count(*) AS rows_loaded
    FROM core.ict AS c, params
    WHERE params.period IS NULL OR c.period = params.period
    GROUP BY ALL
    UNION ALL
    SELECT 'innovation' AS dataset, n.period, n.inst_id, n.batch_id, count(*) AS rows_loaded
    FROM core.innovation AS n, params
    WHERE params.period IS NULL OR n.period = params.period
    GROUP BY ALL
    UNION ALL
    SELECT 'institutions' AS dataset, CAST(NULL AS VARCHAR) AS period, i.inst_id, i.batch_id, 1 AS rows_loaded
    FROM core.institutions AS i, params
    WHERE params.period IS NULL
),

quarantine_batches AS (
    -- a row that broke two rules is quarantined once: count distinct row numbers
    SELECT q.dataset, q.period, q.inst_id, q.batch_id, count(DISTINCT q.row_number) AS rows_quarantined
    FROM dq.quarantine AS q, params
    WHERE q.inst_id IS NOT NULL AND (params.period IS NULL OR q.period = params.period)
      -- a row another institution's director sent under this code was refused: it is not a submission of
      -- this institution and must not change its status or score
      AND NOT EXISTS (
          SELECT 1 FROM dq.quarantine AS f
          WHERE f.batch_id = q.batch_id AND f.row_number = q.row_number AND f.rule = 'foreign_institution'
      )
    GROUP BY ALL
),

latest AS (
    -- batch ids start with the load's timestamp (etl.loader), so the greatest one is the latest load
    SELECT dataset, period, inst_id, max(batch_id) AS batch_id
    FROM (
        SELECT dataset, period, inst_id, batch_id FROM core_batches
        UNION ALL
        SELECT dataset, period, inst_id, batch_id FROM quarantine_batches
    )
    GROUP BY ALL
)
"""

_SCOPE = """(?::VARCHAR IS NULL OR i.municipality = ?) AND (?::VARCHAR IS NULL OR i.inst_type = ?)
    AND (?::VARCHAR IS NULL OR i.inst_id = ?)"""


# A director's view of the quarantine: their own institution's rows, but not the rows another director sent
# under their code (refused as `foreign_institution`: not their submission, and not theirs to see). Two bound
# parameters: the director's inst_id twice (NULL for the other roles: everything).
_OWN_ROWS = """(?::VARCHAR IS NULL OR (q.inst_id = ? AND NOT EXISTS (
        SELECT 1 FROM dq.quarantine AS f
        WHERE f.batch_id = q.batch_id AND f.row_number = q.row_number AND f.rule = 'foreign_institution'
    )))"""


def _scope_params(municipality: str | None, inst_type: str | None, inst_id: str | None = None) -> list[Any]:
    return [municipality, municipality, inst_type, inst_type, inst_id, inst_id]


# ----------------------------------------------------------------------------------------- settings
def upload_limit_mb(db_path: str | os.PathLike[str]) -> float:
    """The largest file the loader accepts (`max_file_mb`): the warehouse's setting when it has one, else the
    current settings (defaults and IMC_MAX_FILE_MB) — the same value the loader will use."""
    path = Path(db_path)
    if path.exists():
        try:
            con = duckdb.connect()
            try:
                con.execute("ATTACH ? AS wh (READ_ONLY)", [str(path)])
                row = con.execute("SELECT value FROM wh.meta.settings WHERE key = 'max_file_mb'").fetchone()
            finally:
                con.close()
            if row:
                return float(row[0])
        except (duckdb.Error, ValueError):
            pass
    return float(current_settings().get("max_file_mb", DEFAULTS["max_file_mb"]))


# ----------------------------------------------------------------------------------------- load history
LOAD_LOG_COLUMNS = [
    "batch_id",
    "loaded_at",
    "source_file",
    "dataset",
    "status",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "message_ru",
    "uploaded_by",
]


def load_log(db_path: str | os.PathLike[str], user: User, limit: int = 2000) -> pd.DataFrame:
    """dq.load_log, newest first: file names, counts and the outcome.

    A director sees only the loads that brought rows of their institution (loaded or quarantined, not
    refused as another institution's): a file's name may name a person, and other institutions' files are
    not theirs to see. Files rejected whole cannot be attributed and are not shown to a director.
    Columns: batch_id, loaded_at, source_file, dataset, status, rows_read, rows_loaded, rows_quarantined,
    message_ru, uploaded_by (NULL in a warehouse written before the column existed, until its next load).
    """
    own = user.person_scope
    have = queries.table_columns(db_path, "dq", "load_log")
    # column names come from the fixed LOAD_LOG_COLUMNS list
    select = ", ".join(c if c in have else f"NULL::VARCHAR AS {c}" for c in LOAD_LOG_COLUMNS)
    return _df(
        db_path,
        f"""
        SELECT {select}
        FROM dq.load_log
        WHERE ?::VARCHAR IS NULL OR batch_id IN (
            SELECT batch_id FROM core.staff WHERE inst_id = ?
            UNION SELECT batch_id FROM core.ict WHERE inst_id = ?
            UNION SELECT batch_id FROM core.innovation WHERE inst_id = ?
            UNION SELECT batch_id FROM core.institutions WHERE inst_id = ?
            UNION SELECT q.batch_id FROM dq.quarantine AS q WHERE q.inst_id IS NOT NULL AND {_OWN_ROWS}
        )
        ORDER BY loaded_at DESC, batch_id DESC
        LIMIT ?
        """,
        [own, own, own, own, own, own, own, int(limit)],
    )


# ----------------------------------------------------------------------------------------- quarantine
QUARANTINE_COLUMNS = [
    "batch_id",
    "loaded_at",
    "source_file",
    "dataset",
    "period",
    "row_number",
    "inst_id",
    "short_name",
    "column_name",
    "value",
    "rule",
    "message_ru",
    "superseded",
]


def quarantine_rows(
    db_path: str | os.PathLike[str],
    user: User,
    *,
    inst_id: str | None = None,
    dataset: str | None = None,
    rule: str | None = None,
    period: str | None = None,
    batch_ids: Sequence[str] | None = None,
    hide_superseded: bool = False,
    limit: int | None = None,
) -> pd.DataFrame:
    """Quarantined rows (one per broken rule), newest load first, then by file and row.

    A director gets only the rows of their own institution, whatever `inst_id` says. `superseded` is true
    when a later load of the same institution, dataset and period exists (a corrected resubmission);
    `hide_superseded` leaves those rows out. Rows without a known institution are never superseded.
    Columns: QUARANTINE_COLUMNS.
    """
    own = user.person_scope
    ids = list(batch_ids) if batch_ids is not None else None
    return _df(
        db_path,
        f"""
        WITH {_BATCHES},
        rows AS (
            SELECT q.batch_id, log.loaded_at, q.source_file, q.dataset, q.period, q.row_number, q.inst_id,
                   i.short_name, q.column_name, q.value, q.rule, q.message_ru,
                   coalesce(latest.batch_id > q.batch_id, FALSE) AS superseded
            FROM dq.quarantine AS q
            LEFT JOIN dq.load_log AS log ON log.batch_id = q.batch_id
            LEFT JOIN core.institutions AS i ON i.inst_id = q.inst_id
            LEFT JOIN latest
                ON latest.dataset = q.dataset
               AND latest.period IS NOT DISTINCT FROM q.period
               AND latest.inst_id = q.inst_id
        )
        SELECT {", ".join(QUARANTINE_COLUMNS)}
        FROM rows AS q
        WHERE {_OWN_ROWS}
          AND (?::VARCHAR IS NULL OR inst_id = ?)
          AND (?::VARCHAR IS NULL OR dataset = ?)
          AND (?::VARCHAR IS NULL OR rule = ?)
          AND (?::VARCHAR IS NULL OR period = ?)
          AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], batch_id))
          AND (NOT ? OR NOT superseded)
        ORDER BY loaded_at DESC NULLS LAST, batch_id DESC, source_file, row_number, column_name, rule
        LIMIT ?
        """,
        [
            None,  # every period: supersession is judged within each period
            own,
            own,
            inst_id,
            inst_id,
            dataset,
            dataset,
            rule,
            rule,
            period,
            period,
            ids,
            ids,
            bool(hide_superseded),
            int(limit) if limit is not None else 2**62,
        ],
    )


def quarantine_facets(db_path: str | os.PathLike[str], user: User) -> pd.DataFrame:
    """What the quarantine filters offer: inst_id, short_name, dataset, rule, period with the number of
    quarantined rows (a director: own institution only). Columns: inst_id, short_name, dataset, rule, period,
    rows."""
    own = user.person_scope
    return _df(
        db_path,
        f"""
        SELECT q.inst_id, i.short_name, q.dataset, q.rule, q.period, count(*) AS rows
        FROM dq.quarantine AS q
        LEFT JOIN core.institutions AS i ON i.inst_id = q.inst_id
        WHERE {_OWN_ROWS}
        GROUP BY ALL
        ORDER BY ALL
        """,
        [own, own],
    )


def upload_errors(db_path: str | os.PathLike[str], user: User, batch_ids: Sequence[str]) -> pd.DataFrame:
    """Every quarantined row of the given batches (an upload's files), for the error table sent back to the
    school: source_file, row_number, inst_id, dataset, column_name, value, rule, message_ru.

    A director sees their own institution's rows in full; the rows of other institutions (refused, or with
    an unknown or empty code) keep their row, column and rule, but their value and message are withheld.
    """
    own = user.person_scope
    return _df(
        db_path,
        """
        SELECT q.batch_id, q.source_file, q.row_number, q.inst_id, q.dataset, q.column_name,
               CASE WHEN ?::VARCHAR IS NULL OR q.inst_id = ? THEN q.value END AS value,
               q.rule,
               CASE WHEN ?::VARCHAR IS NULL OR q.inst_id = ? THEN q.message_ru END AS message_ru
        FROM dq.quarantine AS q
        WHERE list_contains(?::VARCHAR[], q.batch_id)
        ORDER BY q.batch_id, q.row_number, q.column_name, q.rule
        """,
        [own, own, own, own, list(batch_ids)],
    )


# ----------------------------------------------------------------------------------------- completeness
COMPLETENESS_COLUMNS = [
    "inst_id",
    "short_name",
    "inst_type",
    "municipality",
    "dataset",
    "status",
    "rows",
    "latest_batch",
    "latest_rows_loaded",
    "latest_rows_quarantined",
    "latest_loaded_at",
    "latest_file",
]


def completeness(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    municipality: str | None = None,
    inst_type: str | None = None,
    inst_id: str | None = None,
) -> pd.DataFrame:
    """Every registry institution of the scope × every dataset (staff, ict, innovation) for `period`, with
    its status (module doc), the rows it has in core, and its latest load (batch, rows loaded and
    quarantined in it, when, which file). Columns: COMPLETENESS_COLUMNS."""
    return _df(
        db_path,
        f"""
        WITH {_BATCHES},
        inst AS (
            SELECT i.inst_id, i.short_name, i.inst_type, i.municipality
            FROM core.institutions AS i
            WHERE {_SCOPE}
        ),
        datasets AS (
            SELECT * FROM (VALUES ('staff', 1), ('ict', 2), ('innovation', 3)) AS d (dataset, ord)
        ),
        present AS (
            SELECT dataset, inst_id, CAST(sum(rows_loaded) AS BIGINT) AS rows FROM core_batches GROUP BY ALL
        ),
        joined AS (
            SELECT inst.*, d.dataset, d.ord,
                   coalesce(present.rows, 0) AS rows,
                   latest.batch_id AS latest_batch,
                   coalesce(cb.rows_loaded, 0) AS latest_rows_loaded,
                   coalesce(qb.rows_quarantined, 0) AS latest_rows_quarantined,
                   log.loaded_at AS latest_loaded_at,
                   log.source_file AS latest_file
            FROM inst
            CROSS JOIN datasets AS d
            LEFT JOIN present ON present.dataset = d.dataset AND present.inst_id = inst.inst_id
            LEFT JOIN latest ON latest.dataset = d.dataset AND latest.inst_id = inst.inst_id
            LEFT JOIN core_batches AS cb
                ON cb.dataset = d.dataset AND cb.inst_id = inst.inst_id AND cb.batch_id = latest.batch_id
            LEFT JOIN quarantine_batches AS qb
                ON qb.dataset = d.dataset AND qb.inst_id = inst.inst_id AND qb.batch_id = latest.batch_id
            LEFT JOIN dq.load_log AS log ON log.batch_id = latest.batch_id
        )
        SELECT inst_id, short_name, inst_type, municipality, dataset,
               CASE WHEN rows > 0 AND latest_rows_quarantined > 0 THEN 'partial'
                    WHEN rows > 0 THEN 'complete'
                    WHEN latest_rows_quarantined > 0 THEN 'quarantined'
                    ELSE 'missing' END AS status,
               rows, latest_batch, latest_rows_loaded, latest_rows_quarantined, latest_loaded_at, latest_file
        FROM joined
        ORDER BY municipality, inst_type, short_name, inst_id, ord
        """,
        [period, *_scope_params(municipality, inst_type, inst_id)],
    )


@dataclass(frozen=True)
class Gaps:
    """Who in a scope has no rows of each dataset for a period (the KPI badges).

    `total` registry institutions in the scope; `missing[dataset]` the inst_ids without rows;
    `names[inst_id]` and `types[inst_id]` the short names and types of every institution of the scope.
    """

    period: str
    total: int
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)

    def of_types(self, inst_types: Sequence[str]) -> Gaps:
        """The same, for the institutions of `inst_types` only (an indicator published for schools only)."""
        keep = {i for i, t in self.types.items() if t in inst_types}
        return Gaps(
            period=self.period,
            total=len(keep),
            missing={d: tuple(i for i in ids if i in keep) for d, ids in self.missing.items()},
            names={i: n for i, n in self.names.items() if i in keep},
            types={i: t for i, t in self.types.items() if i in keep},
        )

    def missing_any(self, datasets: Sequence[str]) -> tuple[str, ...]:
        """Institutions lacking at least one of `datasets` (an indicator that needs them all)."""
        found = {i for d in datasets for i in self.missing.get(d, ())}
        return tuple(sorted(found, key=lambda i: (self.names.get(i, i), i)))

    def missing_all(self, datasets: Sequence[str]) -> tuple[str, ...]:
        """Institutions lacking every one of `datasets` (an indicator that needs any one of them)."""
        if not datasets:
            return ()
        found = set(self.missing.get(datasets[0], ()))
        for d in datasets[1:]:
            found &= set(self.missing.get(d, ()))
        return tuple(sorted(found, key=lambda i: (self.names.get(i, i), i)))


def submission_gaps(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    municipality: str | None = None,
    inst_type: str | None = None,
    inst_id: str | None = None,
) -> Gaps:
    """For the KPI badges: the registry institutions of the scope and which of them have no staff, ict or
    innovation rows for `period`."""
    frame = _df(
        db_path,
        f"""
        WITH staff AS (SELECT DISTINCT inst_id FROM core.staff WHERE period = ?),
        ict AS (SELECT DISTINCT inst_id FROM core.ict WHERE period = ?),
        innovation AS (SELECT DISTINCT inst_id FROM core.innovation WHERE period = ?)
        SELECT i.inst_id, i.short_name, i.inst_type,
               i.inst_id IN (SELECT inst_id FROM staff) AS has_staff,
               i.inst_id IN (SELECT inst_id FROM ict) AS has_ict,
               i.inst_id IN (SELECT inst_id FROM innovation) AS has_innovation
        FROM core.institutions AS i
        WHERE {_SCOPE}
        ORDER BY i.short_name, i.inst_id
        """,
        [period, period, period, *_scope_params(municipality, inst_type, inst_id)],
    )
    missing = {
        d: tuple(str(x) for x in frame.loc[~frame[f"has_{d}"].astype(bool), "inst_id"]) for d in DATASETS
    }
    names = {str(i): str(n) for i, n in zip(frame["inst_id"], frame["short_name"], strict=True)}
    types = {str(i): str(t) for i, t in zip(frame["inst_id"], frame["inst_type"], strict=True)}
    return Gaps(period=period, total=len(frame), missing=missing, names=names, types=types)


# ----------------------------------------------------------------------------------------- warnings
WARNING_COLUMNS = [
    "period",
    "dataset",
    "inst_id",
    "short_name",
    "inst_type",
    "municipality",
    "rule",
    "message_ru",
    "batch_id",
]


def warnings(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    municipality: str | None = None,
    inst_type: str | None = None,
    rule: str | None = None,
) -> pd.DataFrame:
    """dq.warnings of `period` for the scope's institutions (optionally one rule), by rule and institution.
    Columns: WARNING_COLUMNS."""
    return _df(
        db_path,
        """
        SELECT w.period, w.dataset, w.inst_id, i.short_name, i.inst_type, i.municipality, w.rule,
               w.message_ru, w.batch_id
        FROM dq.warnings AS w
        LEFT JOIN core.institutions AS i ON i.inst_id = w.inst_id
        WHERE w.period = ?
          AND (?::VARCHAR IS NULL OR i.municipality = ?) AND (?::VARCHAR IS NULL OR i.inst_type = ?)
          AND (?::VARCHAR IS NULL OR w.rule = ?)
        ORDER BY CASE w.rule WHEN 'missing_submission' THEN 1 WHEN 'yoy_change' THEN 2
                             WHEN 'outlier_mad' THEN 3 ELSE 4 END,
                 i.short_name, w.inst_id, w.dataset, w.message_ru
        """,
        [period, municipality, municipality, inst_type, inst_type, rule, rule],
    )


# ----------------------------------------------------------------------------------------- score
def dataset_score(status: str, rows_loaded: int, rows_quarantined: int, warnings: int) -> float:
    """The points (0–100) of one required dataset of an institution for a period.

    0 when it was not submitted (no rows in core). Otherwise 100, minus the percentage of the rows of its
    latest load that went to quarantine, minus WARNING_PENALTY (10) for each year-on-year or outlier warning
    on the dataset; never below 0.
    """
    if status not in SUBMITTED:
        return 0.0
    sent = rows_loaded + rows_quarantined
    quarantined_pct = 100.0 * rows_quarantined / sent if sent else 0.0
    return max(0.0, 100.0 - quarantined_pct - WARNING_PENALTY * warnings)


def institution_score(dataset_scores: Sequence[float]) -> float:
    """The institution's score: the mean of its required datasets' points (staff and ict weigh the same)."""
    return sum(dataset_scores) / len(dataset_scores) if dataset_scores else 0.0


def score_band(score: float) -> str:
    """good (90 and above), fair (70 to 90), poor (below 70)."""
    for threshold, band in SCORE_BANDS:
        if score >= threshold:
            return band
    return "poor"


def quality_scores(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    municipality: str | None = None,
    inst_type: str | None = None,
) -> pd.DataFrame:
    """The data-quality score of every registry institution of the scope for `period`, with its parts.

    Columns: inst_id, short_name, inst_type, municipality; for d in staff, ict: {d}_status, {d}_sent
    (rows of the latest load), {d}_quarantined, {d}_warnings, {d}_points; then score (0–100, unrounded),
    band (good / fair / poor). Worst first.
    """
    long = completeness(db_path, user, period, municipality, inst_type)
    counts = _df(
        db_path,
        """
        SELECT inst_id, dataset, count(*) AS warnings
        FROM dq.warnings
        WHERE period = ? AND list_contains(?::VARCHAR[], rule)
        GROUP BY ALL
        """,
        [period, list(SCORED_WARNING_RULES)],
    )
    required = long[long["dataset"].isin(REQUIRED_DATASETS)].merge(
        counts, on=["inst_id", "dataset"], how="left"
    )
    required["warnings"] = required["warnings"].fillna(0).astype("int64")
    required["sent"] = required["latest_rows_loaded"] + required["latest_rows_quarantined"]
    required["points"] = [
        dataset_score(str(status), int(loaded), int(quarantined), int(n))
        for status, loaded, quarantined, n in zip(
            required["status"],
            required["latest_rows_loaded"],
            required["latest_rows_quarantined"],
            required["warnings"],
            strict=True,
        )
    ]
    keys = ["inst_id", "short_name", "inst_type", "municipality"]
    frame = required[keys].drop_duplicates("inst_id").set_index("inst_id")
    parts = {"status": "status", "sent": "sent", "quarantined": "latest_rows_quarantined"}
    parts |= {"warnings": "warnings", "points": "points"}
    for d in REQUIRED_DATASETS:
        one = required[required["dataset"] == d].set_index("inst_id")
        for name, column in parts.items():
            frame[f"{d}_{name}"] = one[column]
    frame["score"] = [
        institution_score(points)
        for points in zip(*(frame[f"{d}_points"] for d in REQUIRED_DATASETS), strict=True)
    ]
    frame["band"] = frame["score"].map(score_band)
    frame = frame.reset_index()
    columns = keys + [f"{d}_{name}" for d in REQUIRED_DATASETS for name in parts] + ["score", "band"]
    return frame[columns].sort_values(["score", "short_name"], kind="stable").reset_index(drop=True)


# every public query, by name (the pages' cache wrapper calls through this allow-list)
QUERIES = {
    f.__name__: f
    for f in (
        load_log,
        quarantine_rows,
        quarantine_facets,
        upload_errors,
        completeness,
        submission_gaps,
        warnings,
        quality_scores,
    )
}

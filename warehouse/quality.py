"""The data-quality query layer: load history, quarantine, completeness of submissions, warnings and a
data-quality score per institution (the «Загрузка данных» and «Качество данных» pages, the KPI badges).

Like warehouse/queries.py, every function takes `(db_path, user, …)` and imports no Streamlit; its SQL is in
warehouse/sql/quality/*.sql, run through the read API (warehouse/read.py) with named parameters. Quarantined rows hold raw personal data (names, birth dates as the file gave them): a director
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

import duckdb
import pandas as pd

from auth.identity import User
from warehouse import read
from warehouse.db import warehouse_exists
from warehouse.scope import ScopedQuery, ScopeParams
from warehouse.settings import DEFAULTS, current_settings

DATASETS = ("staff", "ict", "innovation")
REQUIRED_DATASETS = ("staff", "ict")
STATUSES = ("complete", "partial", "quarantined", "missing")
SUBMITTED = ("complete", "partial")
# the dq.warnings rules of warehouse/models/dq/warnings.sql, in the order the page lists them
WARNING_RULES = ("missing_submission", "yoy_change", "outlier_mad", "mentor_unknown")
# warnings that lower the score; a missing submission already costs the whole dataset's points
SCORED_WARNING_RULES = ("yoy_change", "outlier_mad")
WARNING_PENALTY = 10.0
SCORE_BANDS = ((90.0, "good"), (70.0, "fair"), (0.0, "poor"))


# ----------------------------------------------------------------------------------------- settings
def upload_limit_mb(db_path: str | os.PathLike[str]) -> float:
    """The largest file the loader accepts (`max_file_mb`): the warehouse's setting when it has one, else the
    current settings (defaults and IMC_MAX_FILE_MB) — the same value the loader will use."""
    if warehouse_exists(db_path):
        try:
            # the process's shared reader (a lake's new instance would cost its extensions and attachment)
            value = read.scalar(db_path, "quality/max_file_mb")
            if value is not None:
                return float(value)
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
    stored = read.frame(db_path, "quality/load_log", own=own, limit=int(limit))
    # a warehouse written before a column existed lacks it: the column comes back empty
    return read.with_columns(stored, LOAD_LOG_COLUMNS)


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
    filters = {"inst_id": inst_id, "dataset": dataset, "rule": rule, "period": period}
    return read.frame(
        db_path,
        "quality/quarantine_rows",
        **filters,
        batches_period=None,  # every period: supersession is judged within each period
        own=user.person_scope,
        batch_ids=list(batch_ids) if batch_ids is not None else None,
        hide_superseded=bool(hide_superseded),
        limit=int(limit) if limit is not None else 2**62,
    )


def quarantine_facets(db_path: str | os.PathLike[str], user: User) -> pd.DataFrame:
    """What the quarantine filters offer: inst_id, short_name, dataset, rule, period with the number of
    quarantined rows (a director: own institution only). Columns: inst_id, short_name, dataset, rule, period,
    rows."""
    own = user.person_scope
    return read.frame(db_path, "quality/quarantine_facets", own=own)


def upload_errors(db_path: str | os.PathLike[str], user: User, batch_ids: Sequence[str]) -> pd.DataFrame:
    """Every quarantined row of the given batches (an upload's files), for the error table sent back to the
    school: source_file, row_number, inst_id, dataset, column_name, value, rule, message_ru.

    A director sees their own institution's rows in full; the rows of other institutions (refused, or with
    an unknown or empty code) keep their row, column and rule, but their value and message are withheld.
    """
    own = user.person_scope
    return read.frame(db_path, "quality/upload_errors", own=own, batch_ids=list(batch_ids))


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


@ScopedQuery
def completeness(db_path: str | os.PathLike[str], user: User, scope: ScopeParams) -> pd.DataFrame:
    """Every registry institution of the scope × every dataset (staff, ict, innovation) for `period`, with
    its status (module doc), the rows it has in core, and its latest load (batch, rows loaded and
    quarantined in it, when, which file). Columns: COMPLETENESS_COLUMNS."""
    return read.frame(
        db_path,
        "quality/completeness",
        batches_period=scope["period"],
        municipality=scope["municipality"],
        inst_type=scope["inst_type"],
        inst_id=scope["inst_id"],
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


@ScopedQuery
def submission_gaps(db_path: str | os.PathLike[str], user: User, scope: ScopeParams) -> Gaps:
    """For the KPI badges: the registry institutions of the scope and which of them have no staff, ict or
    innovation rows for `period`."""
    frame = read.frame(db_path, "quality/submission_gaps", **scope)
    missing = {
        d: tuple(str(x) for x in frame.loc[~frame[f"has_{d}"].astype(bool), "inst_id"]) for d in DATASETS
    }
    names = {str(i): str(n) for i, n in zip(frame["inst_id"], frame["short_name"], strict=True)}
    types = {str(i): str(t) for i, t in zip(frame["inst_id"], frame["inst_type"], strict=True)}
    return Gaps(period=scope["period"], total=len(frame), missing=missing, names=names, types=types)


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
    return read.frame(
        db_path, "quality/warnings", period=period, municipality=municipality, inst_type=inst_type, rule=rule
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
    counts = read.frame(db_path, "quality/scored_warnings", period=period, rules=list(SCORED_WARNING_RULES))
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

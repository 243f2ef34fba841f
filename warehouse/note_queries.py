"""Queries of the analytical note that the dashboards' query layer (warehouse/queries.py) does not have:
where the period's data came from, who submitted it, and what the checks set aside.

Same conventions as warehouse/queries.py: `(db_path, user, …)` in, a DataFrame or a small value out, values
bound as parameters, no Streamlit. Only counts and file names leave these functions, never person-level data.
The scope is a municipality (None = every one), an institution type (None = every type) and an institution
(None = every institution of the rest of the scope).
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from auth.identity import User
from warehouse.queries import _df

# the registry institutions of a scope (the three pairs of parameters of _scope_params)
_SCOPE_INSTITUTIONS = """
    SELECT inst_id, short_name, inst_type, municipality FROM core.institutions
    WHERE (?::VARCHAR IS NULL OR municipality = ?)
      AND (?::VARCHAR IS NULL OR inst_type = ?)
      AND (?::VARCHAR IS NULL OR inst_id = ?)
"""


def _scope_params(municipality: str | None, inst_type: str | None, inst_id: str | None) -> list[Any]:
    return [municipality, municipality, inst_type, inst_type, inst_id, inst_id]


def source_files(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    municipality: str | None = None,
    inst_type: str | None = None,
    inst_id: str | None = None,
) -> pd.DataFrame:
    """The loaded files whose rows are in the scope's data of `period` (and the registry's files).

    Columns: dataset, source_file, loaded_at, status, rows (the file's rows in the scope). Rows are replaced
    per institution and period, so a file that was fully superseded by a resubmission is not listed.
    """
    return _df(
        db_path,
        f"""
        WITH inst AS ({_SCOPE_INSTITUTIONS}),
        batches AS (
            SELECT 'institutions' AS dataset, batch_id, count(*) AS rows
            FROM core.institutions WHERE inst_id IN (SELECT inst_id FROM inst) GROUP BY ALL
            UNION ALL
            SELECT 'staff', batch_id, count(*) FROM core.staff
            WHERE period = ? AND inst_id IN (SELECT inst_id FROM inst) GROUP BY ALL
            UNION ALL
            SELECT 'ict', batch_id, count(*) FROM core.ict
            WHERE period = ? AND inst_id IN (SELECT inst_id FROM inst) GROUP BY ALL
            UNION ALL
            SELECT 'innovation', batch_id, count(*) FROM core.innovation
            WHERE period = ? AND inst_id IN (SELECT inst_id FROM inst) GROUP BY ALL
        )
        SELECT b.dataset, coalesce(l.source_file, '—') AS source_file, l.loaded_at, l.status, b.rows
        FROM batches b LEFT JOIN dq.load_log l USING (batch_id)
        ORDER BY CASE b.dataset WHEN 'institutions' THEN 0 WHEN 'staff' THEN 1 WHEN 'ict' THEN 2 ELSE 3 END,
                 l.loaded_at, l.source_file
        """,
        [*_scope_params(municipality, inst_type, inst_id), period, period, period],
    )


def submissions(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    municipality: str | None = None,
    inst_type: str | None = None,
    inst_id: str | None = None,
) -> pd.DataFrame:
    """Every registry institution of the scope and whether it sent each dataset for `period`.

    Columns: inst_id, short_name, inst_type, municipality, staff, ict, innovation (booleans).
    An institution without innovation records may simply have had none; staff and ict are expected.
    """
    return _df(
        db_path,
        f"""
        WITH inst AS ({_SCOPE_INSTITUTIONS})
        SELECT inst.*,
               inst_id IN (SELECT inst_id FROM core.staff WHERE period = ?) AS staff,
               inst_id IN (SELECT inst_id FROM core.ict WHERE period = ?) AS ict,
               inst_id IN (SELECT inst_id FROM core.innovation WHERE period = ?) AS innovation
        FROM inst
        ORDER BY inst.municipality, inst.inst_type, inst.short_name, inst.inst_id
        """,
        [*_scope_params(municipality, inst_type, inst_id), period, period, period],
    )


def quality_counts(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    municipality: str | None = None,
    inst_type: str | None = None,
    inst_id: str | None = None,
) -> dict[str, int]:
    """What the checks set aside for `period` in the scope.

    `quarantined`: rows of the scope's institutions kept in quarantine (a row breaking two rules counts
    once); `unknown_institution`: quarantined rows whose institution code is not in the registry (they
    belong to no scope, so they are reported for a whole-municipality or regional note only);
    `warnings`: data-quality warnings of the scope's institutions.
    """
    params = _scope_params(municipality, inst_type, inst_id)
    frame = _df(
        db_path,
        f"""
        WITH inst AS ({_SCOPE_INSTITUTIONS}),
        rows AS (
            SELECT DISTINCT batch_id, source_file, row_number, inst_id FROM dq.quarantine WHERE period = ?
        )
        SELECT
            (SELECT count(*) FROM rows WHERE inst_id IN (SELECT inst_id FROM inst)) AS quarantined,
            (SELECT count(*) FROM rows
             WHERE inst_id IS NULL OR inst_id NOT IN (SELECT inst_id FROM core.institutions))
                AS unknown_institution,
            (SELECT count(*) FROM dq.warnings
             WHERE period = ? AND inst_id IN (SELECT inst_id FROM inst)) AS warnings
        """,
        [*params, period, period],
    )
    row = frame.iloc[0]
    return {k: int(row[k]) for k in ("quarantined", "unknown_institution", "warnings")}

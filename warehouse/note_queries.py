"""Queries of the analytical note that the dashboards' query layer (warehouse/queries.py) does not have:
where the period's data came from, who submitted it, and what the checks set aside.

Same conventions as warehouse/queries.py: `(db_path, user, …)` in, a DataFrame or a small value out; the SQL
is in warehouse/sql/note/*.sql, run through the read API with named parameters; no Streamlit. Only counts
and file names leave these functions, never person-level data.
The scope is a period, a municipality (None = every one), an institution type (None = every type) and an
institution (None = every institution of the rest of the scope); the functions that take just that are
written for its named parameters and called with the one scope signature (`ScopedQuery`,
warehouse/scope.py).
"""

from __future__ import annotations

import os

import pandas as pd

from auth.identity import User
from warehouse import read
from warehouse.scope import ScopedQuery, ScopeParams

# an institution code no registry holds (a director asking about another institution's results gets no rows)
NO_INSTITUTION = "\x00"


def _own(user: User, inst_id: str | None) -> str | None:
    """A director reads results of their own institution only: another's code matches no institution."""
    if user.person_scope is None:
        return inst_id
    return user.person_scope if inst_id in (None, user.person_scope) else NO_INSTITUTION


@ScopedQuery
def source_files(db_path: str | os.PathLike[str], user: User, scope: ScopeParams) -> pd.DataFrame:
    """The loaded files whose rows are in the scope's data of `period` (and the registry's files).

    Columns: dataset, source_file, loaded_at, status, rows (the file's rows in the scope). Rows are replaced
    per institution and period, so a file that was fully superseded by a resubmission is not listed.
    """
    return read.frame(db_path, "note/source_files", **scope)


@ScopedQuery
def submissions(db_path: str | os.PathLike[str], user: User, scope: ScopeParams) -> pd.DataFrame:
    """Every registry institution of the scope and whether it sent each dataset for `period`.

    Columns: inst_id, short_name, inst_type, municipality, staff, ict, innovation, exam_results, vpr_results,
    olympiad (booleans).
    An institution without innovation records may simply have had none; staff and ict are expected.
    """
    return read.frame(db_path, "note/submissions", **scope)


@ScopedQuery
def quality_counts(db_path: str | os.PathLike[str], user: User, scope: ScopeParams) -> dict[str, int]:
    """What the checks set aside for `period` in the scope.

    `quarantined`: rows of the scope's institutions kept in quarantine (a row breaking two rules counts
    once); `unknown_institution`: quarantined rows whose institution code is not in the registry (they
    belong to no scope, so they are reported for a whole-municipality or regional note only);
    `warnings`: data-quality warnings of the scope's institutions.
    """
    frame = read.frame(db_path, "note/quality_counts", **scope)
    row = frame.iloc[0]
    return {k: int(row[k]) for k in ("quarantined", "unknown_institution", "warnings")}


def results_aggregates(
    db_path: str | os.PathLike[str],
    user: User,
    periods: list[str],
    codes: list[str],
    municipality: str | None,
    inst_type: str | None,
) -> pd.DataFrame:
    """The results indicators' aggregate rows of a scope (the municipality's, or the region's when
    `municipality` is None; `inst_type` None = every type) over `periods`, every subject and grade.

    Columns: period, level, municipality, inst_type, indicator_code, subject, grade, numerator, denominator,
    value. Aggregates are not one institution's values: the small-group rule does not apply to them.
    """
    level = "municipality" if municipality else "region"
    return read.frame(
        db_path,
        "note/results_aggregates",
        periods=list(periods),
        codes=list(codes),
        level=level,
        municipality=municipality,
        inst_type=inst_type or "all",
    )


def results_institutions(
    db_path: str | os.PathLike[str],
    user: User,
    periods: list[str],
    codes: list[str],
    municipality: str | None = None,
    inst_type: str | None = None,
    inst_id: str | None = None,
) -> pd.DataFrame:
    """The results indicators of the scope's institutions over `periods` (every subject and grade).

    Columns: period, inst_id, short_name, inst_type, municipality, indicator_code, subject, grade, numerator,
    denominator, value. A director is given the rows of their own institution only: another institution's
    small groups (interfaces.md, «менее 5») never reach a director's note.
    """
    inst_id = _own(user, inst_id)
    return read.frame(
        db_path,
        "note/results_institutions",
        periods=list(periods),
        codes=list(codes),
        municipality=municipality,
        inst_type=inst_type,
        inst_id=inst_id,
    )


@ScopedQuery
def result_flags(db_path: str | os.PathLike[str], user: User, scope: ScopeParams) -> pd.DataFrame:
    """mart.result_flags of the scope's institutions in `period`, with short_name (a director: their own).

    Columns: short_name, municipality, period, inst_id, flag, subject, grade, value, threshold, message_ru.
    """
    return read.frame(db_path, "note/result_flags", **{**scope, "inst_id": _own(user, scope["inst_id"])})

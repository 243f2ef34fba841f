"""The results area's query layer (ГИА-11, ГИА-9, ВПР, ВсОШ; indicators.md «Results»).

Every function takes `(db_path, user, …)` like warehouse/queries.py and applies the small-group rule
(warehouse/small_groups.py) before returning: a director gets another institution's value computed from fewer
than 5 results as NULL with `masked` TRUE, whatever scope or institution is asked for. Aggregates are not
masked. The SQL is in warehouse/sql/results/*.sql, run through the read API.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from auth.identity import User
from warehouse import read
from warehouse.queries import ALL_TYPES, Scope
from warehouse.small_groups import SMALL_GROUP, hides, mask_small_groups, sibling_codes

OLYMPIAD_STAGES = ("school", "municipal", "regional", "final")


def _scope(scope: Scope, inst_id: str | None = None) -> dict[str, str | None]:
    return {"municipality": scope.municipality, "inst_type": scope.inst_type, "inst_id": inst_id}


def institution_values(
    db_path: str | os.PathLike[str], user: User, scope: Scope, codes: Sequence[str], period: str | None = None
) -> pd.DataFrame:
    """Institution-level values of `codes` (results indicators) in `period` (default the scope's) for the
    institutions of the scope (and only scope.inst_id when one is chosen), with subject and grade.

    Columns: period, inst_id, short_name, inst_type, municipality, indicator_code, subject, grade, numerator,
    denominator, value, masked."""
    wanted = list(codes)
    frame = read.frame(
        db_path,
        "results/institution_values",
        period=period or scope.period,
        codes=sibling_codes(wanted),
        **_scope(scope, scope.inst_id),
    )
    masked = mask_small_groups(frame, user)
    return masked[masked["indicator_code"].isin(wanted)].reset_index(drop=True)


def aggregate_values(
    db_path: str | os.PathLike[str], user: User, scope: Scope, codes: Sequence[str]
) -> pd.DataFrame:
    """The scope's aggregate values (municipality when one is chosen, else the region) and the region's, over
    every period, with the breakdown. Columns: period, level, municipality, indicator_code, subject, grade,
    numerator, denominator, value, role (`scope` or `region`; at region level every row is `scope`)."""
    return read.frame(
        db_path,
        "results/aggregate_values",
        level="municipality" if scope.municipality else "region",
        municipality=scope.municipality,
        inst_type=scope.inst_type or ALL_TYPES,
        codes=list(codes),
    )


def score_distribution(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """ЕГЭ scores of the scope's results in the period: subject, score, results, min_score, masked.

    For a director, another institution's subject with fewer than 5 scored results is left out of a
    distribution of that institution alone (scope.inst_id chosen): its scores would show the values. In a
    distribution over several institutions (an aggregate) every result counts. A subject left out keeps one
    row with `masked` TRUE and no score."""
    counts = read.frame(db_path, "results/score_counts", period=scope.period, **_scope(scope, scope.inst_id))
    hidden: list[str] = []
    if scope.inst_id and hides(user, scope.inst_id) and not counts.empty:
        sizes = counts.groupby("subject")["results"].sum()
        hidden = sorted(sizes[sizes < SMALL_GROUP].index)
        counts = counts[~counts["subject"].isin(hidden)]
    out = (
        counts.groupby(["subject", "score"], as_index=False)
        .agg(results=("results", "sum"), min_score=("min_score", "max"))
        .astype({"score": "float64", "results": "float64"})
    )
    out["masked"] = False
    if hidden:
        # a masked subject keeps one row without scores, so the page can say «менее 5»
        out = pd.concat(
            [
                out,
                pd.DataFrame(
                    {
                        "subject": hidden,
                        "score": float("nan"),
                        "results": float("nan"),
                        "min_score": float("nan"),
                        "masked": True,
                    }
                ),
            ],
            ignore_index=True,
        )
    out = out.sort_values(["subject", "score"]).reset_index(drop=True)
    return out


def olympiad_funnel(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """The olympiad by subject and stage in the scope: subject, stage, participants, winners, masked.

    Participations (rows) are counted, as the mart counts the municipal and regional stages. For a director
    looking at another institution alone, a stage of a subject with fewer than 5 participations is masked."""
    stages = read.frame(
        db_path, "results/olympiad_stages", period=scope.period, **_scope(scope, scope.inst_id)
    )
    out = stages.groupby(["subject", "stage"], as_index=False)[["participants", "winners"]].sum()
    out["participants"] = out["participants"].astype("float64")
    out["winners"] = out["winners"].astype("float64")
    out["masked"] = False
    if scope.inst_id and hides(user, scope.inst_id):
        small = out["participants"] < SMALL_GROUP
        out.loc[small, ["participants", "winners"]] = float("nan")
        out["masked"] = small
    order = out["stage"].map({stage: n for n, stage in enumerate(OLYMPIAD_STAGES)})
    return (
        out.assign(_order=order)
        .sort_values(["subject", "_order"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def result_flags(db_path: str | os.PathLike[str], user: User, scope: Scope) -> pd.DataFrame:
    """mart.result_flags of the scope's schools in the period: inst_id, short_name, municipality, flag,
    subject, grade, value, threshold, message_ru. Every flag needs 20 and more results: none is masked."""
    return read.frame(db_path, "results/flags", period=scope.period, **_scope(scope, scope.inst_id))


def subject_names(db_path: str | os.PathLike[str], user: User) -> dict[str, str]:
    """Subject code → Russian name."""
    return dict(read.rows(db_path, "results/subject_names"))


# every public query, by name (the UI's cache wrapper calls through this allow-list)
QUERIES = {
    f.__name__: f
    for f in (
        institution_values,
        aggregate_values,
        score_distribution,
        olympiad_funnel,
        result_flags,
        subject_names,
    )
}

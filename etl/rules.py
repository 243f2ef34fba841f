"""Row rules that the expectation suites cannot express, in one place.

GX sees one DataFrame at a time; these rules need the warehouse (is the institution in the registry?),
the whole file at once (all copies of a duplicated key), or the user (a director may load only their own
institution's rows). They report failures in the same shape as the suites, so quarantine treats both alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl import messages
from etl.contract import DATASETS
from etl.validate import RuleFailure


def unknown_institutions(frame: pd.DataFrame, known_ids: set[str]) -> list[RuleFailure]:
    """Rows whose inst_id is filled in but absent from core.institutions (and this load's registry)."""
    if "inst_id" not in frame.columns or frame.empty:
        return []
    ids = frame["inst_id"]
    bad = ids.notna() & ~ids.isin(list(known_ids))
    if not bad.any():
        return []
    return [
        RuleFailure(
            np.flatnonzero(bad.to_numpy()),
            "inst_id",
            "unknown_institution",
            messages.RULE_EXPLANATIONS["unknown_institution"],
        )
    ]


def duplicate_keys(dataset: str, frame: pd.DataFrame, row_numbers: pd.Series) -> list[RuleFailure]:
    """Every copy of a key that occurs more than once in the file (data contract: all copies go)."""
    key = list(DATASETS[dataset].key)
    if frame.empty:
        return []
    complete = frame[key].notna().all(axis=1)
    dup = frame[key].duplicated(keep=False) & complete
    if not dup.any():
        return []
    failures: list[RuleFailure] = []
    dups = frame.loc[dup, key].copy()
    dups["_row"] = row_numbers[dup]
    report_column = key[-1]
    key_ru = ", ".join(f"«{DATASETS[dataset].column(c).header_ru}»" for c in key)
    # one failure per group of copies, so the message can name the other rows
    for _, group in dups.groupby(key, sort=False):
        rows = ", ".join(str(r) for r in group["_row"].tolist()[:10])
        failures.append(
            RuleFailure(
                group.index.to_numpy(),
                report_column,
                "duplicate_key",
                messages.RULE_EXPLANATIONS["duplicate_key"].format(key=key_ru, rows=rows),
            )
        )
    return failures


def foreign_institutions(frame: pd.DataFrame, allowed_inst_ids: set[str] | None) -> list[RuleFailure]:
    """For a director: rows of any institution other than their own are refused."""
    if allowed_inst_ids is None or "inst_id" not in frame.columns or frame.empty:
        return []
    ids = frame["inst_id"]
    bad = ids.notna() & ~ids.isin(list(allowed_inst_ids))
    if not bad.any():
        return []
    allowed = ", ".join(sorted(allowed_inst_ids)) or "—"
    return [
        RuleFailure(
            np.flatnonzero(bad.to_numpy()),
            "inst_id",
            "foreign_institution",
            messages.RULE_EXPLANATIONS["foreign_institution"].format(allowed=allowed),
        )
    ]

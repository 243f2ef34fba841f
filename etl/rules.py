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


def _outside(ids: pd.Series, allowed: set[str]) -> np.ndarray:
    """Rows whose value is filled in and not in `allowed`, looking up each distinct value once (a million
    rows hold 40,000 institutions)."""
    codes, uniques = pd.factorize(ids, use_na_sentinel=True)
    bad_unique = np.fromiter((str(u) not in allowed for u in uniques), dtype=bool, count=len(uniques))
    return (codes >= 0) & np.append(bad_unique, False)[codes]


def duplicated_rows(frame: pd.DataFrame, key: list[str]) -> np.ndarray:
    """Every row whose complete key occurs more than once (all copies), from per-column codes combined into
    one integer per row (pandas' multi-column duplicated() is three times slower on a million rows)."""
    combined = np.zeros(len(frame), dtype=np.int64)
    complete = np.ones(len(frame), dtype=bool)
    for col in key:
        codes, uniques = pd.factorize(frame[col], use_na_sentinel=True)
        complete &= codes >= 0
        # renumber after each step so that the product stays far below 2**63
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + (codes + 1))
    return complete & pd.Series(combined).duplicated(keep=False).to_numpy()


def unknown_institutions(frame: pd.DataFrame, known_ids: set[str]) -> list[RuleFailure]:
    """Rows whose inst_id is filled in but absent from core.institutions (and this load's registry)."""
    if "inst_id" not in frame.columns or frame.empty:
        return []
    bad = _outside(frame["inst_id"], known_ids)
    if not bad.any():
        return []
    return [
        RuleFailure(
            np.flatnonzero(bad),
            "inst_id",
            "unknown_institution",
            messages.RULE_EXPLANATIONS["unknown_institution"],
        )
    ]


def duplicate_keys(dataset: str, frame: pd.DataFrame, row_numbers: pd.Series) -> list[RuleFailure]:
    """Every copy of a key that occurs more than once in the file (data contract: all copies go)."""
    ds = DATASETS[dataset]
    # the olympiad's subject is compared after normalisation (subject_key): «Физика» twice is a duplicate
    key = ds.compared(ds.key)
    if frame.empty:
        return []
    dup = pd.Series(duplicated_rows(frame, key), index=frame.index)
    if not dup.any():
        return []
    failures: list[RuleFailure] = []
    dups = frame.loc[dup, key].copy()
    dups["_row"] = row_numbers[dup]
    report_column = ds.key[-1]
    key_ru = ", ".join(f"«{ds.column(c).header_ru}»" for c in ds.key)
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
    bad = _outside(frame["inst_id"], allowed_inst_ids)
    if not bad.any():
        return []
    allowed = ", ".join(sorted(allowed_inst_ids)) or "—"
    return [
        RuleFailure(
            np.flatnonzero(bad),
            "inst_id",
            "foreign_institution",
            messages.RULE_EXPLANATIONS["foreign_institution"].format(allowed=allowed),
        )
    ]

"""Results-specific normalisation (ГИА, ВПР, ВсОШ): what the three results datasets derive from their values.

Kept apart from etl/normalize.py, which types every dataset's columns alike; the row rules themselves are in
`expectations/exam_results.json`, `vpr_results.json` and `olympiad.json`.
"""

from __future__ import annotations

import pandas as pd


def subject_key(subject: pd.Series) -> pd.Series:
    """The olympiad subject as it is compared and grouped (indicators.md): trimmed, inner whitespace
    collapsed, lower-cased, «ё» read as «е» — «Математика », «математика» and «МАТЕМАТИКА» are one subject.
    The same rule as `warehouse/models/staging/stg_olympiad.sql` applies to stored rows."""
    key = (
        subject.str.replace("\u00a0", " ", regex=False)
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
        .str.lower()
        .str.replace("ё", "е", regex=False)
    )
    return key.where(key != "", None).astype("str")


def derive(dataset: str, out: pd.DataFrame) -> None:
    """Add the derived columns a results dataset stores or its suite reads (in place)."""
    if dataset == "olympiad":
        out["subject_key"] = subject_key(out["subject"])

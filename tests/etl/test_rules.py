"""The row rules' fast paths give the same rows as the plain pandas definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl import rules


def _frame(seed: int, n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def column(values: int) -> pd.Series:
        col = pd.Series([f"v{x}" for x in rng.integers(0, values, n)], dtype="str")
        return col.mask(rng.random(n) < 0.02)  # some cells empty

    return pd.DataFrame({"period": column(2), "inst_id": column(40), "staff_id": column(300)})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_duplicates_are_all_copies_of_complete_keys(seed):
    frame = _frame(seed)
    key = ["period", "inst_id", "staff_id"]
    expected = frame[key].duplicated(keep=False) & frame[key].notna().all(axis=1)
    got = rules.duplicated_rows(frame, key)
    assert expected.sum() > 0
    assert (got == expected.to_numpy()).all()


def test_duplicate_failures_name_the_other_rows():
    frame = pd.DataFrame(
        {"period": ["2024/2025"] * 4, "inst_id": ["A", "A", "A", None], "staff_id": ["1", "2", "1", "1"]},
        dtype="str",
    )
    failures = rules.duplicate_keys("staff", frame, pd.Series([5, 6, 7, 8]))
    assert len(failures) == 1
    assert list(failures[0].positions) == [0, 2], "a key with an empty part is not a duplicate"
    assert "5, 7" in failures[0].explanation_ru


@pytest.mark.parametrize("seed", [1, 2])
def test_unknown_and_foreign_institutions(seed):
    frame = _frame(seed)
    known = {f"v{i}" for i in range(30)}
    expected = frame["inst_id"].notna() & ~frame["inst_id"].isin(list(known))
    unknown = rules.unknown_institutions(frame, known)
    assert list(unknown[0].positions) == list(np.flatnonzero(expected.to_numpy()))
    foreign = rules.foreign_institutions(frame, {"v3"})
    own_or_empty = frame["inst_id"].isna() | (frame["inst_id"] == "v3")
    assert list(foreign[0].positions) == list(np.flatnonzero(~own_or_empty.to_numpy()))
    assert rules.unknown_institutions(frame, {f"v{i}" for i in range(40)}) == []

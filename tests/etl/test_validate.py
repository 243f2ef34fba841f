"""The vectorised check that lets a clean file skip GX (etl.validate.holds): it says «holds» only when GX
would find no failing row, and a file with a failing row still gets its rows from GX."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from etl import validate


def _exp(kind: str, **kwargs) -> dict:
    return {"type": kind, "kwargs": kwargs, "meta": {"column": kwargs.get("column", ""), "rule": kind}}


EXAMS = pd.DataFrame(
    {
        "exam": pd.Series(["ege", "ege", "oge", "gve"], dtype="str"),
        "subject": pd.Series(["russian", "math_base", "russian", "math"], dtype="str"),
        "score": [72.0, np.nan, np.nan, np.nan],
        "mark": [np.nan, 4.0, 5.0, 3.0],
        "grade": [11.0, 11.0, 9.0, 9.0],
    }
)


def test_null_rules_under_a_row_condition():
    scored = "exam.isin(['ege']) & ~subject.isin(['math_base'])"
    marked = "exam.isin(['oge', 'gve']) | subject.isin(['math_base'])"
    kind = "expect_column_values_to_not_be_null"
    assert validate.holds(_exp(kind, column="score", row_condition=scored, condition_parser="pandas"), EXAMS)
    assert validate.holds(_exp(kind, column="mark", row_condition=marked, condition_parser="pandas"), EXAMS)
    # without the condition three rows have no score
    assert not validate.holds(_exp(kind, column="score"), EXAMS)
    kind = "expect_column_values_to_be_null"
    assert validate.holds(_exp(kind, column="score", row_condition=marked, condition_parser="pandas"), EXAMS)
    assert not validate.holds(
        _exp(kind, column="mark", row_condition="exam.isin(['ege'])", condition_parser="pandas"), EXAMS
    )  # the base mathematics row of the ЕГЭ has a mark


def test_sets_skip_missing_values():
    kind = "expect_column_values_to_be_in_set"
    assert validate.holds(_exp(kind, column="mark", value_set=[2, 3, 4, 5]), EXAMS)  # NaN is skipped
    assert not validate.holds(_exp(kind, column="mark", value_set=[4, 5]), EXAMS)  # the 3
    assert validate.holds(
        _exp(
            kind,
            column="grade",
            value_set=[11],
            row_condition="exam.isin(['ege'])",
            condition_parser="pandas",
        ),
        EXAMS,
    )
    kind = "expect_column_values_to_not_be_in_set"
    oge = "exam.isin(['oge', 'gve'])"
    assert not validate.holds(
        _exp(kind, column="subject", value_set=["math"], row_condition=oge, condition_parser="pandas"), EXAMS
    )
    assert validate.holds(
        _exp(kind, column="subject", value_set=["math_base"], row_condition=oge, condition_parser="pandas"),
        EXAMS,
    )


def test_bounds_are_inclusive_and_skip_missing_values():
    kind = "expect_column_values_to_be_between"
    assert validate.holds(_exp(kind, column="score", min_value=72, max_value=100), EXAMS)
    assert not validate.holds(_exp(kind, column="score", min_value=73, max_value=100), EXAMS)
    assert not validate.holds(_exp(kind, column="mark", min_value=2, max_value=4), EXAMS)  # the 5
    assert validate.holds(_exp(kind, column="mark", min_value=3), EXAMS)
    # an option this check does not know (mostly, strict bounds) or a text column: GX decides
    assert not validate.holds(_exp(kind, column="score", min_value=0, mostly=0.9), EXAMS)
    assert not validate.holds(_exp(kind, column="subject", min_value=0), EXAMS)


def test_pairs_and_patterns():
    frame = pd.DataFrame({"total": [10.0, 5.0, np.nan, 3.0], "part": [4.0, 5.0, np.nan, np.nan]})
    kind = "expect_column_pair_values_a_to_be_greater_than_b"
    either = {"column_A": "total", "column_B": "part", "ignore_row_if": "either_value_is_missing"}
    assert validate.holds(_exp(kind, **either, or_equal=True), frame)
    assert not validate.holds(_exp(kind, **either, or_equal=False), frame)  # 5 > 5 fails
    # ignoring only rows with both missing leaves 3 vs NaN, which GX's comparison decides
    both = dict(either, ignore_row_if="both_values_are_missing")
    assert not validate.holds(_exp(kind, **both, or_equal=True), frame)
    ids = pd.DataFrame({"inst_id": pd.Series(["sch_01", None, "A.2"], dtype="str")})
    kind = "expect_column_values_to_match_regex"
    assert validate.holds(_exp(kind, column="inst_id", regex=r"^[A-Za-z0-9_.-]{1,32}$"), ids)
    assert not validate.holds(_exp(kind, column="inst_id", regex=r"^[a-z0-9_]+$"), ids)  # «A.2»


@pytest.fixture
def institutions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "inst_id": pd.Series(["sch1", "sch2", "bad id"], dtype="str"),
            "name": pd.Series(["Школа 1", "Школа 2", "Школа 3"], dtype="str"),
            "inst_type": pd.Series(["school", "school", "school"], dtype="str"),
            "municipality": pd.Series(["Город", "Город", "Город"], dtype="str"),
            "locality": pd.Series(["urban", "rural", "urban"], dtype="str"),
        }
    )


def test_a_clean_frame_runs_no_gx(institutions, monkeypatch):
    def no_gx(*args):
        raise AssertionError("GX ran on a clean frame")

    monkeypatch.setattr(validate, "_run_group", no_gx)
    assert validate.run_suite("institutions", institutions.iloc[:2]) == []


def test_a_failing_row_is_still_reported_by_gx(institutions):
    failures = validate.run_suite("institutions", institutions)
    assert [(f.column, f.positions.tolist()) for f in failures] == [("inst_id", [2])]

"""The demo's results (demo/results.py): believable distributions and the three planted cases, drawn from a
stream of their own (the other files' bytes are checked in test_demo.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from demo.results import simulate

SCHOOLS = [f"S{i:02d}" for i in range(12)]
PUPILS = np.array([60.0, 300, 350, 400, 450, 500, 550, 600, 650, 700, 800, 1000])
PLANTED = {"basic": "S00", "low": "S03", "inflated": "S11"}
PERIODS = ["2023/2024", "2024/2025"]


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    out = simulate(np.random.default_rng(5), SCHOOLS, PUPILS, PERIODS, PLANTED)
    return {name: pd.DataFrame(cols) for name, cols in out.items()}


def test_same_seed_same_results() -> None:
    a = simulate(np.random.default_rng(5), SCHOOLS[:3], PUPILS[:3], PERIODS[:1])
    b = simulate(np.random.default_rng(5), SCHOOLS[:3], PUPILS[:3], PERIODS[:1])
    for name in a:
        for column in a[name]:
            assert list(map(str, a[name][column])) == list(map(str, b[name][column]))


def test_ege_means_near_the_national_ones_and_rare_100s(data: dict[str, pd.DataFrame]) -> None:
    ege = data["exam_results"]
    ege = ege[(ege["exam"] == "ege") & (ege["inst_id"] != "S03")]
    means = ege.groupby("subject")["score"].mean()
    assert 63 <= means["russian"] <= 73
    assert 50 <= means["math_profile"] <= 60
    assert 51 <= means["social_studies"] <= 61
    russian = ege[ege["subject"] == "russian"]["score"]
    assert 0 < (russian == 100).sum() <= 0.02 * len(russian)
    assert ((ege["subject"] == "math_base") & ege["score"].isna() & ege["mark"].notna()).any()


def test_basic_school_has_no_grade_11_and_tiny_groups(data: dict[str, pd.DataFrame]) -> None:
    exam = data["exam_results"]
    basic = exam[exam["inst_id"] == "S00"]
    assert not (basic["grade"] == 11).any()
    sizes = basic[basic["exam"] == "oge"].groupby(["period", "subject"]).size()
    assert (sizes < 5).all() and len(sizes) > 0
    vpr = data["vpr_results"]
    assert (vpr[vpr["inst_id"] == "S00"].groupby(["period", "grade", "subject"]).size() < 5).all()


def test_low_school_is_low_every_year(data: dict[str, pd.DataFrame]) -> None:
    oge = data["exam_results"][data["exam_results"]["grade"] == 9]
    for period in PERIODS:
        part = oge[oge["period"] == period]
        low = (part[part["inst_id"] == "S03"]["mark"] == 2).mean()
        rest = (part[part["inst_id"] != "S03"]["mark"] == 2).mean()
        assert low >= 0.1 and low >= 2 * rest


def test_inflated_class_marks_below_the_journal(data: dict[str, pd.DataFrame]) -> None:
    vpr = data["vpr_results"].dropna(subset=["journal_mark"])
    cls = vpr[(vpr["inst_id"] == "S11") & (vpr["subject"] == "math") & (vpr["grade"] == 6)]
    assert len(cls) >= 20
    assert (cls["mark"] < cls["journal_mark"]).mean() >= 0.5
    others = vpr[vpr["inst_id"] != "S11"]
    assert (others["mark"] < others["journal_mark"]).mean() < 0.35


def test_olympiad_has_all_four_stages_and_a_funnel(data: dict[str, pd.DataFrame]) -> None:
    oly = data["olympiad"]
    counts = oly.groupby("stage").size()
    assert set(counts.index) == {"school", "municipal", "regional", "final"}
    assert counts["school"] > counts["municipal"] > counts["regional"] > counts["final"]

"""Small groups (interfaces.md): a director sees another school's value computed from fewer than 5 results as
masked, and their own; admin, head and methodist see every value; aggregates are never masked.

The warehouse is the results one of test_results.py (values by hand there). R1 has 5 ЕГЭ Russian results
(61.6 on average) and 3 in profile mathematics (134 / 3); R2 has 2 in Russian (50, 90: 70 on average).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from auth.identity import User
from tests.warehouse.conftest import warehouse_file
from tests.warehouse.test_results import P, fill_results
from warehouse import results
from warehouse.queries import Scope
from warehouse.small_groups import group_sizes, mask_small_groups

DIRECTOR_R2 = User("d2", "director", "R2")
DIRECTOR_R1 = User("d1", "director", "R1")
OTHERS = [User("a", "admin"), User("h", "head"), User("m", "methodist")]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from warehouse_file(tmp_path_factory, "small", fill_results)


def cell(frame: pd.DataFrame, inst: str, code: str, subject: str, grade: object = None) -> tuple:
    rows = frame[
        (frame["inst_id"] == inst) & (frame["indicator_code"] == code) & (frame["subject"] == subject)
    ]
    if grade is not None:
        rows = rows[rows["grade"] == grade]
    assert len(rows) == 1, rows
    r = rows.iloc[0]
    return r["value"], bool(r["masked"])


CODES = ["EGE_MEAN_SCORE", "EGE_PARTICIPANTS", "EGE_100", "VPR_CONFIRMED", "OLY_MUNICIPAL_WINNERS"]


def test_director_sees_others_small_groups_masked_and_own_values(db: Path) -> None:
    frame = results.institution_values(db, DIRECTOR_R2, Scope(P), CODES)
    # R1 Russian: 5 results, shown; R1 profile mathematics: 3 results, masked
    assert cell(frame, "R1", "EGE_MEAN_SCORE", "russian") == (pytest.approx(61.6), False)
    value, masked = cell(frame, "R1", "EGE_MEAN_SCORE", "math_profile")
    assert masked and math.isnan(value)
    row = frame[(frame["inst_id"] == "R1") & (frame["subject"] == "math_profile")].iloc[0]
    assert math.isnan(row["numerator"]) and math.isnan(row["denominator"])
    # counts: 3 participants of profile mathematics are a small group; 5 in Russian are not
    assert cell(frame, "R1", "EGE_PARTICIPANTS", "math_profile")[1]
    assert cell(frame, "R1", "EGE_PARTICIPANTS", "russian") == (5, False)
    # a 100-point result in Russian over 5 scored results: shown; 0 of 3 in profile mathematics: masked
    assert cell(frame, "R1", "EGE_100", "russian") == (1, False)
    assert cell(frame, "R1", "EGE_100", "math_profile")[1]
    # ВПР math grade 5 of R1: 4 rows with a journal mark (of 5): masked
    assert cell(frame, "R1", "VPR_CONFIRMED", "math", 5)[1]
    # municipal olympiad winners in mathematics: 1 of 2 municipal results: masked
    assert cell(frame, "R1", "OLY_MUNICIPAL_WINNERS", "математика")[1]
    # own school: 2 Russian results, the value (50 + 90) / 2
    assert cell(frame, "R2", "EGE_MEAN_SCORE", "russian") == (pytest.approx(70.0), False)
    # the sibling read for the sizes does not leak into the result
    assert set(frame["indicator_code"]) == set(CODES)
    assert "EGE_HIGH_SCORE" not in set(frame["indicator_code"])


def test_crafted_scope_of_another_school_is_still_masked(db: Path) -> None:
    frame = results.institution_values(db, DIRECTOR_R2, Scope(P, inst_id="R1"), ["EGE_MEAN_SCORE"])
    assert set(frame["inst_id"]) == {"R1"}
    assert cell(frame, "R1", "EGE_MEAN_SCORE", "math_profile")[1]
    # R2's own 2 results are hidden from R1's director
    own = results.institution_values(db, DIRECTOR_R1, Scope(P), ["EGE_MEAN_SCORE"])
    assert cell(own, "R2", "EGE_MEAN_SCORE", "russian")[1]
    assert cell(own, "R1", "EGE_MEAN_SCORE", "math_profile") == (pytest.approx(134 / 3), False)


@pytest.mark.parametrize("user", OTHERS, ids=lambda u: u.role)
def test_admin_head_methodist_see_values(db: Path, user: User) -> None:
    frame = results.institution_values(db, user, Scope(P), CODES)
    assert not frame["masked"].any()
    assert cell(frame, "R1", "EGE_MEAN_SCORE", "math_profile") == (pytest.approx(134 / 3), False)
    assert cell(frame, "R2", "EGE_MEAN_SCORE", "russian") == (pytest.approx(70.0), False)


def test_aggregates_are_not_masked(db: Path) -> None:
    frame = results.aggregate_values(db, DIRECTOR_R2, Scope(P, municipality="Северный"), ["EGE_MEAN_SCORE"])
    scope = frame[(frame["role"] == "scope") & (frame["subject"] == "math_profile")]
    # Северный: R1's 3 profile results only
    assert scope["value"].tolist() == [pytest.approx(134 / 3)]
    russian = frame[(frame["role"] == "scope") & (frame["subject"] == "russian")]
    # (308 + 140) / 7
    assert russian["value"].tolist() == [pytest.approx(448 / 7)]


def test_score_distribution_of_another_school_alone_hides_its_small_group(db: Path) -> None:
    dist = results.score_distribution(db, DIRECTOR_R2, Scope(P, inst_id="R1"))
    profile = dist[dist["subject"] == "math_profile"]
    assert profile["masked"].tolist() == [True] and profile["score"].isna().all()
    russian = dist[dist["subject"] == "russian"]
    assert russian["score"].tolist() == [23, 24, 80, 81, 100] and not russian["masked"].any()
    # the director's own school and the admin see the scores
    own = results.score_distribution(db, DIRECTOR_R2, Scope(P, inst_id="R2"))
    assert own["score"].tolist() == [50, 90]
    admin = results.score_distribution(db, OTHERS[0], Scope(P, inst_id="R1"))
    assert admin.loc[admin["subject"] == "math_profile", "score"].tolist() == [26, 27, 81]
    # over the whole municipality (an aggregate) every result counts
    city = results.score_distribution(db, DIRECTOR_R2, Scope(P, municipality="Северный"))
    assert city.loc[city["subject"] == "russian", "results"].sum() == 7


def test_olympiad_funnel_masks_another_school_alone(db: Path) -> None:
    admin = results.olympiad_funnel(db, OTHERS[0], Scope(P, inst_id="R1"))
    maths = admin[admin["subject"] == "математика"]
    assert dict(zip(maths["stage"], maths["participants"], strict=True)) == {
        "school": 2,
        "municipal": 2,
        "regional": 1,
    }
    assert dict(zip(maths["stage"], maths["winners"], strict=True))["municipal"] == 1
    director = results.olympiad_funnel(db, DIRECTOR_R2, Scope(P, inst_id="R1"))
    assert director["masked"].all() and director["participants"].isna().all()


def test_group_sizes_and_unknown_sizes_mask() -> None:
    frame = pd.DataFrame(
        {
            "period": [P] * 4,
            "inst_id": ["X", "X", "X", "Y"],
            "indicator_code": ["EGE_HIGH_SCORE", "EGE_100", "EGE_PARTICIPANTS", "EGE_100"],
            "subject": ["russian"] * 4,
            "grade": [None] * 4,
            "numerator": [2, 1, 6, 1],
            "denominator": [6, None, None, None],
            "value": [33.3, 1, 6, 1],
        }
    )
    assert group_sizes(frame).tolist()[:3] == [6, 6, 6]
    assert math.isnan(group_sizes(frame).iloc[3])
    masked = mask_small_groups(frame, DIRECTOR_R2)
    # Y's 100-point count has no sibling to size it: hidden
    assert masked["masked"].tolist() == [False, False, False, True]

"""The results area in the comparison: whole-school rows (over all subjects), small groups of other
institutions masked for a director and kept out of the peers' statistics.

City «Город», schools S1–S4, 100 pupils each (equal sizes share the lowest rank: one band of four). ЕГЭ
minimum scores by default: Russian 24, profile mathematics 27. 2024/2025:

    school  ЕГЭ scores                                  not passed   GIA11_NOT_PASSED
    S1      russian 20, 30, 40, 50, 60; math_profile    20; 26        2 of 7       28,571 %
            26, 81
    S2      russian 10, 15, 90                          10, 15        2 of 3       66,667 %  (3 results: small)
    S3      russian 30 × 6                              —             0 of 6        0,0 %
    S4      russian 10, 12, 20, 50 × 7                  10, 12, 20    3 of 10      30,0 %

The city's schools: 7 of 26 = 26,923 %. S1's profile mathematics alone has 2 results, but S1 is compared by
its 7 results together: another director sees its value.

Administrator, S1 among S1–S4: values 0 | 28,571 | 30 | 66,667 → median (28,571 + 30) / 2 = 29,286, range
0–66,667; `down`: the others worse or equal (≥ 28,571) are S2 and S4 → percentile 2 / 3 × 100 = 66,7; better
only S3 → rank 2 of 4.

The director of S1: S2's 66,667 is hidden and not counted: 0 | 28,571 | 30 → median 28,571, range 0–30,
quartiles 14,286 and 29,286; worse or equal only S4 → percentile 50; rank 2 of 3. S2's own profile seen by
that director: no value («менее 5»), no percentile, no rank, no gap; the peers S1, S3, S4 (median 28,571).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from auth.identity import User
from tests.warehouse.conftest import warehouse_file
from tests.warehouse.helpers import ict, insert_rows, institution
from tests.warehouse.test_results import exam
from ui.views import compare as cc
from warehouse import compare, queries
from warehouse.small_groups import SMALL_GROUP_LABEL

P = "2024/2025"
CITY = "Город"
ADMIN = User(login="admin", role="admin")
DIRECTOR_S1 = User(login="dir1", role="director", inst_id="S1")
DIRECTOR_S2 = User(login="dir2", role="director", inst_id="S2")
SCORES = {
    "S1": {"russian": [20, 30, 40, 50, 60], "math_profile": [26, 81]},
    "S2": {"russian": [10, 15, 90]},
    "S3": {"russian": [30] * 6},
    "S4": {"russian": [10, 12, 20, *[50] * 7]},
}


def fill(con: duckdb.DuckDBPyConnection) -> None:
    schools = sorted(SCORES)
    insert_rows(con, "core.institutions", [institution(s, "school", CITY) for s in schools])
    insert_rows(con, "core.ict", [ict(P, s) for s in schools])
    rows = [
        exam(s, "ege", 11, subject, n, score=v)
        for s, subjects in SCORES.items()
        for subject, scores in subjects.items()
        for n, v in enumerate(scores)
    ]
    insert_rows(con, "core.exam_results", rows)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from warehouse_file(tmp_path_factory, "compare_results", fill)
    queries.close_all()


def row(profile: pd.DataFrame, code: str) -> dict:
    found = profile[profile["indicator_code"] == code]
    assert len(found) == 1, code
    return found.iloc[0].to_dict()


def test_the_results_are_compared_by_the_whole_school(db: Path) -> None:
    profile = compare.institution_profile(db, ADMIN, "S1", P)
    assert "EGE_MEAN_SCORE" not in set(profile["indicator_code"]), "no mean over subjects"
    r = row(profile, "GIA11_NOT_PASSED")
    assert r["value"] == pytest.approx(2 / 7 * 100)
    assert r["municipality_value"] == pytest.approx(7 / 26 * 100)
    assert r["basis"] == "peers" and r["peer_n"] == 4
    assert r["peer_median"] == pytest.approx((2 / 7 * 100 + 30) / 2)
    assert (r["peer_min"], r["peer_max"]) == (pytest.approx(0.0), pytest.approx(2 / 3 * 100))
    assert r["percentile"] == pytest.approx(2 / 3 * 100)
    assert (r["rank"], r["rank_n"]) == (2, 4)
    assert not r["masked"]
    # 81 of S1's 7 scored results
    assert row(profile, "EGE_HIGH_SCORE")["value"] == pytest.approx(1 / 7 * 100)


def test_a_director_does_not_count_another_schools_small_group(db: Path) -> None:
    r = row(compare.institution_profile(db, DIRECTOR_S1, "S1", P), "GIA11_NOT_PASSED")
    assert r["value"] == pytest.approx(2 / 7 * 100)
    assert r["peer_n"] == 3
    assert r["peer_median"] == pytest.approx(2 / 7 * 100)
    assert (r["peer_min"], r["peer_max"]) == (pytest.approx(0.0), pytest.approx(30.0))
    assert (r["peer_q1"], r["peer_q3"]) == (pytest.approx(1 / 7 * 100), pytest.approx((2 / 7 * 100 + 30) / 2))
    assert r["percentile"] == pytest.approx(50.0)
    assert (r["rank"], r["rank_n"]) == (2, 3)
    # the aggregate is never masked
    assert r["municipality_value"] == pytest.approx(7 / 26 * 100)


def test_another_schools_small_group_is_less_than_5(db: Path) -> None:
    profile = compare.institution_profile(db, DIRECTOR_S1, "S2", P)
    for code in ("GIA11_NOT_PASSED", "EGE_PARTICIPANTS", "EGE_HIGH_SCORE", "EGE_100"):
        r = row(profile, code)
        assert r["masked"], code
        assert pd.isna(r["value"]) and pd.isna(r["gap"]) and pd.isna(r["percentile"]) and pd.isna(r["rank"])
    r = row(profile, "GIA11_NOT_PASSED")
    assert r["peer_median"] == pytest.approx(2 / 7 * 100)
    assert r["peer_max"] == pytest.approx(30.0)
    # no number of S2's anywhere in its row
    numbers = [v for v in r.values() if isinstance(v, float) and not pd.isna(v)]
    assert all(abs(v - 2 / 3 * 100) > 1e-6 and abs(v - 1 / 3 * 100) > 1e-6 for v in numbers)
    table = cc.profile_rows(profile[profile["area"] == "results"])
    shown = table.set_index("Показатель")["Значение"]
    assert shown["Доля результатов ГИА-11 ниже минимального порога"] == SMALL_GROUP_LABEL
    # the school's own director and the administrator see the value
    own = row(compare.institution_profile(db, DIRECTOR_S2, "S2", P), "GIA11_NOT_PASSED")
    assert own["value"] == pytest.approx(2 / 3 * 100) and not own["masked"]
    assert row(compare.institution_profile(db, ADMIN, "S2", P), "GIA11_NOT_PASSED")["value"] == pytest.approx(
        2 / 3 * 100
    )


def test_a_school_with_a_small_subject_is_shown_by_its_whole_results(db: Path) -> None:
    # S1's profile mathematics has 2 results, its 7 results together are shown to another director
    r = row(compare.institution_profile(db, DIRECTOR_S2, "S1", P), "GIA11_NOT_PASSED")
    assert r["value"] == pytest.approx(2 / 7 * 100) and not r["masked"]


def test_side_by_side_masks_another_schools_small_group(db: Path) -> None:
    codes = ["GIA11_NOT_PASSED", "EGE_100"]
    long = compare.side_by_side(db, DIRECTOR_S1, ["S1", "S2", "S4"], codes, P)
    # one row per school and indicator (the whole school), EGE_HIGH_SCORE read only to size EGE_100
    assert sorted(zip(long["inst_id"], long["indicator_code"], strict=True)) == sorted(
        (s, c) for s in ("S1", "S2", "S4") for c in codes
    )
    values = long.set_index(["inst_id", "indicator_code"])
    assert values.loc[("S1", "GIA11_NOT_PASSED"), "value"] == pytest.approx(2 / 7 * 100)
    assert values.loc[("S1", "EGE_100"), "value"] == 0
    assert values.loc[("S4", "GIA11_NOT_PASSED"), "value"] == pytest.approx(30.0)
    for code in codes:
        assert values.loc[("S2", code), "masked"] and pd.isna(values.loc[("S2", code), "value"])
    admin = compare.side_by_side(db, ADMIN, ["S1", "S2"], codes, P).set_index(["inst_id", "indicator_code"])
    assert admin.loc[("S2", "GIA11_NOT_PASSED"), "value"] == pytest.approx(2 / 3 * 100)
    assert not admin["masked"].any()


def test_trends_mask_another_schools_small_group(db: Path) -> None:
    trends = compare.institution_trends(db, DIRECTOR_S1, "S2", ["GIA11_NOT_PASSED"])
    assert list(trends["period"]) == [P]
    assert pd.isna(trends["value"].iloc[0])
    assert trends["type_value"].iloc[0] == pytest.approx(7 / 26 * 100)

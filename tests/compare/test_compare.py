"""Peer groups, medians, percentiles, ranks and the small-group fallback on hand-built warehouses (the
numbers are worked out by hand in conftest.py), and the pure pieces they are made of."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from auth.identity import User
from tests.compare.conftest import CITY, NORTH, PREV, P, mart
from ui.views import compare as cc
from warehouse import compare
from warehouse.catalog import load_catalog

ADMIN = User(login="admin", role="admin")
NB = "\u00a0"


def row(profile: pd.DataFrame, code: str) -> dict:
    found = profile[profile["indicator_code"] == code]
    assert len(found) == 1, code
    return found.iloc[0].to_dict()


# ----------------------------------------------------------------------------------------- pure pieces
def test_size_bands_ranks_ties_into_the_lower_band_and_leaves_unknown_sizes_out():
    sizes = pd.DataFrame(
        {
            "inst_id": ["a", "b", "c", "d", "e", "f", "x"],
            "inst_type": ["school"] * 7,
            "municipality": ["M"] * 7,
            "students": [100, 200, 200, 300, 400, 500, None],
        }
    )
    out = compare.size_bands(sizes, by_region=False).set_index("inst_id")
    # n = 6, min-ranks 1 2 2 4 5 6 → 1 + ⌊3(r − 1)/6⌋ = 1 1 1 2 3 3
    assert list(out.loc[list("abcdef"), "band"]) == [1, 1, 1, 2, 3, 3]
    assert pd.isna(out.loc["x", "band"])
    assert out.loc["b", "band_n"] == 3 and out.loc["b", "band_min"] == 100 and out.loc["b", "band_max"] == 200
    assert out.loc["d", "band_n"] == 1


def test_size_bands_by_municipality_or_over_the_region():
    sizes = pd.DataFrame(
        {
            "inst_id": ["n1", "n2", "n3", "s1", "s2", "s3"],
            "inst_type": ["school"] * 6,
            "municipality": ["N", "N", "N", "S", "S", "S"],
            "students": [100, 300, 500, 200, 400, 600],
        }
    )
    local = compare.size_bands(sizes, by_region=False).set_index("inst_id")["band"]
    assert list(local) == [1, 2, 3, 1, 2, 3]
    region = compare.size_bands(sizes, by_region=True).set_index("inst_id")["band"]
    # sorted over the region: 100 n1, 200 s1 | 300 n2, 400 s2 | 500 n3, 600 s3
    assert region.to_dict() == {"n1": 1, "s1": 1, "n2": 2, "s2": 2, "n3": 3, "s3": 3}


@pytest.mark.parametrize(
    ("direction", "own", "percentile", "rank"),
    [
        ("up", "b", 50.0, 2),  # 10 among 5, 10, 15: one of the two others is worse
        ("up", "c", 100.0, 1),
        ("up", "a", 0.0, 3),
        ("down", "a", 100.0, 1),  # lower is better: 5 is the best
        ("down", "c", 0.0, 3),
        ("none", "c", 100.0, 1),  # a position by size: the largest is first
    ],
)
def test_position_stats_by_direction(direction, own, percentile, rank):
    values = pd.Series({"a": 5.0, "b": 10.0, "c": 15.0})
    stats = compare.position_stats(values, own, direction)
    assert stats["median"] == 10.0 and stats["n"] == 3 and stats["min"] == 5.0 and stats["max"] == 15.0
    assert stats["percentile"] == percentile and stats["rank"] == rank


def test_position_stats_ties_share_the_better_rank_and_count_as_worse_or_equal():
    values = pd.Series({"a": 50.0, "b": 50.0, "c": 100.0, "d": None})
    a = compare.position_stats(values, "a", "up")
    b = compare.position_stats(values, "b", "up")
    assert a["rank"] == b["rank"] == 2
    assert a["percentile"] == b["percentile"] == 50.0  # the tie counts, the better one does not
    assert a["n"] == 3 and a["median"] == 50.0  # the missing value is left out
    # equal fractions computed in different orders are equal
    close = pd.Series({"a": 1 / 3 * 100, "b": 100 / 3, "c": 0.0})
    assert compare.position_stats(close, "a", "up")["rank"] == 1
    missing = compare.position_stats(values, "d", "up")
    assert missing["rank"] is None and missing["percentile"] is None and missing["median"] == 50.0


@pytest.mark.parametrize(
    ("gap", "unit", "basis", "text"),
    [
        (12.34, "%", "peers", f"выше медианы группы на 12,3{NB}п.п."),
        (-25.0, "%", "peers", f"ниже медианы группы на 25,0{NB}п.п."),
        (-2.0, "чел.", "peers", f"ниже медианы группы на 2{NB}чел."),
        (0.5, "ед.", "peers", f"выше медианы группы на 0,5{NB}ед."),
        (5.12, "балл", "peers", f"выше медианы группы на 5,1{NB}балла"),
        (
            8.7,
            "%",
            "municipality_type",
            f"выше значения муниципалитета по организациям того же типа на 8,7{NB}п.п.",
        ),
        (0.01, "%", "peers", "на уровне медианы группы"),
        (None, "%", "peers", None),
    ],
)
def test_gap_phrases(gap, unit, basis, text):
    assert cc.gap_phrase(gap, unit, basis) == text


def test_link_lists_keep_known_values_in_order():
    assert cc.parse_list("S2,S1,,S2", ["S1", "S2", "S3"]) == (["S2", "S1"], 1)
    assert cc.parse_list(["S1,NOPE", "S3"], ["S1", "S2", "S3"]) == (["S1", "S3"], 1)
    assert cc.parse_list("S1,S2,S3", ["S1", "S2", "S3"], limit=2) == (["S1", "S2"], 1)
    assert cc.parse_list(None, ["S1"]) == ([], 0)
    assert cc.join_list(["S1", "S2"]) == "S1,S2"


# ----------------------------------------------------------------------------------------- peer groups
def test_sizes_leave_out_institutions_that_sent_nothing_and_keep_the_latest_count(city_db):
    sizes = compare.reporting_sizes(city_db, ADMIN, P, "school").set_index("inst_id")
    assert "S10" not in sizes.index, "an institution without any value in P does not move the bands"
    assert sizes.loc["S9", "students"] == 900 and sizes.loc["S9", "size_period"] == PREV
    assert sizes.loc["S5", "students"] == 500 and sizes.loc["S5", "size_period"] == P


def test_peer_group_is_the_size_tercile_of_the_type_in_the_municipality(city_db):
    group = compare.peer_group(city_db, ADMIN, "S5", P)
    assert group.members == ("S4", "S5", "S6")
    assert (group.band, group.size_min, group.size_max, group.students) == (2, 400, 600, 500)
    assert group.scope == "municipality" and group.population == 9 and not group.too_small
    top = compare.peer_group(city_db, ADMIN, "S9", P)
    assert top.members == ("S7", "S8", "S9") and top.size_period == PREV
    members = compare.peer_members(city_db, ADMIN, "S5", P)
    assert list(members["inst_id"]) == ["S4", "S5", "S6"]
    assert list(members["is_self"]) == [False, True, False]


def test_peer_groups_of_a_region_are_cut_over_the_region(region_db):
    assert compare.is_region_scale(region_db, ADMIN)
    group = compare.peer_group(region_db, ADMIN, "N3", P)
    assert group.scope == "region"
    assert group.members == ("U2", "N3", "U3"), "within Север alone N3 would be grouped with N4"
    profile = compare.institution_profile(region_db, ADMIN, "N3", P)
    pc = row(profile, "ICT_PC_LEARNING_PER_100")
    assert (pc["value"], pc["peer_median"], pc["percentile"], pc["rank"], pc["rank_n"]) == (10, 10, 50, 2, 3)
    # the municipality's values stay the institution's own municipality's
    assert pc["municipality_value"] == pytest.approx(
        mart(region_db, "ICT_PC_LEARNING_PER_100", "municipality", municipality=NORTH, inst_type="all")
    )


def test_small_group_falls_back_to_the_types_municipal_value(city_db):
    group = compare.peer_group(city_db, ADMIN, "D1", P)
    assert group.members == ("D1",) and group.too_small
    profile = compare.institution_profile(city_db, ADMIN, "D1", P)
    assert set(profile["basis"]) == {"municipality_type"}
    assert profile["peer_median"].isna().all()
    pc = row(profile, "ICT_PC_LEARNING_PER_100")
    expected = mart(
        city_db, "ICT_PC_LEARNING_PER_100", "municipality", municipality=CITY, inst_type="preschool"
    )
    assert expected == pytest.approx(17 / 130 * 100)
    assert pc["benchmark"] == pytest.approx(expected) and pc["type_value"] == pytest.approx(expected)
    assert pc["value"] == 10.0 and pc["gap"] == pytest.approx(10 - 17 / 130 * 100)
    # two kindergartens: too few to rank
    assert math.isnan(pc["percentile"]) and pd.isna(pc["rank"])
    assert "ICT_EJOURNAL" not in set(profile["indicator_code"]), "published for schools only"


def test_no_size_no_group(city_db):
    group = compare.peer_group(city_db, ADMIN, "S10", P)
    assert group.band is None and group.members == () and group.too_small
    profile = compare.institution_profile(city_db, ADMIN, "S10", P)
    assert profile["value"].isna().all() and set(profile["basis"]) == {"municipality_type"}


# ----------------------------------------------------------------------------------------- the profile
def test_profile_medians_percentiles_ranks_and_changes(city_db):
    profile = compare.institution_profile(city_db, ADMIN, "S5", P)
    assert list(profile.columns) == compare.PROFILE_COLUMNS
    # every indicator with a value is compared with the peers; the two planning indicators and the results
    # have no value here (no needs survey, no young specialists, no results in this hand-built city) and fall
    # back like any missing value; the ЕГЭ mean over subjects is not compared at all
    assert set(profile.loc[profile["value"].notna(), "basis"]) == {"peers"}
    results = {i.code for i in load_catalog() if i.area == "results"} - {"EGE_MEAN_SCORE"}
    assert set(profile.loc[profile["value"].isna(), "indicator_code"]) == {
        "STAFF_NEEDS_SURVEYED",
        "STAFF_YOUNG_WITH_MENTOR",
        *results,
    }
    assert "EGE_MEAN_SCORE" not in set(profile["indicator_code"])

    pc = row(profile, "ICT_PC_LEARNING_PER_100")
    assert pc["value"] == mart(city_db, "ICT_PC_LEARNING_PER_100", "institution", inst_id="S5") == 10.0
    assert (pc["peer_median"], pc["peer_min"], pc["peer_max"]) == (10.0, 5.0, 15.0)
    assert (pc["percentile"], pc["rank"], pc["rank_n"], pc["peer_n"]) == (50.0, 2, 3, 3)
    assert (pc["prev_value"], pc["change"], pc["change_assessment"]) == (8.0, 2.0, "better")
    assert pc["gap"] == 0.0 and pc["assessment"] == "same"

    old = row(profile, "STAFF_55_PLUS")  # lower is better
    assert (old["value"], old["peer_median"], old["percentile"], old["rank"]) == (50.0, 25.0, 0.0, 3)
    assert (old["prev_value"], old["change"], old["change_assessment"]) == (25.0, 25.0, "worse")
    assert (old["gap"], old["favourable_gap"], old["assessment"]) == (25.0, -25.0, "worse")
    assert old["gap_score"] == pytest.approx(-25 / 50)  # over the group's range 0 … 50

    index = row(profile, "ICT_READINESS_INDEX")
    assert (index["value"], index["peer_median"], index["percentile"], index["rank"]) == (100, 100, 100, 1)
    count = row(profile, "STAFF_COUNT")
    assert (
        count["direction"] == "none" and pd.isna(count["change_assessment"]) and pd.isna(count["gap_score"])
    )


def test_ties_share_a_rank(city_db):
    ranks = {
        inst: row(compare.institution_profile(city_db, ADMIN, inst, P), "STAFF_HIGHER_EDU")
        for inst in ("S4", "S5", "S6")
    }
    assert [ranks[i]["value"] for i in ("S4", "S5", "S6")] == [50.0, 50.0, 100.0]
    assert [ranks[i]["rank"] for i in ("S4", "S5", "S6")] == [2, 2, 1]
    assert [ranks[i]["percentile"] for i in ("S4", "S5", "S6")] == [50.0, 50.0, 100.0]
    assert {ranks[i]["peer_median"] for i in ranks} == {50.0}


def test_an_indicator_with_fewer_than_three_peer_values_falls_back(city_db):
    # band 3 = S7, S8, S9, but S9 sent no ict form in P: two values → the schools' municipal value
    profile = compare.institution_profile(city_db, ADMIN, "S7", P)
    pc = row(profile, "ICT_PC_LEARNING_PER_100")
    expected = mart(city_db, "ICT_PC_LEARNING_PER_100", "municipality", municipality=CITY, inst_type="school")
    assert expected == pytest.approx(210 / 3600 * 100)
    assert pc["basis"] == "municipality_type" and pc["benchmark"] == pytest.approx(expected)
    # ranked among the 8 schools with a value: S1 10, S2 5, S3 3.3, S4 5, S5 10, S6 15 are better, S8 worse
    assert (pc["rank"], pc["rank_n"]) == (7, 8) and pc["percentile"] == pytest.approx(100 / 7)
    assert row(profile, "STAFF_HIGHER_EDU")["basis"] == "peers", "staff values of all three exist"


def test_municipality_values_and_counts_per_institution(city_db):
    profile = compare.institution_profile(city_db, ADMIN, "S5", P)
    share = row(profile, "STAFF_55_PLUS")
    assert share["municipality_value"] == pytest.approx(
        mart(city_db, "STAFF_55_PLUS", "municipality", municipality=CITY, inst_type="all")
    )
    assert share["type_value"] == pytest.approx(
        mart(city_db, "STAFF_55_PLUS", "municipality", municipality=CITY, inst_type="school")
    )
    # a count's aggregate is a total; beside one institution it is the average institution
    count = row(profile, "STAFF_COUNT")
    schools_total = mart(city_db, "STAFF_COUNT", "municipality", municipality=CITY, inst_type="school")
    assert schools_total == 2 * 6 + 4 * 3  # S1–S3, S7–S9 two each; S4–S6 four each
    assert count["type_value"] == pytest.approx(schools_total / 9)
    assert count["municipality_value"] == pytest.approx((schools_total + 2) / 11)


def test_strengths_and_weaknesses(city_db):
    weak = compare.strengths_weaknesses(compare.institution_profile(city_db, ADMIN, "S5", P))
    assert list(weak["side"]) == ["weakness"] and list(weak["indicator_code"]) == ["STAFF_55_PLUS"]
    words = cc.strengths_items(weak)
    assert words["strength"] == []
    assert words["weakness"][0].endswith(f"выше медианы группы на 25,0{NB}п.п.")

    strong = compare.strengths_weaknesses(compare.institution_profile(city_db, ADMIN, "S6", P), n=10)
    assert set(strong["side"]) == {"strength"}
    # the largest gap against the group's range first; equal scores in catalogue order
    assert list(strong["indicator_code"]) == [
        "STAFF_HIGHER_EDU",
        "STAFF_HIGHER_PED_EDU",
        "STAFF_55_PLUS",
        "ICT_PC_LEARNING_PER_100",
        "ICT_PC_LEARNING_INTERNET_PER_100",
    ]
    # 0,17 boards per 100 pupils against 0,20: a gap that prints as 0,0 is no weakness
    assert "ICT_INTERACTIVE_PER_100" not in set(strong["indicator_code"])
    assert cc.strengths_items(strong)["strength"][2].endswith(f"ниже медианы группы на 25,0{NB}п.п.")
    assert len(compare.strengths_weaknesses(compare.institution_profile(city_db, ADMIN, "S6", P), n=2)) == 2


# ----------------------------------------------------------------------------------------- side by side, trends
def test_side_by_side_keeps_the_chosen_order(city_db):
    long = compare.side_by_side(city_db, ADMIN, ["S6", "NOPE", "S4"], ["ICT_PC_LEARNING_PER_100"], P)
    assert list(dict.fromkeys(long["inst_id"])) == ["S6", "S4"]
    values = dict(zip(long["inst_id"], long["value"], strict=True))
    assert values == {"S6": 15.0, "S4": 5.0}
    # an institution without the values keeps a row (shown as missing)
    empty = compare.side_by_side(city_db, ADMIN, ["S10", "S4"], ["ICT_PC_LEARNING_PER_100"], P)
    assert list(empty["inst_id"]) == ["S10", "S4"] and pd.isna(empty.iloc[0]["value"])


def test_trends_beside_the_types_municipal_value(city_db):
    trends = compare.institution_trends(city_db, ADMIN, "S5", ["STAFF_55_PLUS"])
    assert list(trends["period"]) == [PREV, P]
    assert list(trends["value"]) == [25.0, 50.0]
    assert trends.iloc[1]["type_value"] == pytest.approx(
        mart(city_db, "STAFF_55_PLUS", "municipality", municipality=CITY, inst_type="school")
    )


# ----------------------------------------------------------------------------------------- data quality
def test_data_quality_counts_rows_not_problems_and_only_the_institutions(city_db):
    dq = compare.data_quality(city_db, ADMIN, "S5", P)
    now = dq.submissions.set_index("period").loc[P]
    assert (now["staff_rows"], now["pedagogical_staff"], now["ict_rows"], now["innovation_rows"]) == (
        4,
        4,
        1,
        0,
    )
    assert now["quarantined_rows"] == 3, "row 5 broke two rules: it is one row"
    assert now["warnings"] == 1
    loads = dq.loads.set_index("source_file")
    assert (
        loads.loc["staff_S5.xlsx", "rows_loaded"] == 4 and loads.loc["staff_S5.xlsx", "rows_quarantined"] == 3
    )
    assert loads.loc["ict_all.csv", "rows_loaded"] == 1
    assert "staff_S4.xlsx" not in loads.index
    assert set(dq.quarantine["rule"]) == {"age_range", "experience_vs_age", "duplicate_key", "required"}
    assert "value" not in dq.quarantine.columns, "no raw values leave the data layer"
    assert dq.quarantine.set_index("rule").loc["required", "explanation"] == "обязательное поле не заполнено"
    assert list(dq.warnings["rule"]) == ["manual_check"]


def test_data_quality_and_passport_access_is_checked_in_the_data_layer(city_db):
    own = User(login="d5", role="director", inst_id="S5")
    other = User(login="d4", role="director", inst_id="S4")
    assert compare.may_generate_passport(own, "S5") and not compare.may_generate_passport(other, "S5")
    assert compare.may_generate_passport(User(login="m", role="methodist"), "S5")
    compare.data_quality(city_db, own, "S5", P)
    with pytest.raises(PermissionError):
        compare.data_quality(city_db, other, "S5", P)


def test_no_rank_for_a_count() -> None:
    """«Место 3 из 4» for the number of teachers says nothing (a size, not a result): no rank for counts."""
    from reports.peers import position_text

    share = {"rank": 2, "rank_n": 4, "percentile": 67.0, "kind": "share", "unit": "%"}
    assert position_text(share) == "2 из 4 (процентиль 67)"
    assert position_text({**share, "kind": "count", "unit": "чел."}) == "—"
    assert position_text({**share, "kind": "count", "unit": "ед."}) == "—"

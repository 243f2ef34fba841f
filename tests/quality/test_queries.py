"""warehouse.quality on the hand-built warehouse (tests/quality/dqdata.py): completeness, gaps, warnings with
known outliers and jumps, the score, the quarantine and who may see it."""

from __future__ import annotations

import duckdb
import pytest

from auth.identity import DEMO_USER, User
from tests.db import sql
from tests.quality import dqdata
from warehouse import quality

ADMIN = DEMO_USER
HEAD = User("head", "head")
METHODIST = User("met", "methodist")
DIRECTOR_P1 = User("dir", "director", inst_id="P1")


# ----------------------------------------------------------------------------------------- completeness
def test_completeness_statuses(handbuilt_db):
    long = quality.completeness(handbuilt_db, ADMIN, dqdata.P)
    assert len(long) == 12 * 3, "every registry institution × staff, ict, innovation"
    status = {(r.inst_id, r.dataset): r.status for r in long.itertuples()}
    for key, expected in dqdata.STATUS.items():
        assert status[key] == expected, key
    required = {k: v for k, v in status.items() if k[1] in ("staff", "ict")}
    others = {k for k in required if k not in dqdata.STATUS}
    assert all(required[k] == "complete" for k in others)
    # innovation is optional: only S1 sent it, the rest are simply missing
    assert status[("S1", "innovation")] == "complete"
    assert sum(v == "missing" for k, v in status.items() if k[1] == "innovation") == 11
    p1 = long[(long["inst_id"] == "P1") & (long["dataset"] == "staff")].iloc[0]
    assert (p1["rows"], p1["latest_rows_loaded"], p1["latest_rows_quarantined"]) == (2, 2, 1)
    assert p1["latest_batch"] == dqdata.B_P1 and p1["latest_file"] == "kadry_P1.csv"
    # R1's corrected file is its latest load: its earlier quarantined row no longer makes it partial
    r1 = long[(long["inst_id"] == "R1") & (long["dataset"] == "staff")].iloc[0]
    assert (r1["status"], r1["latest_batch"]) == ("complete", dqdata.B_R1_V2)


def test_completeness_of_the_previous_period_and_of_a_scope(handbuilt_db):
    previous = quality.completeness(handbuilt_db, ADMIN, dqdata.PREV)
    required = previous[previous["dataset"] != "innovation"]
    assert set(required["status"]) == {"complete"}, "in 2023/2024 everybody sent everything"
    preschools = quality.completeness(handbuilt_db, ADMIN, dqdata.P, inst_type="preschool")
    assert set(preschools["inst_id"]) == {"K1", "K2"}
    assert quality.completeness(handbuilt_db, ADMIN, dqdata.P, municipality="elsewhere").empty


def test_gaps_equal_the_institutions_without_rows(handbuilt_db):
    gaps = quality.submission_gaps(handbuilt_db, ADMIN, dqdata.P)
    assert gaps.total == 12
    assert set(gaps.missing["staff"]) == dqdata.MISSING_STAFF
    assert set(gaps.missing["ict"]) == dqdata.MISSING_ICT
    # counted independently, straight from core
    for dataset in ("staff", "ict"):
        expected = sql(
            handbuilt_db,
            f"SELECT inst_id FROM core.institutions WHERE inst_id NOT IN "
            f"(SELECT inst_id FROM core.{dataset} WHERE period = ?) ORDER BY 1",
            [dqdata.P],
        )
        assert sorted(gaps.missing[dataset]) == [r[0] for r in expected]
    assert gaps.missing_any(["staff", "ict"]) == ("Q1", "X1")
    assert gaps.missing_all(["staff", "ict"]) == ("X1",)
    schools = gaps.of_types(["school"])
    assert schools.total == 10 and set(schools.missing["ict"]) == {"Q1", "X1"}
    assert quality.submission_gaps(handbuilt_db, ADMIN, dqdata.P, inst_id="X1").total == 1
    assert quality.submission_gaps(handbuilt_db, ADMIN, dqdata.P, inst_type="preschool").missing["ict"] == ()


# ----------------------------------------------------------------------------------------- warnings
def test_warnings_find_the_planted_jumps_and_outliers(handbuilt_db):
    found = quality.warnings(handbuilt_db, ADMIN, dqdata.P)
    got = sorted(zip(found["rule"], found["inst_id"], found["dataset"], strict=True))
    assert got == sorted(
        [
            ("missing_submission", "X1", "staff"),
            ("missing_submission", "X1", "ict"),
            ("missing_submission", "Q1", "ict"),
            ("yoy_change", "S5", "staff"),  # 4 → 2 teachers
            ("yoy_change", "K1", "ict"),  # 200 → 100 pupils
            ("outlier_mad", "S6", "ict"),  # 60 learning PCs per 100 pupils against a median of 12
            ("outlier_mad", "S6", "ict"),  # the same PCs, with Internet
        ]
    )
    messages = dict(zip(found["inst_id"] + "/" + found["rule"], found["message_ru"], strict=True))
    assert "изменилась на −50,0 % (с 4 до 2)" in messages["S5/yoy_change"]
    assert "(с 200 до 100)" in messages["K1/yoy_change"]
    outliers = found[found["rule"] == "outlier_mad"]["message_ru"]
    # median 12, MAD 1: z = 0.6745 × (60 − 12) / 1 = 32.4
    assert all("медиана 12,0" in m and "z-оценка 32,4" in m for m in outliers)
    # the schools next to the median (S1 at 10: z = −1.35; S4 at 14: 1.35) and the preschools (1 and 100 among
    # two: MAD 49.5) are not outliers; the preschools are not compared with the schools
    assert set(outliers.index.map(lambda i: found.loc[i, "inst_id"])) == {"S6"}
    assert list(found["rule"]).index("outlier_mad") > list(found["rule"]).index("yoy_change"), (
        "ordered by rule"
    )


def test_warnings_of_one_rule_period_and_scope(handbuilt_db):
    assert list(quality.warnings(handbuilt_db, ADMIN, dqdata.P, rule="yoy_change")["inst_id"]) == ["K1", "S5"]
    previous = quality.warnings(handbuilt_db, ADMIN, dqdata.PREV)
    assert set(previous["rule"]) == {"outlier_mad"} and set(previous["inst_id"]) == {"S6"}
    assert list(quality.warnings(handbuilt_db, ADMIN, dqdata.P, inst_type="preschool")["inst_id"]) == ["K1"]


# ----------------------------------------------------------------------------------------- score
@pytest.mark.parametrize(
    ("status", "loaded", "quarantined", "warnings", "points"),
    [
        ("missing", 0, 0, 0, 0.0),
        ("quarantined", 0, 5, 0, 0.0),
        ("complete", 10, 0, 0, 100.0),
        ("complete", 10, 0, 1, 90.0),
        ("partial", 3, 1, 0, 75.0),
        ("partial", 3, 1, 2, 55.0),
        ("partial", 0, 4, 0, 0.0),  # the latest file failed entirely; older rows are still in core
        ("complete", 10, 0, 12, 0.0),  # never below zero
    ],
)
def test_dataset_score(status, loaded, quarantined, warnings, points):
    assert quality.dataset_score(status, loaded, quarantined, warnings) == pytest.approx(points)


def test_score_bands():
    assert [quality.score_band(s) for s in (100, 90, 89.9, 70, 69.99, 0)] == [
        "good",
        "good",
        "fair",
        "fair",
        "poor",
        "poor",
    ]
    assert quality.institution_score([100.0, 0.0]) == 50.0


def test_scores_of_the_hand_built_institutions(handbuilt_db):
    scores = quality.quality_scores(handbuilt_db, ADMIN, dqdata.P)
    got = dict(zip(scores["inst_id"], scores["score"], strict=True))
    assert got == pytest.approx(dqdata.SCORES)
    assert list(scores["score"]) == sorted(scores["score"]), "worst first"
    s6 = scores[scores["inst_id"] == "S6"].iloc[0]
    assert (s6["ict_warnings"], s6["ict_points"], s6["staff_points"]) == (2, 80.0, 100.0)
    p1 = scores[scores["inst_id"] == "P1"].iloc[0]
    assert (p1["staff_sent"], p1["staff_quarantined"]) == (3, 1)
    assert scores.set_index("inst_id").loc["X1", "band"] == "poor"


# ----------------------------------------------------------------------------------------- quarantine
def test_quarantine_rows_and_supersession(handbuilt_db):
    rows = quality.quarantine_rows(handbuilt_db, ADMIN)
    assert len(rows) == 4
    assert rows.iloc[0]["source_file"] == "kadry_misc.csv", "newest load first"
    superseded = dict(zip(rows["inst_id"], rows["superseded"], strict=True))
    assert superseded == {"ZZZ": False, "Q1": False, "P1": False, "R1": True}
    current = quality.quarantine_rows(handbuilt_db, ADMIN, hide_superseded=True)
    assert set(current["inst_id"]) == {"ZZZ", "Q1", "P1"}
    assert pd_list(quality.quarantine_rows(handbuilt_db, ADMIN, inst_id="Q1")["rule"]) == [
        "learning_le_total"
    ]
    assert pd_list(quality.quarantine_rows(handbuilt_db, ADMIN, dataset="ict")["inst_id"]) == ["Q1"]
    assert pd_list(quality.quarantine_rows(handbuilt_db, ADMIN, rule="age_range")["inst_id"]) == ["P1"]
    assert quality.quarantine_rows(handbuilt_db, ADMIN, period=dqdata.PREV).empty
    assert len(quality.quarantine_rows(handbuilt_db, ADMIN, batch_ids=[dqdata.B_P1, dqdata.B_Q1])) == 2
    unknown = rows[rows["inst_id"] == "ZZZ"].iloc[0]
    assert (
        unknown["short_name"] is None or unknown["short_name"] != unknown["short_name"]
    )  # not in the registry


def pd_list(series):
    return [str(x) for x in series]


@pytest.mark.parametrize("user", [ADMIN, HEAD, METHODIST])
def test_quarantine_is_whole_for_admin_head_methodist(handbuilt_db, user):
    assert len(quality.quarantine_rows(handbuilt_db, user)) == 4
    assert len(quality.quarantine_facets(handbuilt_db, user)) == 4


def test_a_director_sees_only_own_quarantined_rows_whatever_is_asked(handbuilt_db):
    rows = quality.quarantine_rows(handbuilt_db, DIRECTOR_P1)
    assert set(rows["inst_id"]) == {"P1"} and len(rows) == 1
    # asking for another institution gives nothing, not that institution's rows
    assert quality.quarantine_rows(handbuilt_db, DIRECTOR_P1, inst_id="Q1").empty
    assert quality.quarantine_rows(handbuilt_db, DIRECTOR_P1, batch_ids=[dqdata.B_Q1]).empty
    assert set(quality.quarantine_facets(handbuilt_db, DIRECTOR_P1)["inst_id"]) == {"P1"}


def test_upload_errors_withhold_other_institutions_rows_from_a_director(handbuilt_db):
    batches = [dqdata.B_P1, dqdata.B_Q1, dqdata.B_MISC]
    full = quality.upload_errors(handbuilt_db, ADMIN, batches)
    assert len(full) == 3 and full["value"].notna().all() and full["message_ru"].notna().all()
    masked = quality.upload_errors(handbuilt_db, DIRECTOR_P1, batches)
    assert len(masked) == 3, "every quarantined row is still accounted for"
    own = masked[masked["inst_id"] == "P1"].iloc[0]
    assert own["value"] == "01.01.2020" and "kadry_P1.csv" in own["message_ru"]
    others = masked[masked["inst_id"] != "P1"]
    assert others["value"].isna().all() and others["message_ru"].isna().all()
    assert set(others["rule"]) == {"learning_le_total", "unknown_institution"}


def test_load_log_newest_first(handbuilt_db):
    log = quality.load_log(handbuilt_db, HEAD)
    assert list(log["source_file"]) == [
        "kadry_R1_ispr.csv",
        "kadry_misc.csv",
        "ikt_Q1.csv",
        "kadry_P1.csv",
        "kadry_R1.csv",
    ]
    assert (log["rows_read"] == log["rows_loaded"] + log["rows_quarantined"]).all()


def test_upload_limit_follows_the_warehouse_setting(handbuilt_db, tmp_path, monkeypatch):
    assert quality.upload_limit_mb(handbuilt_db) == 200.0
    monkeypatch.setenv("IMC_MAX_FILE_MB", "5")
    assert quality.upload_limit_mb(tmp_path / "nothing.duckdb") == 5.0, "no warehouse yet: current settings"
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(handbuilt_db.read_bytes())
    con = duckdb.connect(str(copy))
    con.execute("UPDATE meta.settings SET value = '12' WHERE key = 'max_file_mb'")
    con.close()
    assert quality.upload_limit_mb(copy) == 12.0

"""The indicator catalogue (warehouse/indicators.yaml) against ../shared/spec/indicators.md."""

from __future__ import annotations

from collections import Counter

from warehouse.catalog import ALL_AREAS, AREAS, catalog_frame, indicator, load_areas, load_catalog

SPEC_CODES = {
    "staff": [
        "STAFF_COUNT", "STAFF_HIGHER_EDU", "STAFF_HIGHER_PED_EDU", "STAFF_CAT_HIGHEST", "STAFF_CAT_FIRST",
        "STAFF_CAT_ANY", "STAFF_TRAINED_3Y", "STAFF_ICT_TRAINED", "STAFF_UNDER_35", "STAFF_55_PLUS",
        "STAFF_MEAN_AGE", "STAFF_EXP_UNDER_5", "STAFF_EXP_OVER_30", "STAFF_YOUNG_SPECIALISTS",
        "STAFF_STUDENTS_PER_PED", "STAFF_ATTESTATION_DUE", "STAFF_TRAINING_DUE", "STAFF_CATEGORY_LAPSED",
        "STAFF_NEEDS_SURVEYED", "STAFF_YOUNG_WITH_MENTOR",
    ],
    "ict": [
        "ICT_PC_LEARNING_PER_100", "ICT_PC_LEARNING_INTERNET_PER_100", "ICT_PC_INTERNET_SHARE",
        "ICT_WORKSTATION_ROOMS", "ICT_INTERACTIVE_PER_100", "ICT_SPEED_TARGET", "ICT_EJOURNAL", "ICT_DISTANCE",
        "ICT_READINESS_INDEX",
    ],
    "innovation": [
        "INNO_SITES", "INNO_ORGS_WITH_SITE", "INNO_PROJECTS", "INNO_EVENTS", "INNO_STAFF_CONTEST_PER_100",
        "INNO_STAFF_CONTEST_WINNERS", "INNO_STUDENT_WINNERS_PER_100", "INNO_PUBLICATIONS",
    ],
    "results": [
        "EGE_PARTICIPANTS", "EGE_MEAN_SCORE", "EGE_HIGH_SCORE", "EGE_100", "GIA11_NOT_PASSED",
        "GIA9_PARTICIPANTS", "GIA9_MEAN_MARK", "GIA9_SUCCESS", "GIA9_QUALITY", "VPR_PARTICIPANTS", "VPR_SUCCESS",
        "VPR_QUALITY", "VPR_CONFIRMED", "VPR_BELOW_JOURNAL", "VPR_ABOVE_JOURNAL", "OLY_SCHOOL_PER_100",
        "OLY_MUNICIPAL_PARTICIPANTS", "OLY_MUNICIPAL_WINNERS", "OLY_MUNICIPAL_EFFECTIVENESS",
        "OLY_REGIONAL_PARTICIPANTS",
    ],
}  # fmt: skip


def test_codes_and_order_follow_the_spec() -> None:
    catalog = load_catalog()
    assert len(catalog) == 57
    assert [i.code for i in catalog] == [c for area in ALL_AREAS for c in SPEC_CODES[area]]
    assert all(i.area == area for area in ALL_AREAS for i in catalog if i.code in SPEC_CODES[area])


def test_units_kinds_and_targets() -> None:
    assert indicator("STAFF_MEAN_AGE").unit == "лет"
    assert indicator("ICT_READINESS_INDEX").unit == "балл"
    assert indicator("ICT_READINESS_INDEX").kind == "index"
    assert indicator("STAFF_STUDENTS_PER_PED").kind == "ratio"
    assert indicator("STAFF_STUDENTS_PER_PED").scale == 1.0
    assert indicator("ICT_PC_LEARNING_PER_100").scale == 100.0
    counts = {i.code for i in load_catalog() if i.kind == "count"}
    assert counts == {
        "STAFF_COUNT", "STAFF_YOUNG_SPECIALISTS", "STAFF_ATTESTATION_DUE", "STAFF_TRAINING_DUE", "INNO_SITES",
        "STAFF_CATEGORY_LAPSED", "INNO_PROJECTS", "INNO_EVENTS", "INNO_STAFF_CONTEST_WINNERS", "INNO_PUBLICATIONS",
        "EGE_PARTICIPANTS", "EGE_100", "GIA9_PARTICIPANTS", "VPR_PARTICIPANTS", "OLY_MUNICIPAL_PARTICIPANTS",
        "OLY_MUNICIPAL_WINNERS", "OLY_REGIONAL_PARTICIPANTS",
    }  # fmt: skip
    assert all(i.unit in ("чел.", "ед.") for i in load_catalog() if i.code in counts)
    assert all(i.unit == "%" for i in load_catalog() if i.kind == "share")
    assert {i.code: i.target for i in load_catalog() if i.target is not None} == {
        "STAFF_TRAINED_3Y": 100.0,
        "ICT_SPEED_TARGET": 100.0,
        "ICT_EJOURNAL": 100.0,
    }
    assert indicator("ICT_EJOURNAL").inst_types == ("school",)
    assert indicator("STAFF_55_PLUS").direction == "down"
    assert indicator("STAFF_TRAINING_DUE").direction == "down"
    assert indicator("STAFF_MEAN_AGE").direction == "none"


def test_three_or_four_key_indicators_per_area() -> None:
    keys = Counter(i.area for i in load_catalog() if i.key)
    assert all(3 <= keys[area] <= 4 for area in ALL_AREAS)


def test_every_text_is_filled_in() -> None:
    for item in load_catalog():
        assert item.name_ru and item.description_ru and item.formula_ru and item.source_ru, item.code


def test_frame_and_areas() -> None:
    frame = catalog_frame()
    assert list(frame["indicator_code"]) == [i.code for i in load_catalog()]
    assert frame.loc[frame["indicator_code"] == "STAFF_COUNT", "area_name_ru"].item() == "Кадры"
    frame.loc[0, "name_ru"] = "changed"  # a copy: the cache is not touched
    assert catalog_frame().loc[0, "name_ru"] != "changed"
    assert [a.code for a in load_areas()] == list(ALL_AREAS)
    assert frame.loc[frame["indicator_code"] == "EGE_100", "area_name_ru"].item() == "Результаты обучения"


def test_results_breakdown_and_directions() -> None:
    """indicators.md, «Results»: the breakdown of every indicator and the directions it lists."""
    breakdowns = {i.code: i.breakdown for i in load_catalog()}
    assert {c for c, b in breakdowns.items() if b == "subject_grade"} == {
        c for c in SPEC_CODES["results"] if c.startswith("VPR_")
    }
    assert all(breakdowns[c] == "subject" for c in SPEC_CODES["results"] if not c.startswith("VPR_"))
    assert all(breakdowns[c] == "none" for area in AREAS for c in SPEC_CODES[area])
    assert catalog_frame()["breakdown"].notna().all()
    downs = {i.code for i in load_catalog() if i.area == "results" and i.direction == "down"}
    assert downs == {"GIA11_NOT_PASSED", "VPR_BELOW_JOURNAL"}
    nones = {i.code for i in load_catalog() if i.area == "results" and i.direction == "none"}
    assert nones == {
        "EGE_PARTICIPANTS", "GIA9_PARTICIPANTS", "VPR_PARTICIPANTS", "OLY_MUNICIPAL_PARTICIPANTS",
        "OLY_REGIONAL_PARTICIPANTS", "VPR_ABOVE_JOURNAL",
    }  # fmt: skip
    assert indicator("EGE_MEAN_SCORE").kind == "ratio" and indicator("EGE_MEAN_SCORE").unit == "балл"
    assert indicator("GIA9_MEAN_MARK").kind == "ratio"
    assert indicator("OLY_SCHOOL_PER_100").kind == "per100"
    assert indicator("OLY_SCHOOL_PER_100").inst_types == ("school",)

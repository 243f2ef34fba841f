"""The bad-input corpus (tests/data/bad_inputs/) and the documented outcome of each file.

Every case loads onto a warehouse that already holds the registry (registry.csv: T1–T4) and checks the
status, the counts (and rows_read = rows_loaded + rows_quarantined, also in dq.load_log), the rules in
dq.quarantine and the exit status of the load.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl.loader import LoadResult, load_files

CORPUS = Path(__file__).resolve().parent.parent / "data" / "bad_inputs"

# file -> (status, rows_read, rows_loaded, rows_quarantined, {(row_number, column, rule)}, exit code)
CASES: dict[str, tuple[str, int, int, int, set[tuple[int, str, str]], int]] = {
    "empty.csv": ("rejected", 0, 0, 0, set(), 2),
    "garbage.xlsx": ("rejected", 0, 0, 0, set(), 2),
    "missing_required_column.csv": ("rejected", 0, 0, 0, set(), 2),
    "unknown_columns.csv": ("loaded", 1, 1, 0, set(), 0),
    "impossible_dates.csv": (
        "partial",
        4,
        1,
        3,
        {
            (2, "birth_date", "format_date"),  # 31.02.1990 does not exist
            (3, "category_date", "date_after_report"),  # 01.10.2025 is after 20.09.2024
            (4, "last_training_date", "date_after_report"),  # 2030-01-01
        },
        1,
    ),
    "out_of_range.csv": (
        "partial",
        4,
        1,
        3,
        {
            (2, "computers_learning", "learning_le_total"),  # 70 teaching PCs of 60
            (3, "students", "students_positive"),  # 0 pupils
            (3, "internet_speed_mbps", "speed_range"),  # 20 000 Mbit/s
            (4, "computers_total", "non_negative"),  # -1
            (4, "computers_learning", "learning_le_total"),  # 0 > -1
            (4, "computers_internet", "internet_le_total"),
            (4, "classrooms_workstation", "workstation_le_classrooms"),  # 12 of 10 rooms
        },
        1,
    ),
    "duplicates.csv": (
        "partial",
        3,
        1,
        2,
        {(2, "staff_id", "duplicate_key"), (3, "staff_id", "duplicate_key")},
        1,
    ),
    "unknown_institutions.csv": (
        "partial",
        3,
        1,
        2,
        {(3, "inst_id", "unknown_institution"), (4, "inst_id", "unknown_institution")},
        1,
    ),
    # results (data contract, datasets 5–7): the cross-field rules of expectations/exam_results.json
    "exam_cross_field.csv": (
        "partial",
        9,
        1,  # row 10: ГВЭ-11 in Russian with a mark
        8,
        {
            (2, "grade", "ege_grade"),  # ЕГЭ in grade 9
            (3, "subject", "oge_gve_subject"),  # profile mathematics in the ОГЭ
            (4, "mark", "mark_range"),  # mark 6
            (5, "score", "score_required"),  # ЕГЭ social studies without a score
            (6, "score", "score_not_applicable"),  # an ОГЭ with a test score
            (7, "mark", "mark_required"),  # base mathematics without a mark
            (8, "mark", "mark_not_applicable"),  # ЕГЭ Russian with a mark
            (9, "subject", "ege_subject"),  # ЕГЭ «математика» without a level
        },
        1,
    ),
    # the same participant twice in one subject (period spelled 2024-2025): both copies go; the physics
    # row of the same participant is another key
    "exam_duplicate_participant.csv": (
        "partial",
        3,
        1,
        2,
        {(2, "participant_id", "duplicate_key"), (3, "participant_id", "duplicate_key")},
        1,
    ),
    "vpr_bad_rows.csv": (
        "partial",
        5,
        1,  # row 6: «окружающий мир», grade 4, no journal mark (optional)
        4,
        {
            (2, "grade", "grade_range"),  # a ВПР in grade 3
            (3, "journal_mark", "mark_range"),  # journal mark 1
            (4, "subject", "allowed_values"),  # base mathematics is not a ВПР subject
            (5, "mark", "required"),  # no ВПР mark
        },
        1,
    ),
    # «Математика », «математика» are one subject: the same participant twice at the school stage is a
    # duplicate; «МАТЕМАТИКА» of another participant and the municipal stage are other keys
    "olympiad_spellings.csv": (
        "partial",
        5,
        2,
        3,
        {
            (2, "participant_id", "duplicate_key"),
            (3, "participant_id", "duplicate_key"),
            (6, "grade", "grade_range"),  # grade 12
        },
        1,
    ),
    # the city's ОГЭ in one Windows-1251 CSV (CRLF, decimal comma): a school missing from the registry
    "exam_oge_cp1251.csv": ("partial", 4, 3, 1, {(5, "inst_id", "unknown_institution")}, 1),
    # a РЦОИ protocol: one ЕГЭ subject, three title rows above the header, a name column (ignored)
    "exam_ege_protocol.xlsx": ("loaded", 3, 3, 0, set(), 0),
}


@pytest.fixture()
def seeded(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    result = load_files([CORPUS / "registry.csv"], db)
    assert result.exit_code == 0
    assert result.files[0].rows_loaded == 4
    return db


def _check_accounting(db: Path, result: LoadResult) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        for f in result.files:
            assert f.rows_read == f.rows_loaded + f.rows_quarantined
            row = con.execute(
                "SELECT status, rows_read, rows_loaded, rows_quarantined FROM dq.load_log WHERE batch_id = ?",
                [f.batch_id],
            ).fetchone()
            assert row == (f.status, f.rows_read, f.rows_loaded, f.rows_quarantined)
            assert row[1] == row[2] + row[3]


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_outcome(seeded: Path, name: str) -> None:
    status, read, loaded, quarantined, issues, exit_code = CASES[name]
    result = load_files([CORPUS / name], seeded)
    f = result.files[0]
    assert (f.status, f.rows_read, f.rows_loaded, f.rows_quarantined) == (status, read, loaded, quarantined)
    assert result.exit_code == exit_code
    assert f.message_ru  # every outcome is explained in Russian
    _check_accounting(seeded, result)
    with duckdb.connect(str(seeded), read_only=True) as con:
        rows = con.execute(
            "SELECT row_number, column_name, rule, message_ru, source_file FROM dq.quarantine WHERE batch_id = ?",
            [f.batch_id],
        ).fetchall()
    assert {(r[0], r[1], r[2]) for r in rows} == issues
    for r in rows:
        # the message names the file, the row and the column as the user sees them
        assert f"«{name}»" in r[3] and f"строка {r[0]}" in r[3] and "столбец «" in r[3]
        assert r[4] == name


def test_rejections_explain_why(seeded: Path) -> None:
    result = load_files(
        [CORPUS / "empty.csv", CORPUS / "garbage.xlsx", CORPUS / "missing_required_column.csv"], seeded
    )
    messages = {f.source_file: f.message_ru for f in result.files}
    assert "пуст" in messages["empty.csv"]
    assert "Excel" in messages["garbage.xlsx"]
    assert "«Дата рождения»" in messages["missing_required_column.csv"]
    assert result.exit_code == 2


def test_unknown_columns_are_a_notice(seeded: Path) -> None:
    f = load_files([CORPUS / "unknown_columns.csv"], seeded).files[0]
    assert "«Телефон»" in f.message_ru and "«Директор»" in f.message_ru
    with duckdb.connect(str(seeded), read_only=True) as con:
        assert con.execute("SELECT short_name FROM core.institutions WHERE inst_id = 'T9'").fetchone() == (
            "МОБУ «СОШ № 9»",  # short name defaults to the full name
        )


def test_results_files_are_read_as_handed_out(seeded: Path) -> None:
    """The РЦОИ XLSX protocol (title rows, a name column) and the Windows-1251 ОГЭ CSV load as data."""
    protocol = load_files([CORPUS / "exam_ege_protocol.xlsx"], seeded).files[0]
    assert protocol.dataset == "exam_results"
    assert "«ФИО участника»" in protocol.message_ru  # the name column is reported as ignored
    oge = load_files([CORPUS / "exam_oge_cp1251.csv"], seeded).files[0]
    assert oge.dataset == "exam_results"
    with duckdb.connect(str(seeded), read_only=True) as con:
        rows = con.execute(
            "SELECT inst_id, exam, grade, subject, participant_id, primary_score, score, mark "
            "FROM core.exam_results ORDER BY participant_id"
        ).fetchall()
        assert rows == [
            ("T1", "oge", 9, "russian", "1001", 25.5, None, 4),
            ("T1", "oge", 9, "russian", "1002", 12.0, None, 2),
            ("T4", "gve", 9, "russian", "1003", None, None, 3),
            ("T1", "ege", 11, "russian", "X001", 40.0, 24, None),
            ("T1", "ege", 11, "russian", "X002", 10.0, 23, None),
            ("T4", "ege", 11, "russian", "X003", 55.0, 100, None),
        ]
        # the participants' names are stored nowhere: not in core, not in the quarantine, not in the log
        columns = {r[0] for r in con.execute("DESCRIBE core.exam_results").fetchall()}
        assert not any("name" in c for c in columns)
        for table in ("dq.quarantine", "dq.load_log"):
            text = con.execute(f"SELECT string_agg(CAST(COLUMNS(*) AS VARCHAR), ' ') FROM {table}").fetchall()
            assert "Иванов" not in str(text) and "Петрова" not in str(text)


def test_same_file_twice_changes_nothing(seeded: Path) -> None:
    first = load_files([CORPUS / "impossible_dates.csv"], seeded)
    with duckdb.connect(str(seeded), read_only=True) as con:
        before = con.execute("SELECT count(*) FROM core.staff").fetchone()
        quarantined_before = con.execute("SELECT count(*) FROM dq.quarantine").fetchone()
    second = load_files([CORPUS / "impossible_dates.csv"], seeded)
    f = second.files[0]
    assert f.status == "duplicate" and "уже был загружен" in f.message_ru
    assert second.exit_code == 0
    assert f.sha256 == first.files[0].sha256
    with duckdb.connect(str(seeded), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core.staff").fetchone() == before
        assert con.execute("SELECT count(*) FROM dq.quarantine").fetchone() == quarantined_before
        assert con.execute("SELECT count(*) FROM dq.load_log WHERE status = 'duplicate'").fetchone() == (1,)
    # a renamed copy of the same bytes is the same file
    copy = seeded.parent / "copy.csv"
    shutil.copy(CORPUS / "impossible_dates.csv", copy)
    assert load_files([copy], seeded).files[0].status == "duplicate"
    # --force loads it again, replacing the same rows
    forced = load_files([copy], seeded, force=True)
    assert forced.files[0].status == "partial"
    with duckdb.connect(str(seeded), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core.staff").fetchone() == before


def test_corrected_resubmission_replaces_rows(seeded: Path) -> None:
    v1 = load_files([CORPUS / "resubmission_v1.csv"], seeded).files[0]
    assert (v1.rows_loaded, v1.rows_quarantined) == (1, 2)
    with duckdb.connect(str(seeded), read_only=True) as con:
        rules = con.execute(
            "SELECT row_number, rule FROM dq.quarantine WHERE batch_id = ? ORDER BY 1", [v1.batch_id]
        ).fetchall()
        assert rules == [(3, "experience_vs_age"), (4, "allowed_values")]
    v2 = load_files([CORPUS / "resubmission_v2.csv"], seeded).files[0]  # Windows-1251
    assert (v2.status, v2.rows_loaded, v2.rows_quarantined) == ("loaded", 3, 0)
    with duckdb.connect(str(seeded), read_only=True) as con:
        rows = con.execute(
            "SELECT staff_id, position, ped_experience_years FROM core.staff "
            "WHERE inst_id = 'T1' AND period = '2024/2025' ORDER BY staff_id"
        ).fetchall()
        assert rows == [("1", "teacher", 10.0), ("2", "teacher", 14.0), ("3", "deputy_head", 10.0)]
        # the mart follows: two pedagogical workers (the deputy head is administrative staff)
        count = con.execute(
            "SELECT value FROM mart.indicator_values WHERE level = 'institution' AND inst_id = 'T1' "
            "AND period = '2024/2025' AND indicator_code = 'STAFF_COUNT'"
        ).fetchone()
        assert count == (2.0,)


def test_a_correction_rebuilds_only_its_period_and_equals_a_full_build(seeded: Path, monkeypatch) -> None:
    import warehouse.build as build
    from warehouse.db import write_transaction

    real = build.build_marts
    calls: list[set[str] | None] = []

    def spy(con, periods=None):  # type: ignore[no-untyped-def]
        calls.append(None if periods is None else set(periods))
        real(con, periods)

    monkeypatch.setattr(build, "build_marts", spy)
    load_files([CORPUS / "resubmission_v1.csv"], seeded)
    load_files([CORPUS / "resubmission_v2.csv"], seeded)
    load_files([CORPUS / "resubmission_v2.csv"], seeded)  # the same file again: nothing written
    load_files([CORPUS / "registry.csv"], seeded, force=True)  # the registry feeds every period
    assert calls == [{"2024/2025"}, {"2024/2025"}, set(), None]

    mart = "SELECT * EXCLUDE (numerator, denominator, value), round(value, 6) FROM mart.indicator_values ORDER BY ALL"
    load_files([CORPUS / "resubmission_v1.csv"], seeded, force=True)
    with duckdb.connect(str(seeded), read_only=True) as con:
        partial = con.execute(mart).fetchall()
    with write_transaction(seeded) as con:
        real(con)
    with duckdb.connect(str(seeded), read_only=True) as con:
        assert con.execute(mart).fetchall() == partial
    assert partial, "the mart has rows to compare"


def test_institution_with_no_passing_rows_keeps_previous_rows(seeded: Path) -> None:
    load_files([CORPUS / "resubmission_v2.csv"], seeded)
    # a later file for T1 whose only row fails keeps T1's previous three rows
    bad = seeded.parent / "bad.csv"
    lines = (CORPUS / "duplicates.csv").read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")  # two copies of one key
    result = load_files([bad], seeded)
    assert result.files[0].rows_loaded == 0 and result.exit_code == 2
    with duckdb.connect(str(seeded), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core.staff WHERE inst_id = 'T1'").fetchone() == (3,)


def test_folder_loads_registry_first(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # named so that the staff file sorts first
    shutil.copy(CORPUS / "resubmission_v2.csv", folder / "a_staff.csv")
    shutil.copy(CORPUS / "registry.csv", folder / "z_registry.csv")
    from etl.loader import expand_paths

    result = load_files(expand_paths([folder]), tmp_path / "w.duckdb")
    assert [f.source_file for f in result.files] == ["z_registry.csv", "a_staff.csv"]
    assert result.exit_code == 0
    _check_accounting(tmp_path / "w.duckdb", result)


def test_director_cannot_load_other_institutions(seeded: Path) -> None:
    result = load_files([CORPUS / "out_of_range.csv"], seeded, allowed_inst_ids={"T4"})
    f = result.files[0]
    assert (f.rows_loaded, f.rows_quarantined) == (1, 3)
    with duckdb.connect(str(seeded), read_only=True) as con:
        assert con.execute("SELECT inst_id FROM core.ict").fetchall() == [("T4",)]
        foreign = con.execute(
            "SELECT count(*) FROM dq.quarantine WHERE batch_id = ? AND rule = 'foreign_institution'",
            [f.batch_id],
        ).fetchone()
        assert foreign == (3,)


@pytest.mark.parametrize("name", ["out_of_range.csv", "impossible_dates.csv", "duplicates.csv"])
def test_one_run_and_narrow_groups_find_the_same_rows(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small files are validated in one GX run, large ones in narrow per-column groups: same failures."""
    from etl import validate
    from etl.normalize import normalize
    from etl.readers import read_file

    path = CORPUS / name
    raw = read_file(path, path.read_bytes())
    typed, _ = normalize(raw)

    def failures() -> set[tuple[str, str, tuple[int, ...]]]:
        found = validate.run_suite(raw.dataset, typed)
        return {(f.rule, f.column, tuple(int(p) for p in f.positions)) for f in found}

    one_run = failures()
    monkeypatch.setattr(validate, "NARROW_FROM_ROWS", 0)
    assert failures() == one_run
    if name != "duplicates.csv":  # duplicates are a rule of etl/rules.py, not of the suite
        assert one_run, "the file has rows that break the suite"

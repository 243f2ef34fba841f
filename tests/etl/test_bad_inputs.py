"""The bad-input corpus (tests/data/bad_inputs/) and the documented outcome of each file.

Every case loads onto a warehouse that already holds the registry (registry.csv: T1–T4) and checks the
status, the counts (and rows_read = rows_loaded + rows_quarantined, also in dq.load_log), the rules in
dq.quarantine and the exit status of the load.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pandas as pd
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
    # a group header «Категория» over «Дата присвоения» / «Действует до»: the two rows are read together, the
    # data starts in row 3 and no category date is lost
    "two_row_header.csv": ("loaded", 3, 3, 0, set(), 0),
    "two_row_header.xlsx": ("loaded", 3, 3, 0, set(), 0),  # the same with merged cells
    # «2019» and «1980» are years, not Excel serials (1905-07-11 and 1905-06-02): refused as dates
    "bare_year.csv": (
        "partial",
        3,
        1,
        2,
        {(2, "category_date", "format_date_year"), (3, "birth_date", "format_date_year")},
        1,
    ),
    # «Код организации» twice, T1 and T2 in row 3: the file is refused naming the column
    "duplicate_column_conflict.csv": ("rejected", 0, 0, 0, set(), 2),
    "duplicate_column_agree.csv": ("loaded", 2, 2, 0, set(), 0),  # «ФИО» twice, the same names
    # a NUL inside a name (removed, with a notice) and a zero-width space inside a code (refused, shown)
    "invisible_characters.csv": ("partial", 3, 2, 1, {(3, "inst_id", "unknown_institution")}, 1),
    "thin_spaces.csv": ("loaded", 2, 2, 0, set(), 0),  # «1 200» with U+2009, «1 050» with U+202F
    "numeric_staff_ids.xlsx": ("loaded", 3, 3, 0, set(), 0),  # 50 and 7 formatted «00000», 123 not
    "wrong_sheet.xlsx": ("rejected", 0, 0, 0, set(), 2),  # the data is on the second sheet
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

    def spy(con, periods=None, *rest):  # type: ignore[no-untyped-def]
        calls.append(None if periods is None else set(periods))
        real(con, periods, *rest)

    monkeypatch.setattr(build, "build_marts", spy)
    load_files([CORPUS / "resubmission_v1.csv"], seeded)
    load_files([CORPUS / "resubmission_v2.csv"], seeded)
    load_files([CORPUS / "resubmission_v2.csv"], seeded)  # the same file again: nothing written, no marts
    load_files([CORPUS / "registry.csv"], seeded, force=True)  # the registry feeds every period
    assert calls == [{"2024/2025"}, {"2024/2025"}, None]

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


def _rows(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.mark.parametrize("name", ["two_row_header.csv", "two_row_header.xlsx"])
def test_two_row_header_keeps_both_date_columns(seeded: Path, name: str) -> None:
    f = load_files([CORPUS / name], seeded).files[0]
    assert "Заголовок занимает две строки (1 и 2)" in f.message_ru
    assert "«Категория / Дата присвоения» — «Дата присвоения категории»" in f.message_ru
    assert "Неизвестные столбцы" not in f.message_ru
    staff = _rows(
        seeded,
        "SELECT staff_id, category, category_date, category_valid_until, category_valid_until_given "
        "FROM core.staff ORDER BY staff_id",
    )
    assert staff == [
        ("1", "highest", dt.date(2023, 10, 1), dt.date(2028, 10, 1), True),
        # not given: five years from the date (categories granted before 1 September 2023 have a term)
        ("2", "first", dt.date(2022, 3, 15), dt.date(2027, 3, 15), False),
        ("3", "first", dt.date(2021, 12, 1), dt.date(2026, 12, 1), False),
    ]


def test_a_sub_header_that_names_nothing_is_not_data(seeded: Path, tmp_path: Path) -> None:
    """A second header row whose cells are not columns of the contract: its columns are named in the notice
    (not silently dropped) and the row is not quarantined as data."""
    lines = (CORPUS / "two_row_header.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Дата присвоения", "Когда").replace("Действует до", "Срок")
    path = tmp_path / "odd_sub_header.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    f = load_files([path], seeded).files[0]
    # three data rows (row 2 is not one of them); their category dates are in columns the loader cannot name,
    # so the categories lack dates, and the user is told which columns were left out
    assert (f.rows_read, f.rows_loaded, f.rows_quarantined) == (3, 0, 3)
    rules = _rows(
        seeded, "SELECT row_number, rule FROM dq.quarantine WHERE batch_id = ? ORDER BY 1", [f.batch_id]
    )
    assert rules == [
        (3, "category_date_required"),
        (4, "category_date_required"),
        (5, "category_date_required"),
    ]
    assert "Неизвестные столбцы пропущены: «Категория / Когда», «Категория / Срок»." in f.message_ru
    assert "подзаголовки не распознаны" in f.message_ru


def test_a_column_without_header_but_with_values_is_reported(seeded: Path, tmp_path: Path) -> None:
    lines = (CORPUS / "resubmission_v2.csv").read_bytes().decode("cp1251").splitlines()
    path = tmp_path / "unnamed.csv"
    path.write_text(
        "\n".join([lines[0] + ";", *(line + ";x" for line in lines[1:])]) + "\n", encoding="utf-8"
    )
    f = load_files([path], seeded).files[0]
    assert f.status == "loaded"
    assert "Столбец S без заголовка содержит значения (3) и пропущен" in f.message_ru


def test_a_bare_year_asks_for_the_full_date(seeded: Path) -> None:
    f = load_files([CORPUS / "bare_year.csv"], seeded).files[0]
    messages = dict(
        _rows(seeded, "SELECT column_name, message_ru FROM dq.quarantine WHERE batch_id = ?", [f.batch_id])
    )
    assert messages["category_date"].endswith(
        "значение «2019» — указан только год, а нужна полная дата (ДД.ММ.ГГГГ, например 01.09.2019)."
    )
    assert "«1980» — указан только год" in messages["birth_date"]
    assert "возраст" not in messages["birth_date"].lower()
    # an Excel serial in the plausible range is still a date: 45000 is 15.03.2023
    from etl.normalize import _dates

    parsed = _dates(pd.Series(["45000", "2019", "1980", "20.09.2024"], dtype="str"))
    assert parsed.tolist()[0] == pd.Timestamp("2023-03-15") and parsed.isna().tolist() == [
        False,
        True,
        True,
        False,
    ]


def test_a_column_given_twice(seeded: Path) -> None:
    conflict = load_files([CORPUS / "duplicate_column_conflict.csv"], seeded).files[0]
    assert conflict.message_ru.startswith(
        "Столбец «Код организации» указан в файле 2 раза, и значения в копиях расходятся (строк с расхождением: "
        "1; первая — строка 3: «T1» и «T2»)."
    )
    agree = load_files([CORPUS / "duplicate_column_agree.csv"], seeded).files[0]
    assert "Столбец «ФИО» указан 2 раза; значения в копиях совпадают, прочитан один." in agree.message_ru
    assert "Неизвестные столбцы" not in agree.message_ru


def test_invisible_characters(seeded: Path) -> None:
    f = load_files([CORPUS / "invisible_characters.csv"], seeded).files[0]
    assert "Из значений удалены нулевые символы (NUL, 1)" in f.message_ru
    assert _rows(seeded, "SELECT full_name FROM core.staff ORDER BY staff_id") == [
        ("Иванова Анна",),
        ("Титов Олег",),
    ]
    [(value, message)] = _rows(
        seeded, "SELECT value, message_ru FROM dq.quarantine WHERE batch_id = ?", [f.batch_id]
    )
    assert value == "T\u200b1"  # stored as written
    assert "значение «T‹U+200B›1»" in message  # shown so that the user sees what is wrong


def test_thin_spaces_separate_thousands(seeded: Path) -> None:
    load_files([CORPUS / "thin_spaces.csv"], seeded)
    assert _rows(seeded, "SELECT inst_id, students FROM core.ict ORDER BY inst_id") == [
        ("T1", 1200),
        ("T4", 1050),
    ]


def test_numeric_staff_ids_keep_their_zero_format(seeded: Path) -> None:
    f = load_files([CORPUS / "numeric_staff_ids.xlsx"], seeded).files[0]
    assert _rows(seeded, "SELECT staff_id FROM core.staff ORDER BY staff_id") == [
        ("00007",),
        ("00050",),
        ("123",),
    ]
    # the one number without a zero format: the user is told its zeros may be lost
    assert "В столбце «Табельный номер» есть значения, записанные в Excel числом (1)" in f.message_ru


def test_wrong_sheet_names_the_sheets(seeded: Path) -> None:
    f = load_files([CORPUS / "wrong_sheet.xlsx"], seeded).files[0]
    assert f.message_ru.endswith("Прочитан лист «Пояснения»; листы книги: «Пояснения», «Данные».")


def test_a_sheet_named_in_russian_cut_to_excel_limit_is_found(tmp_path: Path) -> None:
    """Excel cuts a sheet name to 31 characters: «Сведения о педагогических работниках» (36) becomes
    «Сведения о педагогических работ», and that sheet is still the staff sheet."""
    import openpyxl

    from etl.readers import read_file
    from etl.templates import INSTRUCTION_SHEET, LISTS_SHEET

    wb = openpyxl.Workbook()
    wb.active.title = "Пояснения"
    ws = wb.create_sheet("Сведения о педагогических работниках"[:31])
    header, row = (CORPUS / "duplicates.csv").read_text(encoding="utf-8").splitlines()[:2]
    ws.append(header.split(";"))
    ws.append(row.split(";"))
    wb.save(tmp_path / "book.xlsx")
    raw = read_file(tmp_path / "book.xlsx", (tmp_path / "book.xlsx").read_bytes())
    assert (raw.dataset, raw.sheet, len(raw.frame)) == ("staff", "Сведения о педагогических работ", 1)
    # the templates' own sheets (the data sheet is named after the dataset) fit Excel's limit
    from etl.contract import DATASETS

    assert max(len(n) for n in [INSTRUCTION_SHEET, LISTS_SHEET, *DATASETS]) <= 31


def test_two_files_for_one_institution_in_one_load(seeded: Path) -> None:
    """v1 and v2 for T1, 2024/2025 in one command: v2 (the later one) stays; v1's log row keeps its own outcome
    (a status of interfaces.md; rows read = loaded + quarantined) and its message says v2 replaced its rows."""
    result = load_files([CORPUS / "resubmission_v1.csv", CORPUS / "resubmission_v2.csv"], seeded)
    v1, v2 = result.files
    assert (v1.status, v1.rows_read, v1.rows_loaded, v1.rows_quarantined, v1.rows_replaced) == (
        "partial",
        3,
        1,
        2,
        1,
    )
    assert v1.rows_read == v1.rows_loaded + v1.rows_quarantined
    assert (v2.status, v2.rows_loaded) == ("loaded", 3)
    assert "заменены файлом «resubmission_v2.csv» этой же загрузки" in v1.message_ru
    assert "Заменяет строки файла «resubmission_v1.csv» этой же загрузки" in v2.message_ru
    log = _rows(
        seeded,
        "SELECT source_file, status, rows_read, rows_loaded, rows_quarantined, message_ru FROM dq.load_log "
        "WHERE batch_id IN (?, ?) ORDER BY batch_id",
        [v1.batch_id, v2.batch_id],
    )
    assert [r[:5] for r in log] == [
        ("resubmission_v1.csv", "partial", 3, 1, 2),
        ("resubmission_v2.csv", "loaded", 3, 3, 0),
    ]
    assert log[0][5] == v1.message_ru and log[1][5] == v2.message_ru
    assert _rows(seeded, "SELECT count(*), max(ped_experience_years) FROM core.staff") == [(3, 14.0)]
    # the summary names both
    import io

    from etl.summary import print_summary

    text = io.StringIO()
    print_summary(result, text)
    assert "заменены файлом «resubmission_v2.csv» этой же загрузки" in text.getvalue()
    assert "Заменяет строки файла «resubmission_v1.csv»" in text.getvalue()
    # the totals count the rows in the warehouse: v2's three (v1's one loaded row was replaced by v2)
    assert "загружено строк: 3;" in text.getvalue()
    # later by name, whatever the order given: the same outcome when v2 is named first
    again = load_files([CORPUS / "resubmission_v2.csv", CORPUS / "resubmission_v1.csv"], seeded, force=True)
    assert [(f.source_file, f.status) for f in again.files] == [
        ("resubmission_v1.csv", "partial"),
        ("resubmission_v2.csv", "loaded"),
    ]
    assert _rows(seeded, "SELECT count(*) FROM core.staff") == [(3,)]


def test_a_later_file_replacing_part_of_an_earlier_one(seeded: Path, tmp_path: Path) -> None:
    """a.csv holds T1 and T2, b.csv (later by name) T1 only: a.csv keeps its T2 row as loaded, and says that
    its T1 rows were replaced by b.csv."""
    lines = (CORPUS / "duplicates.csv").read_text(encoding="utf-8").splitlines()
    t1, t2 = lines[1], lines[3].replace(";T1;", ";T2;")
    (tmp_path / "a.csv").write_text("\n".join([lines[0], t1, t2]) + "\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("\n".join([lines[0], lines[3]]) + "\n", encoding="utf-8")
    a, b = load_files([tmp_path / "b.csv", tmp_path / "a.csv"], seeded).files
    assert (a.source_file, a.status, a.rows_read, a.rows_loaded, a.rows_replaced) == (
        "a.csv",
        "loaded",
        2,
        2,
        1,
    )
    assert a.message_ru.endswith(
        "Заменено строк: 1 — файлом «b.csv» этой же загрузки (та же организация и учебный год)."
    )
    assert (b.status, b.rows_loaded) == ("loaded", 1)
    assert _rows(seeded, "SELECT inst_id, staff_id FROM core.staff ORDER BY 1") == [("T1", "2"), ("T2", "2")]
    log = _rows(
        seeded, "SELECT status, rows_loaded, message_ru FROM dq.load_log WHERE batch_id = ?", [a.batch_id]
    )
    assert log == [("loaded", 2, a.message_ru)]


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


def test_a_directors_file_of_another_institution_is_refused_as_a_file(seeded: Path, tmp_path: Path) -> None:
    """out_of_range.csv without T4's row holds only T1–T3: for T4's director nothing could be loaded, so the
    file is refused whole (status rejected, the reason in the log) — not «partial» with 0 loaded — and its
    rows are not validated or quarantined one by one."""
    lines = (CORPUS / "out_of_range.csv").read_text(encoding="utf-8").splitlines()
    foreign = tmp_path / "chuzhoi.csv"
    foreign.write_text("\n".join(line for line in lines if ";T4;" not in line) + "\n", encoding="utf-8")
    result = load_files([foreign], seeded, allowed_inst_ids={"T4"})
    f = result.files[0]
    assert (f.status, f.rows_loaded, f.rows_quarantined) == ("rejected", 0, 0)
    assert f.message_ru == (
        "Файл отклонён: в нём нет строк вашей организации (T4) — только строки других организаций "
        "(T1, T2, T3). Вы можете загружать данные только своей организации."
    )
    assert result.exit_code == 2
    with duckdb.connect(str(seeded), read_only=True) as con:
        logged = con.execute(
            "SELECT status, rows_loaded, message_ru FROM dq.load_log WHERE batch_id = ?", [f.batch_id]
        ).fetchone()
        assert logged == ("rejected", 0, f.message_ru)
        assert con.execute("SELECT count(*) FROM dq.quarantine").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM core.ict").fetchone() == (0,)


def test_a_repeated_file_says_what_its_earlier_load_quarantined(seeded: Path) -> None:
    first = load_files([CORPUS / "out_of_range.csv"], seeded).files[0]
    assert (first.rows_loaded, first.rows_quarantined) == (1, 3)
    again = load_files([CORPUS / "out_of_range.csv"], seeded).files[0]
    assert (again.status, again.rows_loaded, again.rows_quarantined) == ("duplicate", 0, 0)
    assert again.previous_quarantined == 3
    assert again.message_ru.endswith(" Тогда загружено строк: 1; в карантине: 3.")

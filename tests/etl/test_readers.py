"""Readers and the normaliser: every input format the data contract promises."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from etl.normalize import normalize, normalize_period_text
from etl.readers import FileRejected, read_file
from tests.etl.helpers import (
    ICT_HEADER,
    INSTITUTIONS_HEADER,
    STAFF_HEADER,
    institution_row,
    staff_row,
    write_csv,
    write_xlsx,
)


def _read(path: Path, dataset: str | None = None):
    return read_file(path, path.read_bytes(), dataset)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("sep", [";", ","])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, sep: str) -> None:
    path = write_csv(
        tmp_path / "inst.csv", INSTITUTIONS_HEADER, [institution_row("S1")], encoding=encoding, sep=sep
    )
    raw = _read(path)
    assert raw.dataset == "institutions"
    assert raw.delimiter == sep
    assert raw.frame.loc[0, "municipality"] == "г. Тестовск"
    assert raw.frame.loc[0, "inst_type"] == "общеобразовательная"
    assert raw.encoding == ("cp1251" if encoding == "cp1251" else encoding)


def test_csv_title_rows_give_excel_row_numbers(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "staff.csv",
        STAFF_HEADER,
        [staff_row("S1", "1"), staff_row("S1", "2")],
        title_rows=["Сведения о педагогических работниках МОБУ «СОШ № 3»", ""],
    )
    raw = _read(path)
    assert raw.dataset == "staff"
    # two title rows, the header on row 3, data on rows 4 and 5
    assert raw.row_numbers.tolist() == [4, 5]


def test_headers_canonical_any_order_and_case(tmp_path: Path) -> None:
    header = ["  LOCALITY ", "Inst_ID", "name", "MUNICIPALITY", "inst_type", "Лишний столбец"]
    path = write_csv(tmp_path / "i.csv", header, [["село", "R1", "Школа", "Район", "school", "x"]], sep=",")
    raw = _read(path)
    assert raw.dataset == "institutions"
    assert raw.frame.loc[0, "inst_id"] == "R1"
    assert raw.frame.loc[0, "locality"] == "село"
    assert raw.unknown_columns == ["Лишний столбец"]


def test_xlsx_with_title_rows_and_real_date_cells(tmp_path: Path) -> None:
    row = staff_row("S1", "7")
    row[7] = dt.datetime(1980, 3, 15)  # a real Excel date cell
    row[15] = 20.5  # a number cell
    path = write_xlsx(tmp_path / "staff.xlsx", STAFF_HEADER, [row], title_rows=["Сведения", "МОБУ СОШ № 1"])
    raw = _read(path)
    assert raw.row_numbers.tolist() == [4]
    typed, issues = normalize(raw)
    assert issues == []
    assert typed.loc[0, "birth_date"] == pd.Timestamp("1980-03-15")
    assert typed.loc[0, "ped_experience_years"] == 20.5


def test_normaliser_values(tmp_path: Path) -> None:
    rows = [
        staff_row("S1", "1", period="2024-2025", ped="12,5", category="Высшая"),
        staff_row(
            "S1",
            "2",
            period="2024/25",
            position="Педагог-психолог",
            category="соответствие занимаемой должности",
        ),
        staff_row("S1", "3", birth="1985-01-31", employment="внешнее совместительство", category="first"),
    ]
    rows[2][9] = "нет"
    rows[1][14] = "+"
    raw = _read(write_csv(tmp_path / "s.csv", STAFF_HEADER, rows))
    typed, issues = normalize(raw)
    assert issues == []
    assert typed["period"].tolist() == ["2024/2025"] * 3
    assert typed["ped_experience_years"].tolist() == [12.5, 20.0, 20.0]
    assert typed["category"].tolist() == ["highest", "compliance", "first"]
    assert typed["position"].tolist() == ["teacher", "psychologist", "teacher"]
    assert typed["employment"].tolist() == ["main", "main", "external"]
    assert typed["pedagogical_education"].tolist() == [True, True, False]
    assert typed["ict_training"].tolist() == [True, True, True]
    assert typed.loc[2, "birth_date"] == pd.Timestamp("1985-01-31")
    # age at 20.09.2024, birthday-based
    assert typed["_age"].tolist() == [44, 44, 39]


def test_category_validity_derived() -> None:
    # pre-01.09.2023 highest: +5 years; post: indefinite; explicit date kept
    from etl.readers import RawTable

    frame = pd.DataFrame(
        [
            staff_row("S1", "1", category="высшая", category_date="10.10.2020"),
            staff_row("S1", "2", category="первая", category_date="01.09.2023"),
            staff_row("S1", "3", category="высшая", category_date="10.10.2020", valid_until="01.01.2030"),
            staff_row("S1", "4", category="педагог-наставник", category_date="10.10.2020"),
        ],
        columns=[
            "period", "inst_id", "staff_id", "full_name", "position", "employment", "gender", "birth_date",
            "education_level", "pedagogical_education", "category", "category_date", "category_valid_until",
            "last_training_date", "ict_training", "ped_experience_years", "total_experience_years", "subject",
            "mentor_staff_id",
        ],
    ).astype("str")  # fmt: skip
    raw = RawTable("x.csv", "staff", frame, pd.Series(range(2, 6)), {})
    typed, _ = normalize(raw)
    assert typed.loc[0, "category_valid_until"] == pd.Timestamp("2025-10-10")
    assert pd.isna(typed.loc[1, "category_valid_until"])
    assert typed.loc[2, "category_valid_until"] == pd.Timestamp("2030-01-01")
    assert pd.isna(typed.loc[3, "category_valid_until"])
    assert typed["category_valid_until_given"].tolist() == [False, False, True, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024/2025", "2024/2025"),
        ("2024-2025", "2024/2025"),
        ("2024/25", "2024/2025"),
        ("2099-00", "2099/2100"),
        (" 2024 – 2025 ", "2024/2025"),
        ("2024/2026", None),
        ("2024", None),
        ("двадцать четвёртый", None),
    ],
)
def test_periods(text: str, expected: str | None) -> None:
    assert normalize_period_text(text) == expected


def test_parse_errors_are_reported_not_raised(tmp_path: Path) -> None:
    ict_like = ["2024/2025", "S1", "много", "10", "5", "5", "5", "3", "2", "1", "50,5", "может быть", "нет"]
    raw = _read(
        write_csv(tmp_path / "ict.csv", ICT_HEADER, [ict_like, ict_like[:2] + ["12,5"] + ict_like[3:]])
    )
    typed, issues = normalize(raw)
    found = {(i.column, i.rule, tuple(i.index)) for i in issues}
    assert ("students", "format_integer", (0, 1)) in found
    assert ("e_journal", "format_bool", (0, 1)) in found
    assert typed.loc[0, "internet_speed_mbps"] == 50.5


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.csv", b"", "пуст"),
        ("blank.csv", b"\r\n\r\n   \r\n", "пуст"),
        ("garbage.xlsx", bytes(range(256)) * 8, "Excel"),
        ("garbage.csv", b"\x00\x01\x02\xff" * 100, "кодировку"),
        ("old.xls", b"\xd0\xcf\x11\xe0", ".xls"),
        ("photo.jpg", b"\xff\xd8\xff", "не поддерживается"),
        ("header_only.csv", ";".join(INSTITUTIONS_HEADER).encode(), "нет ни одной строки"),
        ("nothing.csv", "Просто;какая-то;таблица\n1;2;3\n".encode(), "строка заголовков"),
    ],
)
def test_file_level_rejections(tmp_path: Path, name: str, content: bytes, fragment: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileRejected) as err:
        _read(path)
    assert fragment in err.value.message_ru


def test_missing_required_column_names_it(tmp_path: Path) -> None:
    header = [h for h in STAFF_HEADER if h != "Дата рождения"]
    path = write_csv(tmp_path / "s.csv", header, [["x"] * len(header)])
    with pytest.raises(FileRejected) as err:
        _read(path)
    assert "«Дата рождения»" in err.value.message_ru
    assert "Сведения о педагогических работниках" in err.value.message_ru


def test_forced_dataset(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "i.csv", INSTITUTIONS_HEADER, [institution_row("S1")])
    assert _read(path, "institutions").dataset == "institutions"
    with pytest.raises(FileRejected):
        _read(path, "ict")


def test_windows_1251_after_a_long_ascii_head(tmp_path: Path) -> None:
    """The encoding is guessed from the head; a Windows-1251 name far below must still be read right."""
    from etl.contract import STAFF as staff_dataset

    header = staff_dataset.column_names  # canonical (ASCII) headers
    ascii_row = staff_row(
        "S1", "0", name="Ivanova Maria", position="teacher", employment="main", category="highest"
    )
    ascii_row[6], ascii_row[8], ascii_row[9], ascii_row[14], ascii_row[17] = (
        "M",
        "higher",
        "true",
        "1",
        "Math",
    )
    rows = [[*ascii_row[:2], str(i), *ascii_row[3:]] for i in range(6000)]
    rows.append(staff_row("S1", "last", name="Сидорова Анна"))
    path = write_csv(tmp_path / "staff.csv", header, rows, encoding="cp1251")
    assert path.stat().st_size > 400_000 and path.read_bytes()[:262_144].isascii()
    raw = _read(path)
    assert len(raw.frame) == 6001
    assert raw.frame["full_name"].iloc[-1] == "Сидорова Анна"
    assert raw.row_numbers.iloc[-1] == 6002


def test_blank_lines_keep_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "i.csv"
    lines = [
        ";".join(INSTITUTIONS_HEADER),
        ";".join(institution_row("S1")),
        "",
        ";".join(institution_row("S2")),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    raw = _read(path)
    assert raw.frame["inst_id"].tolist() == ["S1", "S2"]
    assert raw.row_numbers.tolist() == [2, 4]  # the blank line 3 is skipped, not renumbered


def test_a_zip_bomb_workbook_is_refused_before_unpacking(tmp_path: Path) -> None:
    """A 'workbook' whose sheet inflates a thousandfold is refused from the sizes its zip declares."""
    import io
    import zipfile

    from etl.readers import FileRejected, read_file

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (100 * 2**20))
    data = packed.getvalue()
    assert len(data) < 2**20
    with pytest.raises(FileRejected, match="распаковывается в 100 МБ"):
        read_file(tmp_path / "bomb.xlsx", data)

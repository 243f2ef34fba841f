"""The passport: generated, opened with python-docx, its numbers equal the mart; access; the command line."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import docx
import pytest

from auth.identity import User
from cli import main as cli
from reports.passport import CLI_USER, PassportError, build_passport
from ru import fmt
from tests.compare.conftest import CITY, PREV, QUARANTINED_NAME, REPO, P, mart

NB = "\u00a0"


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def tables(document) -> list[list[list[str]]]:  # type: ignore[no-untyped-def]
    return [[[cell.text for cell in r.cells] for r in t.rows] for t in document.tables]


def find_row(document, first_cell: str, header_start: str | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The row whose first cell is `first_cell`, as {header: text}, in the first table that has it (and whose
    header starts with `header_start`)."""
    for table in tables(document):
        header = table[0]
        if header_start is not None and header[0] != header_start:
            continue
        for cells in table[1:]:
            if cells[0] == first_cell:
                return dict(zip(header, cells, strict=True))
    raise AssertionError(f"no row {first_cell!r}")


@pytest.fixture(scope="module")
def s5_passport(city_db) -> docx.document.Document:  # type: ignore[no-untyped-def]
    return open_docx(build_passport(city_db, CLI_USER, "S5", P))


def test_passport_numbers_equal_the_mart(city_db, s5_passport):
    doc = s5_passport
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "ПАСПОРТ ОБРАЗОВАТЕЛЬНОЙ ОРГАНИЗАЦИИ" in text and "Организация S5" in text
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == [
        "1. Общие сведения",
        "2. Сравнение с муниципалитетом и сопоставимыми организациями",
    ]
    assert "3. Динамика показателей" in headings and "4. Качество представленных данных" in headings

    ident = find_row(doc, "Численность педагогических работников", "Сведения")
    assert ident["Значение"] == fmt.value(mart(city_db, "STAFF_COUNT", "institution", inst_id="S5"), "чел.")
    assert find_row(doc, "Численность обучающихся (воспитанников)", "Сведения")["Значение"] == f"500{NB}чел."

    name = "Доля педагогических работников в возрасте 55 лет и старше"
    profile = find_row(doc, name, "Показатель")
    assert profile["Значение"] == fmt.value(mart(city_db, "STAFF_55_PLUS", "institution", inst_id="S5"), "%")
    assert profile["Изменение к прошлому году"] == f"+25,0{NB}п.п. (хуже)"
    assert profile["Муниципалитет, тот же тип"] == fmt.value(
        mart(city_db, "STAFF_55_PLUS", "municipality", municipality=CITY, inst_type="school"), "%"
    )
    assert profile["Ориентир (медиана группы)"] == f"25,0{NB}%"
    assert profile["Место в группе"] == "3 из 3 (процентиль 0)"
    pc = find_row(doc, "Число ПК, используемых в учебных целях, в расчёте на 100 обучающихся", "Показатель")
    assert pc["Значение"] == fmt.value(
        mart(city_db, "ICT_PC_LEARNING_PER_100", "institution", inst_id="S5"), "ед."
    )
    assert pc["Место в группе"] == "2 из 3 (процентиль 50)"

    # the trends table: every period's value as the mart has it
    trend = find_row(doc, f"{name}, %", "Показатель")
    for period in (PREV, P):
        value = mart(city_db, "STAFF_55_PLUS", "institution", inst_id="S5", period=period)
        assert trend[period] == fmt.number(value, 1)

    assert f"выше медианы группы на 25,0{NB}п.п." in text, "the weakness in words"
    assert len(doc.inline_shapes) >= 4, "a bullet chart per area, the radar and the trends"


def test_passport_data_quality_section_has_counts_and_no_personal_values(city_db, s5_passport):
    doc = s5_passport
    submitted = find_row(doc, P, "Учебный год")
    assert submitted["Кадры, строк"] == "4" and submitted["В карантине, строк"] == "3"
    assert submitted["Предупреждений"] == "1"
    rule = find_row(doc, "Педагогические работники", "Набор данных")
    assert rule["Строк"] == "1"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Проверьте численность педагогов СОШ S5." in text
    data = build_passport(city_db, CLI_USER, "S5", P)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(
            archive.read(n).decode("utf-8", "ignore") for n in archive.namelist() if n.endswith(".xml")
        )
    assert QUARANTINED_NAME not in xml and "01.01.1900" not in xml, "quarantined values stay out"


def test_passport_access(city_db):
    assert build_passport(city_db, User(login="d5", role="director", inst_id="S5"), "S5", P)
    with pytest.raises(PermissionError):
        build_passport(city_db, User(login="d4", role="director", inst_id="S4"), "S5", P)
    with pytest.raises(PassportError):
        build_passport(city_db, CLI_USER, "NOPE", P)
    with pytest.raises(PassportError):
        build_passport(city_db, CLI_USER, "S5", "2099/2100")


@pytest.mark.parametrize("inst", ["D1", "S10"])
def test_passport_of_a_small_group_and_of_an_institution_without_data(city_db, inst):
    doc = open_docx(build_passport(city_db, CLI_USER, inst, P))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "муниципалитета по организациям того же типа" in text


def test_cli_passport(city_db, tmp_path, capsys):
    out = tmp_path / "out" / "s5.docx"
    code = cli.main(
        ["passport", "--db", str(city_db), "--inst", "S5", "--period", "2024-2025", "--out", str(out)]
    )
    assert code == 0 and out.exists()
    assert "записан" in capsys.readouterr().out
    assert find_row(docx.Document(str(out)), "Численность педагогических работников", "Сведения")[
        "Значение"
    ] == (f"4{NB}чел.")
    assert (
        cli.main(["passport", "--db", str(city_db), "--inst", "NOPE", "--period", P, "--out", str(out)]) == 2
    )
    assert "не найдена" in capsys.readouterr().err
    missing = tmp_path / "none.duckdb"
    assert cli.main(["passport", "--db", str(missing), "--inst", "S5", "--period", P, "--out", str(out)]) == 2


def test_python_m_etl_passport_on_the_demo(demo_db, tmp_path):
    out = tmp_path / "passport.docx"
    result = subprocess.run(
        [sys.executable, "-m", "etl", "passport", "--inst", "BGR-S01", "--period", P, "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "IMC_DB": str(demo_db)},
    )
    assert result.returncode == 0, result.stderr
    row = find_row(
        docx.Document(str(out)), "Доля педагогических работников с высшей или первой категорией", "Показатель"
    )
    assert row["Значение"] == fmt.value(mart(demo_db, "STAFF_CAT_ANY", "institution", inst_id="BGR-S01"), "%")


def test_printed_passport_breaks_no_word_in_a_table(city_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Printed with LibreOffice, no table cell splits a word («Муниципа» «литет», «Информатизаци» «я»)."""
    from tests.render_check import broken_words

    assert broken_words(build_passport(city_db, CLI_USER, "S5", P), tmp_path) == []


def test_a_partly_loaded_file_is_fully_loaded_for_the_institution_without_quarantined_rows() -> None:
    import pandas as pd

    from reports.passport import institution_status

    loads = pd.DataFrame(
        {
            "status": ["partial", "partial", "loaded", "rejected"],
            "rows_loaded": [12, 3, 5, 0],
            "rows_quarantined": [0, 2, 0, 0],
        }
    )
    assert institution_status(loads) == ["loaded", "partial", "loaded", "rejected"]

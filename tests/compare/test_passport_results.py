"""The passport's results section on the hand-built warehouse of tests/note/test_results_note.py: the
institution's ГИА by subject, ВПР and the olympiad beside the municipality's value, and its flags."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import docx
import duckdb
import pytest

from auth import identity
from reports import passport
from tests.note.test_results_note import build_results_db
from warehouse import queries

P = "2024/2025"
ADMIN = identity.User(login="admin", role="admin")


@pytest.fixture(scope="module")
def results_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield build_results_db(tmp_path_factory.mktemp("passport_results") / "w.duckdb")
    queries.close_all()


def _results_rows(data: bytes) -> list[tuple[str, ...]]:
    document = docx.Document(io.BytesIO(data))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == passport.RESULTS_COLUMNS)
    return [tuple(c.text for c in row.cells) for row in table.rows[1:]]


def test_results_beside_the_municipality(results_db: Path) -> None:
    rows = _results_rows(passport.build_passport(results_db, ADMIN, "S1", P))
    # S1 Russian (24 + 23 + 80 + 100) / 4 = 56,75; the city's schools 347 / 6 = 57,83
    assert ("Средний тестовый балл ЕГЭ, балл", "русский язык", "56,8", "57,8") in rows
    # S1: 23 of its 6 ГИА-11 results below the minimum (16,7 %); the city 2 of 10
    assert ("Доля результатов ГИА-11 ниже минимального порога, %", "все предметы", "16,7", "20,0") in rows
    assert ("Число стобалльных результатов ЕГЭ, чел.", "русский язык", "1", "1") in rows
    # ВПР over all subjects and grades only: S1 2 of 3 confirmed, the city 2 of 23
    vpr = [r for r in rows if r[0].startswith("Доля участников ВПР, подтвердивших")]
    assert vpr == [
        ("Доля участников ВПР, подтвердивших отметку по журналу, %", "все предметы", "66,7", "8,7")
    ]


def test_flags_in_the_passport(results_db: Path, tmp_path: Path) -> None:
    data = passport.build_passport(results_db, ADMIN, "S2", P)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    con = duckdb.connect(str(results_db), read_only=True)
    (message,) = con.execute("SELECT message_ru FROM mart.result_flags WHERE inst_id = 'S2'").fetchone()
    con.close()
    assert f"– {message}" in text
    headings = [
        p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.style.name.startswith("Heading")
    ]
    assert f"2.5. {passport.RESULTS_TITLE}" in headings

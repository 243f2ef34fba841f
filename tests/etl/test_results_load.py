"""The results datasets through the loader: the replace units of the data contract, header and label
recognition, olympiad subjects normalised on the way in, and what arrives in the mart.

Registry: two schools G1, G2 of «г. Тестовск». ЕГЭ minimum score in Russian 24, in profile mathematics 27.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from etl.loader import expand_paths, load_files
from tests.etl.helpers import INSTITUTIONS_HEADER, headers_ru, write_csv, write_xlsx

P = "2024/2025"
EXAM_HEADER = headers_ru("exam_results")
VPR_HEADER = headers_ru("vpr_results")
OLYMPIAD_HEADER = headers_ru("olympiad")


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    registry = write_csv(
        tmp_path / "registry.csv",
        INSTITUTIONS_HEADER,
        [
            ["G1", "МОБУ «Гимназия № 1»", "Гимназия № 1", "общеобразовательная", "г. Тестовск", "город", ""],
            ["G2", "МОБУ «СОШ № 2»", "СОШ № 2", "общеобразовательная", "г. Тестовск", "город", ""],
        ],
    )
    path = tmp_path / "w.duckdb"
    assert load_files([registry], path).exit_code == 0
    return path


def _ege(inst: str, subject: str, pid: str, score: object, period: str = "2024-25") -> list[object]:
    return [period, inst, "ЕГЭ", 11, subject, pid, "", score, ""]


def _query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def _value(db: Path, code: str, inst_id: str, subject: str) -> tuple[Any, ...]:
    rows = _query(
        db,
        "SELECT numerator, denominator, value FROM mart.indicator_values WHERE period = ? AND level = 'institution' "
        "AND indicator_code = ? AND inst_id = ? AND subject = ?",
        [P, code, inst_id, subject],
    )
    assert len(rows) == 1, rows
    return rows[0]


def test_loading_one_subject_never_removes_another(db: Path, tmp_path: Path) -> None:
    """РЦОИ files come one subject at a time: the unit is (period, institution, exam, subject)."""
    russian = write_xlsx(
        tmp_path / "ege_russian.xlsx",
        EXAM_HEADER,
        [
            _ege("G1", "Русский язык", "R1", 24),
            _ege("G1", "русский язык", "R2", 23),
            _ege("G2", "РУССКИЙ ЯЗЫК", "R3", 90),
        ],
        title_rows=["Протокол результатов ЕГЭ по русскому языку", "РЦОИ"],
    )
    maths = write_csv(
        tmp_path / "ege_math.csv",
        EXAM_HEADER,
        [
            _ege("G1", "Математика профильного уровня", "M1", 27),
            _ege("G1", "математика профильного уровня", "M2", 70),
        ],
    )
    result = load_files([russian, maths], db)
    assert [f.status for f in result.files] == ["loaded", "loaded"]
    assert _value(db, "EGE_PARTICIPANTS", "G1", "all") == (4, None, 4)
    # 24 is exactly the minimum: only 23 fails
    assert _value(db, "GIA11_NOT_PASSED", "G1", "russian") == (1, 2, 50.0)

    # the corrected Russian file of G1 alone: G1's Russian rows are replaced, its mathematics stays, and
    # G2's Russian rows (not in this file) stay too
    corrected = write_csv(
        tmp_path / "ege_russian_v2.csv",
        EXAM_HEADER,
        [_ege("G1", "русский язык", "R1", 30)],
        encoding="cp1251",
    )
    second = load_files([corrected], db).files[0]
    assert (second.status, second.rows_loaded) == ("loaded", 1)
    rows = _query(db, "SELECT inst_id, subject, participant_id, score FROM core.exam_results ORDER BY ALL")
    assert rows == [
        ("G1", "math_profile", "M1", 27),
        ("G1", "math_profile", "M2", 70),
        ("G1", "russian", "R1", 30),
        ("G2", "russian", "R3", 90),
    ]
    assert _value(db, "GIA11_NOT_PASSED", "G1", "russian") == (0, 1, 0.0)
    assert _value(db, "EGE_MEAN_SCORE", "G1", "math_profile") == (97, 2, 48.5)
    assert _value(db, "EGE_PARTICIPANTS", "G1", "all") == (3, None, 3)

    # a unit none of whose rows passed keeps its previous rows: a score of 101 is quarantined
    broken = write_csv(tmp_path / "ege_russian_v3.csv", EXAM_HEADER, [_ege("G1", "русский язык", "R1", 101)])
    third = load_files([broken], db).files[0]
    assert (third.rows_loaded, third.rows_quarantined) == (0, 1)
    assert _query(db, "SELECT score FROM core.exam_results WHERE inst_id = 'G1' AND subject = 'russian'") == [
        (30,)
    ]


def test_vpr_unit_is_grade_and_subject(db: Path, tmp_path: Path) -> None:
    header = VPR_HEADER
    first = write_csv(
        tmp_path / "vpr.csv",
        header,
        [
            [P, "G1", 4, "Русский язык", "a", "", 4, 4],
            [P, "G1", 5, "Русский язык", "b", "", 3, 4],
            [P, "G1", 5, "Математика", "c", "", 5, ""],
        ],
    )
    load_files([first], db)
    # grade 5 Russian again: grade 4 Russian and grade 5 mathematics stay
    again = write_csv(tmp_path / "vpr_5.csv", header, [[P, "G1", 5, "русский язык", "d", "", 2, 3]])
    load_files([again], db)
    rows = _query(db, "SELECT grade, subject, participant_id FROM core.vpr_results ORDER BY ALL")
    assert rows == [(4, "russian", "a"), (5, "math", "c"), (5, "russian", "d")]
    # c has no journal mark: confirmations over a and d only; a confirmed, d below
    assert _value(db, "VPR_CONFIRMED", "G1", "all") == (1, 2, 50.0)
    assert _value(db, "VPR_BELOW_JOURNAL", "G1", "all") == (1, 2, 50.0)
    assert _value(db, "VPR_PARTICIPANTS", "G1", "all") == (3, None, 3)


def test_olympiad_subjects_are_normalised(db: Path, tmp_path: Path) -> None:
    rows = [
        [P, "G1", "школьный", "Математика ", 7, "o1", "12,5", "участник"],
        [P, "G1", "муниципальный", "МАТЕМАТИКА", 7, "o1", "30", "призер"],
        [P, "G1", "Муниципальный этап", "математика", 8, "o2", "10", "участник"],
        [P, "G1", "региональный", "Физика", 9, "o3", "", "победитель"],
    ]
    result = load_files([write_csv(tmp_path / "oly.csv", OLYMPIAD_HEADER, rows)], db).files[0]
    assert result.status == "loaded"
    stored = _query(db, "SELECT stage, subject, subject_key, score, status FROM core.olympiad ORDER BY ALL")
    assert stored == [
        ("municipal", "МАТЕМАТИКА", "математика", 30.0, "prize_winner"),
        ("municipal", "математика", "математика", 10.0, "participant"),
        ("regional", "Физика", "физика", None, "winner"),
        ("school", "Математика", "математика", 12.5, "participant"),  # trimmed as every text cell
    ]
    assert _value(db, "OLY_MUNICIPAL_EFFECTIVENESS", "G1", "математика") == (1, 2, 50.0)
    assert _value(db, "OLY_REGIONAL_PARTICIPANTS", "G1", "all") == (1, None, 1)
    # the replace unit compares the normalised subject: «математика» of the municipal stage again replaces
    # both municipal «МАТЕМАТИКА» and «математика» rows, the school stage and physics stay
    again = write_csv(
        tmp_path / "oly_municipal.csv",
        OLYMPIAD_HEADER,
        [[P, "G1", "муниципальный", "Математика", 7, "o1", "31", "победитель"]],
    )
    load_files([again], db)
    stored = _query(db, "SELECT stage, subject_key, participant_id, status FROM core.olympiad ORDER BY ALL")
    assert stored == [
        ("municipal", "математика", "o1", "winner"),
        ("regional", "физика", "o3", "winner"),
        ("school", "математика", "o1", "participant"),
    ]


def test_canonical_headers_and_a_folder_load_registry_first(tmp_path: Path) -> None:
    """A folder with results files and the registry: the registry loads first whatever the names."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_csv(
        folder / "a_exam.csv",
        ["period", "inst_id", "exam", "grade", "subject", "participant_id", "primary_score", "score", "mark"],
        [["2024/2025", "G9", "oge", "9", "math", "p1", "", "", "5"]],
        sep=",",
    )
    write_csv(
        folder / "z_registry.csv",
        INSTITUTIONS_HEADER,
        [["G9", "МОБУ «СОШ № 9»", "", "общеобразовательная", "г. Тестовск", "город", ""]],
    )
    result = load_files(expand_paths([folder]), tmp_path / "w.duckdb")
    assert [(f.source_file, f.dataset, f.status) for f in result.files] == [
        ("z_registry.csv", "institutions", "loaded"),
        ("a_exam.csv", "exam_results", "loaded"),
    ]

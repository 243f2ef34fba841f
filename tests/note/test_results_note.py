"""The note's section «Результаты ГИА и ВПР» on a hand-built warehouse: every number is the mart's, and the
sentences read the values worked out below by hand.

City «Город», schools S1 (ict: 200 pupils) and S2. ЕГЭ minimum scores: Russian 24, profile mathematics 27.

2024/2025                          S1                        S2
  ЕГЭ russian (scores)             24, 23, 80, 100           50, 70
  ЕГЭ math_profile                 27, 81                    26, 60
  ОГЭ russian (marks)              2, 3, 4, 5                —
  ВПР math, grade 5 (mark, journal) (5,5) (4,5) (3,3) (2,—)  —
  ВПР russian, grade 4             —                         20 × (3, 4)
  olympiad                         school «Математика» O1; municipal «Математика» O1 winner, «математика » O2
2023/2024: ЕГЭ russian S1 60, 40; S2 20.

City, 2024/2025: ЕГЭ russian mean 347 / 6 = 57,83 → «57,8», profile 194 / 4 = 48,5; not passed: Russian 23 of 6
(16,7 %), profile 26 of 4 (25,0 %), all 2 of 10 (20,0 %); 2023/2024 Russian mean 120 / 3 = 40,0, not passed
1 of 3 (33,3 %) → −13,3 п.п.; S1 Russian 1 of 4 (25,0 %), S2 profile 1 of 2 (50,0 %). 81–100: 81 and 100 of 10
(20,0 %); one 100 (S1, Russian). ГИА-9: 4 results, success 3 of 4 (75,0 %), quality 2 of 4 (50,0 %), mean 3,5.
ВПР: 24 works, success 23 / 24 (95,8 %), quality 2 / 24 (8,3 %), with a journal mark 23: confirmed 2 (8,7 %),
below 21 (91,3 %), above 0. Olympiad: school stage 1 per 200 pupils × 100 = 0,5; municipal 2, winners 1 (50,0 %).
Flags: S2 ВПР russian 4 — 20 of 20 below the journal (≥ 50 %, ≥ 20 rows) → vpr_journal_gap; S1 has 14 ГИА and
ВПР rows (< 20) and S2 1 of 24 unsatisfactory (4,2 %): no low_results.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from auth import identity
from reports import note
from ru import fmt
from tests.note.conftest import ADMIN, Built, build
from tests.note.test_note import check_docx_text, check_numbers
from tests.warehouse.helpers import ict, insert_rows, institution
from tests.warehouse.test_results import exam, oly, vpr
from warehouse import note_queries as nq
from warehouse import queries
from warehouse.build import build_marts
from warehouse.db import apply_schema

P = "2024/2025"
PREV = "2023/2024"
NBSP = fmt.NBSP
CITY = "Город"


def _prev(row: dict) -> dict:
    return {**row, "period": PREV, "participant_id": row["participant_id"] + "-prev"}


def fill(con: duckdb.DuckDBPyConnection) -> None:
    insert_rows(
        con, "core.institutions", [institution("S1", "school", CITY), institution("S2", "school", CITY)]
    )
    insert_rows(con, "core.ict", [ict(P, "S1", students=200)])
    rows = [exam("S1", "ege", 11, "russian", n, score=v) for n, v in enumerate([24, 23, 80, 100])]
    rows += [exam("S1", "ege", 11, "math_profile", n, score=v) for n, v in enumerate([27, 81])]
    rows += [exam("S2", "ege", 11, "russian", n, score=v) for n, v in enumerate([50, 70])]
    rows += [exam("S2", "ege", 11, "math_profile", n, score=v) for n, v in enumerate([26, 60])]
    rows += [exam("S1", "oge", 9, "russian", n, mark=m) for n, m in enumerate([2, 3, 4, 5])]
    rows += [_prev(exam("S1", "ege", 11, "russian", n, score=v)) for n, v in enumerate([60, 40])]
    rows.append(_prev(exam("S2", "ege", 11, "russian", 0, score=20)))
    insert_rows(con, "core.exam_results", rows)
    marks = [(5, 5), (4, 5), (3, 3), (2, None)]
    works = [vpr("S1", 5, "math", n, m, j) for n, (m, j) in enumerate(marks)]
    works += [vpr("S2", 4, "russian", n, 3, 4) for n in range(20)]
    insert_rows(con, "core.vpr_results", works)
    insert_rows(
        con,
        "core.olympiad",
        [
            oly("S1", "school", "Математика", "O1"),
            oly("S1", "municipal", "Математика", "O1", "winner"),
            oly("S1", "municipal", "математика ", "O2"),
        ],
    )


def build_results_db(path: Path) -> Path:
    """A warehouse at `path` with the rows of `fill` and its marts built (also used by tests/compare)."""
    con = duckdb.connect(str(path))
    apply_schema(con)
    fill(con)
    build_marts(con)
    con.execute("CHECKPOINT")
    con.close()
    return path


@pytest.fixture(scope="module")
def results_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield build_results_db(tmp_path_factory.mktemp("results_note") / "w.duckdb")
    queries.close_all()


@pytest.fixture(scope="module")
def con(results_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(results_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def city(results_db: Path) -> Built:
    return build(results_db, areas=("results",), period=P, charts=False)


def section(built: Built) -> list[str]:
    """The texts of the results section's paragraphs (between its heading and the conclusions)."""
    texts: list[str] = []
    inside = False
    for block in built.model.blocks:
        if isinstance(block, note.Heading):
            inside = block.text.endswith("Результаты ГИА и ВПР")
        elif inside and isinstance(block, note.Paragraph):
            texts.append(block.text)
    return texts


def test_every_number_is_the_marts(city: Built, con: duckdb.DuckDBPyConnection) -> None:
    assert check_numbers(city, con) >= 30
    check_docx_text(city)


def test_means_by_subject_against_last_year(city: Built) -> None:
    b = NBSP
    assert (
        f"ГИА-11. Средний тестовый балл ЕГЭ по предметам: русский язык — 57,8{b}балла "
        f"(в 2023/2024 учебном году — 40,0{b}балла, +17,8{b}балла); математика профильного уровня — "
        f"48,5{b}балла (за 2023/2024 учебный год данных нет)." in section(city)
    )


def test_below_minimum_by_subject_and_school(city: Built) -> None:
    text = next(t for t in section(city) if t.startswith("Доля результатов ГИА-11 ниже"))
    assert "составила 20,0 %" in text.replace(NBSP, " ")
    assert "33,3 %" in text.replace(NBSP, " ")
    plain = text.replace(NBSP, " ")
    assert "По предметам: русский язык — 16,7 %; математика профильного уровня — 25,0 %." in plain
    assert (
        "получены в организациях: S1 (русский язык — 25,0 %); S2 (математика профильного уровня — 50,0 %)."
        in plain
    )


def test_high_scores_gia9_vpr_olympiad(city: Built) -> None:
    texts = [t.replace(NBSP, " ") for t in section(city)]
    high = next(t for t in texts if t.startswith("Высокие результаты."))
    assert "20,0 %" in high and "Стобалльные результаты по предметам: русский язык — 1 чел." in high
    assert "получены в организациях: S1 (русский язык — 1 чел.)" in high
    gia9 = next(t for t in texts if t.startswith("ГИА-9."))
    assert "75,0 %" in gia9 and "50,0 %" in gia9 and "3,5 балла" in gia9
    vpr_text = next(t for t in texts if t.startswith("Всероссийские проверочные работы."))
    for value in ("95,8 %", "8,3 %", "8,7 %", "91,3 %", "0,0 %"):
        assert value in vpr_text, value
    assert "данных нет" not in vpr_text  # no ВПР last year: no change to speak of
    participation = next(t for t in texts if t.startswith("Участие."))
    for value in ("10 чел.", "4 чел.", "24 чел."):  # ЕГЭ, ГИА-9, ВПР results
        assert value in participation, value
    assert "(в 2023/2024 учебном году — 3 чел., +7 чел.)" in participation
    olympiad = next(t for t in texts if t.startswith("Всероссийская олимпиада школьников."))
    for value in ("0,5 чел.", "2 чел.", "1 чел.", "50,0 %"):
        assert value in olympiad, value


def test_flags_with_their_messages(city: Built, con: duckdb.DuckDBPyConnection) -> None:
    message = con.execute("SELECT message_ru FROM mart.result_flags WHERE inst_id = 'S2'").fetchall()
    assert len(message) == 1
    bullets = [p for p in city.model.paragraphs() if p.kind == "bullet" and p.text.startswith("– S2: ")]
    assert [p.body for p in bullets] == [
        f"S2: {message[0][0]}" + ("" if message[0][0].endswith(".") else ".")
    ]
    recommendations = "\n".join(p.text for p in city.model.paragraphs())
    assert "Проверить объективность текущего оценивания" in recommendations


def test_gia11_table(city: Built) -> None:
    table = next(b for b in city.model.blocks if isinstance(b, note.TableBlock) and "ГИА-11" in b.caption)
    frame = table.frame
    assert frame["Предмет"].tolist() == ["русский язык", "математика профильного уровня"]
    assert frame["Результатов ЕГЭ"].tolist() == [6, 4]
    assert frame["Средний тестовый балл"].tolist() == pytest.approx([347 / 6, 48.5])
    assert frame["Стобалльных результатов"].tolist() == [1, 0]


def test_directors_note_holds_only_their_school(results_db: Path, con: duckdb.DuckDBPyConnection) -> None:
    director = identity.User(login="d1", role="director", inst_id="S1")
    built = build(results_db, director, areas=("results",), scope=note.NoteScope(inst_id="S1"), charts=False)
    check_numbers(built, con)
    text = built.model.text()
    assert "S2" not in text  # neither S2's flag nor its values
    inst_ids = {n.ref.point.inst_id for p in built.model.paragraphs() for n in p.numbers if n.ref.point}
    assert inst_ids <= {"S1", None}
    # the institution's Russian mean: (24 + 23 + 80 + 100) / 4 = 56,75 → «56,8»; last year (60 + 40) / 2 = 50
    assert f"русский язык — 56,8{NBSP}балла (в 2023/2024 учебном году — 50,0{NBSP}балла" in text


def test_small_groups_never_reach_another_director(results_db: Path) -> None:
    director = identity.User(login="d1", role="director", inst_id="S1")
    codes = ["GIA11_NOT_PASSED"]
    own = nq.results_institutions(results_db, director, [P], codes, CITY)
    assert set(own["inst_id"]) == {"S1"}
    assert nq.results_institutions(results_db, director, [P], codes, CITY, inst_id="S2").empty
    assert nq.result_flags(results_db, director, P, CITY).empty  # S2's flag
    everyone = nq.results_institutions(results_db, ADMIN, [P], codes, CITY)
    assert set(everyone["inst_id"]) == {"S1", "S2"}


def test_areas_choice_and_refusal(results_db: Path) -> None:
    assert "results" in note.AREAS and "results" not in note.DEFAULT_AREAS
    with pytest.raises(note.NoteInputError):
        build(results_db, areas=("exams",), period=P)

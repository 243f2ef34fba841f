"""The note's paragraph on needs and mentoring and the recommendations drawn from the plan (reports/note/
planning.py): by hand on the plan documents' warehouse (tests/note/test_plan.py), and every number against
the warehouse on the demo city.

By hand (see test_plan.py): functional literacy is named by t1, t2 (courses) and t4 (no form) -> 3 people,
2 in courses; digital by t1 (seminar) -> 1 person; the young specialists y1 (mentor a2 of S1) and y2 (none).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from reports import note
from reports.note.planning import LEAD
from tests.note.conftest import ADMIN, TODAY, Built
from tests.note.mart import count, expected_text
from tests.note.test_plan import P, fill
from tests.warehouse.conftest import built_warehouse


@pytest.fixture(scope="module")
def hand_note(tmp_path_factory: pytest.TempPathFactory) -> note.Note:
    folder = Path(tmp_path_factory.mktemp("note-plan"))
    built_warehouse(folder, fill).close()
    return note.build_note_model(folder / "w.duckdb", ADMIN, P, areas=["staff"], charts=False, today=TODAY)


def paragraphs(model: note.Note) -> list[note.Paragraph]:
    return [b for b in model.blocks if isinstance(b, note.Paragraph)]


def section_of(model: note.Note, paragraph: note.Paragraph) -> str:
    """The heading the paragraph stands under."""
    heading = ""
    for block in model.blocks:
        if isinstance(block, note.Heading):
            heading = block.text
        if block is paragraph:
            return heading
    raise AssertionError("not in the note")


def test_the_paragraph_by_hand(hand_note: note.Note) -> None:
    (planning,) = [p for p in paragraphs(hand_note) if p.lead == LEAD]
    assert section_of(hand_note, planning) == "2. Кадры"
    assert planning.body == (
        "По результатам мониторинга профессиональных потребностей педагогические работники чаще всего называют "
        "«функциональная грамотность» (3\u00a0чел., из них курсы повышения квалификации предпочитают 2), "
        "«цифровые образовательные технологии» (1\u00a0чел.). Из 2\u00a0молодых специалистов наставник — "
        "педагогический работник той же организации — закреплён за 1, без наставника — 1."
    )


def test_the_recommendations_by_hand(hand_note: note.Note) -> None:
    bullets = [p.body for p in paragraphs(hand_note) if p.kind == "bullet"]
    assert (
        "Сформировать группы курсов повышения квалификации по темам, названным в мониторинге профессиональных "
        "потребностей: «функциональная грамотность» (2\u00a0чел.) — по числу педагогических работников, "
        "выбравших курсы как предпочтительную форму."
    ) in bullets
    assert (
        "Провести семинары (вебинары) по темам: «цифровые образовательные технологии» (1\u00a0чел.)."
        in bullets
    )
    # the young specialist without a mentor, not both young specialists
    assert (
        "Закрепить наставников за 1\u00a0молодым специалистом, за которым наставник не закреплён, и включить "
        "молодых специалистов в работу муниципального объединения молодых педагогов."
    ) in bullets
    assert not any(b.startswith("Закрепить наставников за 2") for b in bullets)


def test_city_planning_numbers_equal_the_warehouse(city_note: Built, con: duckdb.DuckDBPyConnection) -> None:
    model = city_note.model
    (planning,) = [p for p in paragraphs(model) if p.lead == LEAD]
    nums = [s for s in planning.segments if isinstance(s, note.Num)]
    # three needs with people and a course count each, then the young specialists: 3 × 2 + 3
    assert len(nums) == 9
    for num in nums:
        assert num.text == expected_text(con, num.ref), num
    young, with_mentor, without = (count(con, n.ref.what, n.ref.args) for n in nums[-3:])
    assert with_mentor + without == young > 0
    mart_young = con.execute(
        "SELECT value FROM mart.indicator_values WHERE indicator_code = 'STAFF_YOUNG_SPECIALISTS' "
        "AND period = ? AND level = 'municipality' AND inst_type = 'all'",
        [P],
    ).fetchone()[0]
    assert young == mart_young
    recommendations = [
        p for p in paragraphs(model) if p.kind == "bullet" and p.body.startswith("Сформировать группы")
    ]
    (courses,) = recommendations
    course_nums = [s for s in courses.segments if isinstance(s, note.Num)]
    assert len(course_nums) == 3
    for num in course_nums:
        assert num.ref.args[-1] == "course" and num.text == expected_text(con, num.ref)
    # the most wanted course first
    assert [int(n.text) for n in course_nums] == sorted((int(n.text) for n in course_nums), reverse=True)
    # the printed document holds the paragraph as the model says
    texts = [p.text for p in city_note.document.paragraphs]
    assert planning.text in texts

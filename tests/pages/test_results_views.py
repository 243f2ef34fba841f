"""ui/views/results.py without streamlit: masked cells, the summary's changes, the charts' inputs."""

from __future__ import annotations

import pandas as pd

from ui.views import results as views

NAMES = {"russian": "русский язык", "math_profile": "математика профильного уровня"}


def long(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=["inst_id", "short_name", "municipality", "indicator_code", "subject", "value", "masked"],
    ).assign(grade=None)


def test_cell_texts() -> None:
    assert views.cell(61.6, False, "балл") == "61,6"
    assert views.cell(61.6, True, "балл") == "менее 5"
    assert views.cell(None, False, "%") == "—"
    assert views.cell(3, False, "чел.") == "3"


def test_subject_summary_changes_and_masked_rows() -> None:
    now = long(
        [
            ("X", "X", "M", "EGE_MEAN_SCORE", "russian", 61.6, False),
            ("X", "X", "M", "EGE_MEAN_SCORE", "math_profile", None, True),
        ]
    )
    before = long([("X", "X", "M", "EGE_MEAN_SCORE", "russian", 55.0, False)])
    compare = long([("X", "X", "M", "EGE_MEAN_SCORE", "russian", 64.0, False)])
    table = views.subject_summary(now, before, compare, ["EGE_MEAN_SCORE"], NAMES, compare_label="г. М")
    rows = table.frame.set_index("Предмет")
    assert list(rows.index) == ["Математика профильного уровня", "Русский язык"]
    assert rows.loc["Русский язык", "Средний балл"] == "61,6"
    assert rows.loc["Русский язык", "Средний балл: изменение за год"] == "+6,6"
    assert rows.loc["Русский язык", "Средний балл: г. М"] == "64,0"
    assert rows.loc["Математика профильного уровня", "Средний балл"] == "менее 5"
    assert rows.loc["Математика профильного уровня", "Средний балл: изменение за год"] == "—"


def test_institutions_by_subject_and_journal_bars_hide_masked_schools() -> None:
    values = long(
        [
            ("A", "Школа А", "M", "EGE_MEAN_SCORE", "russian", 70.0, False),
            ("B", "Школа Б", "M", "EGE_MEAN_SCORE", "russian", None, True),
            ("A", "Школа А", "M", "VPR_CONFIRMED", "all", 60.0, False),
            ("A", "Школа А", "M", "VPR_BELOW_JOURNAL", "all", 30.0, False),
            ("B", "Школа Б", "M", "VPR_CONFIRMED", "all", None, True),
        ]
    )
    table = views.institutions_by_subject(values, "EGE_MEAN_SCORE", NAMES)
    assert table.frame["Русский язык"].tolist() == ["70,0", "менее 5"]
    bars, hidden = views.journal_bars(values)
    assert hidden == ["Школа Б"]
    assert bars["short_name"].unique().tolist() == ["Школа А"]
    assert sorted(bars["value"]) == [30.0, 60.0]


def test_score_figure_draws_the_minimum_and_refuses_a_masked_subject() -> None:
    dist = pd.DataFrame(
        {
            "subject": ["russian", "russian", "math_profile"],
            "score": [23.0, 80.0, None],
            "results": [1.0, 2.0, None],
            "min_score": [24.0, 24.0, None],
            "masked": [False, False, True],
        }
    )
    fig = views.score_figure(dist, "russian", "t")
    assert fig is not None
    assert list(fig.data[0].y) == [1.0, 2.0]
    assert fig.layout.shapes[0].x0 == 23.5
    assert views.score_figure(dist, "math_profile", "t") is None
    assert views.masked_subject(dist, "math_profile")

"""The figures of issue 14 point 7 as objects: where the legend is, how much room the ticks and titles have,
what a chart of one institution draws — the things that overlapped or said nothing in the browser."""

from __future__ import annotations

import math

import pandas as pd

from ui.views import charts
from ui.views import compare as cc
from ui.views import tables as views


def _plot_px(fig) -> float:  # type: ignore[no-untyped-def]
    margin = fig.layout.margin
    return float(fig.layout.height) - float(margin.t) - float(margin.b)


def test_a_trends_legend_is_under_the_years_in_room_of_its_own():
    frame = pd.DataFrame(
        {
            "period": ["2023/2024", "2024/2025"] * 3,
            "series": ["Доля А"] * 2 + ["Доля Б"] * 2 + ["Доля В"] * 2,
            "value": [80.0, 81.0, 36.0, 35.0, 86.0, 87.0],
        }
    )
    fig = charts.trend(frame, "Категории — г. Бугуруслан, по годам", "%")
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("v", "container", 0, "bottom")
    # three one-line names: the tick labels (34 px), 6 px of air, 3 × 20 px of legend
    assert fig.layout.margin.b == 34 + 6 + 3 * 20 == 100
    assert fig.layout.height == 300 + 100 and _plot_px(fig) == 300 - 60


def test_a_long_legend_name_is_wrapped_and_counted():
    name = "Доля организаций со скоростью Интернета не ниже целевой (100 Мбит/с — город, 50 Мбит/с — село)"
    frame = pd.DataFrame({"period": ["2024/2025"], "series": [name], "value": [50.0]})
    fig = charts.trend(frame, "t", "%")
    assert fig.data[0].name.count("<br>") == 1, "wrapped at 70 characters: two lines"
    assert fig.layout.margin.b == 34 + 6 + 2 * 20
    # in a half-width column: 38 characters a line (three lines) under turned year labels
    fig = charts.trend(frame, "t", "%", narrow=True)
    assert fig.data[0].name.count("<br>") == 2 and fig.layout.margin.b == 62 + 6 + 3 * 20


def _profile(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name_ru": [f"Показатель {i}" for i in range(n)],
            "unit": ["%"] * n,
            "value": [50.0 + i for i in range(n)],
            "benchmark": [45.0] * n,
            "basis": ["peers"] * n,
            "municipality_value": [40.0] * n,
            "type_value": [42.0] * n,
            "peer_min": [30.0] * n,
            "peer_max": [70.0] * n,
            "peer_q1": [40.0] * n,
            "peer_q3": [60.0] * n,
        }
    )


def test_bullet_rows_leave_72_px_for_ticks_and_the_next_title():
    fig = cc.bullet_chart(_profile(4), "Кадры — СОШ № 1", "СОШ № 1", "school")
    plot = _plot_px(fig)
    assert plot == 4 * 30 + 3 * 72
    domains = [fig.layout[f"yaxis{'' if i == 1 else i}"].domain for i in range(1, 5)]
    for upper, lower in zip(domains, domains[1:], strict=False):
        gap_px = (upper[0] - lower[1]) * plot
        assert math.isclose(gap_px, 72, abs_tol=0.5)
    # the six marks' legend one to a line under the last axis
    assert fig.layout.legend.orientation == "v" and fig.layout.legend.yref == "container"
    assert fig.layout.margin.b == 34 + 6 + 6 * 20


def test_the_radar_title_sits_above_the_top_indicator_name():
    profile = _profile(3).assign(
        indicator_code=["A", "B", "C"],
        area="staff",
        direction="up",
        percentile=[20.0, 50.0, 80.0],
        key_indicator=True,
    )
    fig = cc.percentile_radar(profile, "Процентили — СОШ № 1", "СОШ № 1", "school")
    assert fig.layout.title.yref == "container" and fig.layout.title.yanchor == "top"
    assert fig.layout.margin.t == 40 + 3 * 16 + 30, "room for a three-line name under the title"
    long_title = "Процентили в группе сравнения — МОБУ «Гимназия № 1», 2024/2025 уч. г."
    fig = cc.percentile_radar(profile, long_title, "СОШ № 1", "school")
    assert fig.layout.title.text.count("<br>") == 1 and fig.layout.margin.t == 40 + 3 * 16 + 30 + 20


def test_side_by_side_numbers_are_plain_and_the_legend_is_under_the_names():
    long = pd.DataFrame(
        {
            "inst_id": ["S1", "S2", "S1", "S2"],
            "indicator_code": ["STAFF_COUNT", "STAFF_COUNT", "WINNERS", "WINNERS"],
            "value": [53.0, 41.0, 0.0, 1.4],
        }
    )
    info = {
        "STAFF_COUNT": {"name_ru": "Численность педагогических работников", "unit": "чел."},
        "WINNERS": {
            "name_ru": "Победители и призёры олимпиад и конкурсов обучающихся (муниципальный уровень и выше)",
            "unit": "чел.",
        },
    }
    (unit, fig), *rest = cc.side_by_side_figures(
        long, info, ["STAFF_COUNT", "WINNERS"], {"S1": "СОШ № 1", "S2": "СОШ № 3"}, "2024/2025"
    )
    assert unit == "чел." and not rest
    assert list(fig.data[0].text) == ["53", "0"] and list(fig.data[1].text) == ["41", "1,4"]
    assert fig.data[0].textangle == 0 and fig.layout.uniformtext.mode == "hide"
    assert fig.layout.yaxis.range == (0, 53.0 * 1.15)
    # the longer name takes three lines (16 px each and 22 of air), then one line of two institutions
    assert fig.layout.margin.b == 3 * 16 + 22 + 6 + 20
    assert fig.layout.legend.yref == "container" and fig.layout.legend.entrywidth == 0.5


SITES = pd.DataFrame(
    {
        "short_name": ["СОШ № 2", "СОШ № 4", "СОШ № 15", "СОШ № 13", "Лицей № 1"],
        "level": ["municipal", "municipal", "municipal", "regional", "regional"],
        "sites": [1, 1, 1, 1, 1],
    }
)


def test_sites_are_counted_by_level_when_every_school_has_one():
    rows, labels = views.sites_frame(SITES, by="institution")
    assert labels == 5 and not views.units_differ(rows), "five equal bars: not drawn"
    levels = views.sites_by_level(SITES)
    assert list(levels["label"]) == ["Муниципальный", "Региональный"]
    assert list(levels["sites"]) == [3.0, 2.0]
    assert views.sites_sentence(levels) == (
        "Всего 5 площадок: муниципальный уровень — 3 (СОШ № 15, СОШ № 2, СОШ № 4); "
        "региональный — 2 (Лицей № 1, СОШ № 13)."
    )
    fig = charts.level_bars(levels, "Инновационные площадки по уровню")
    assert list(fig.data[0].x) == [2.0, 3.0] and list(fig.data[0].text) == ["2", "3"]
    two = pd.concat([SITES, SITES.iloc[[0]]], ignore_index=True)
    assert views.units_differ(views.sites_frame(two, by="institution")[0])


def test_one_institutions_yes_no_shares_are_words_not_a_line():
    series = pd.DataFrame(
        {
            "period": ["2022/2023", "2023/2024", "2024/2025"] * 2,
            "indicator_code": ["ICT_SPEED_TARGET"] * 3 + ["ICT_PC_INTERNET_SHARE"] * 3,
            "numerator": [0.0, 1.0, 0.0, 50.0, 55.0, 58.0],
            "denominator": [1.0, 1.0, 1.0, 60.0, 60.0, 60.0],
            "value": [0.0, 100.0, 0.0, 83.3, 91.7, 96.7],
        }
    )
    codes = ["ICT_PC_INTERNET_SHARE", "ICT_SPEED_TARGET"]
    assert views.binary_codes(series, codes) == ["ICT_SPEED_TARGET"]
    catalog = views.Catalog(
        pd.DataFrame(
            {
                "indicator_code": codes,
                "name_ru": [
                    "Доля ПК, имеющих доступ к Интернету",
                    "Доля организаций со скоростью Интернета не ниже целевой",
                ],
                "unit": ["%", "%"],
            }
        )
    )
    assert views.yes_no_lines(series, catalog, ["ICT_SPEED_TARGET"]) == [
        "Скорость Интернета не ниже целевой: нет — 2022/2023; да — 2023/2024; нет — 2024/2025."
    ]
    frame = views.series_frame(series, catalog, ["ICT_PC_INTERNET_SHARE"])
    fig = charts.trend(frame, "Доли, % — СОШ № 1, по годам", "%")
    assert [t.name for t in fig.data] == ["Доля ПК, имеющих доступ к Интернету"], "no 0→100→0 % line"


def test_a_half_width_trend_wraps_its_title_sooner_and_keeps_its_plot_height():
    """In a half-width column of a 1024 px window a title line holds ~45 characters: a narrow trend wraps at 45
    (the full-width one at 80), with the top margin grown by the extra line."""
    frame = pd.DataFrame({"period": ["2023/2024", "2024/2025"], "series": ["a", "a"], "value": [1.0, 2.0]})
    title = "Доли, % — МОБУ «Гимназия № 1 имени Героя Советского Союза», по годам"  # 68 characters
    wide = charts.trend(frame, title, "%")
    narrow = charts.trend(frame, title, "%", narrow=True)
    assert wide.layout.title.text.count("<br>") == 0
    assert narrow.layout.title.text.count("<br>") == 1
    assert all(len(line) <= 45 for line in narrow.layout.title.text.split("<br>"))
    assert narrow.layout.margin.t == wide.layout.margin.t + 18, "room for the second title line"

"""The institutions' tables, the lagging-institutions chart and «Требуют внимания» without Streamlit."""

from __future__ import annotations

import pandas as pd

from ui.views import tables as views

CATALOG = views.Catalog(
    pd.DataFrame(
        [
            {
                "indicator_code": "A_SHARE",
                "name_ru": "Доля педагогических работников с высшей квалификационной категорией",
                "unit": "%",
                "direction": "up",
                "kind": "share",
                "area": "staff",
                "target": None,
            },
            {
                "indicator_code": "A_COUNT",
                "name_ru": "Численность педагогических работников",
                "unit": "чел.",
                "direction": "none",
                "kind": "count",
                "area": "staff",
                "target": None,
            },
        ]
    )
)
LONG = pd.DataFrame(
    [
        ("S1", "Школа № 1", "school", "г. Бор", "A_SHARE", 70.0),
        ("S1", "Школа № 1", "school", "г. Бор", "A_COUNT", 40.0),
        ("S2", "Школа № 2", "school", "г. Бор", "A_SHARE", 89.5),
        ("S2", "Школа № 2", "school", "г. Бор", "A_COUNT", 12.0),
        ("S3", "Школа № 3", "school", "г. Бор", None, None),
    ],
    columns=["inst_id", "short_name", "inst_type", "municipality", "indicator_code", "value"],
)
TOTAL = pd.DataFrame({"indicator_code": ["A_SHARE", "A_COUNT"], "value": [78.0, 52.0]})


def test_institutions_table_keeps_the_total_apart_and_one_format_per_column():
    tbl = views.indicator_table(
        LONG, CATALOG, ["A_SHARE", "A_COUNT"], by="institution", total=TOTAL, total_label="Итого: г. Бор"
    )
    share = "Доля педагогических работников с высшей квалификационной категорией, %"
    count = "Численность педагогических работников, чел."
    assert list(tbl.frame["Организация"]) == ["Школа № 1", "Школа № 2", "Школа № 3"], "no total row to sort"
    assert tbl.total is not None and tbl.total.iloc[0]["Организация"] == "Итого: г. Бор"
    assert tbl.total.iloc[0][share] == 78.0 and tbl.total.iloc[0][count] == 52.0
    assert None not in tbl.total.iloc[0].tolist(), "the total's empty cells are empty text, not None"
    assert tbl.decimals == {share: 1, count: 0}, "70 and 89,5 both with one decimal; head counts whole"
    assert tbl.pinned == ["Организация"]
    assert tbl.labels[share] == "Педагогов с высшей категорией, %"
    assert tbl.labels[count] == "Педагогов, чел."
    assert tbl.help[share].startswith("Доля педагогических работников с высшей квалификационной")
    assert tbl.missing == 2, "the school without values: two cells «—»"
    export = tbl.export_frame()
    assert list(export["Организация"]) == ["Итого: г. Бор", "Школа № 1", "Школа № 2", "Школа № 3"]


def test_column_decimals_one_per_column():
    assert views.column_decimals(pd.Series([70.0, 89.5]), "%") == 1
    assert views.column_decimals(pd.Series([70.0, 80.0]), "%") == 1
    assert views.column_decimals(pd.Series([12.0, 770.0, None]), "чел.") == 0
    assert views.column_decimals(pd.Series([1.0, 2.5]), "ед.") == 1
    assert views.column_decimals(pd.Series([41.0, 45.0]), "лет") == 1


def test_short_titles_end_at_a_word():
    long_name = {
        "name_ru": "Победители и призёры олимпиад и конкурсов обучающихся (муниципальный уровень и выше) "
        "на 100 обучающихся",
        "unit": "чел.",
    }
    title = views.short_title(long_name)
    assert title == "Победители и призёры олимпиад…, чел."
    words = set(long_name["name_ru"].split())
    assert all(w.rstrip("…,") in words for w in title.removesuffix(", чел.").split())


def test_attention_ranks_only_rates_and_says_why():
    catalog = views.Catalog(
        pd.DataFrame(
            [
                {"indicator_code": c, "name_ru": n, "unit": u, "direction": d, "kind": k, "area": "x"}
                for c, n, u, d, k in [
                    ("CAT", "Доля педагогических работников с высшей категорией", "%", "up", "share"),
                    ("FLAG", "Доля организаций со скоростью не ниже целевой", "%", "up", "share"),
                    ("SIZE", "Численность педагогических работников", "чел.", "none", "count"),
                    ("PC", "Число ПК на 100 обучающихся", "ед.", "up", "per100"),
                    ("SITES", "Число инновационных площадок", "ед.", "up", "count"),
                ]
            ]
        )
    )
    values = pd.DataFrame(
        {
            "indicator_code": ["CAT", "CAT", "FLAG", "FLAG", "PC", "SITES"],
            "denominator": [25.0, 40.0, 1.0, 1.0, 300.0, None],
        }
    )
    assert views.gap_codes(catalog, ["CAT", "FLAG", "SIZE", "PC", "SITES"], values) == ["CAT", "PC"]
    attention = pd.DataFrame(
        [
            {
                "inst_id": "S1",
                "short_name": "Школа № 1",
                "inst_type": "school",
                "indicator_code": "CAT",
                "value": 12.0,
                "scope_value": 36.4,
                "shortfall": 24.4,
                "indicators_below": 3,
            }
        ]
    )
    (item,) = views.attention_items(attention, catalog, "г. Бор")
    assert item["inst_id"] == "S1"
    assert item["text"] == (
        "доля педагогических работников с высшей категорией — 12,0\u00a0% при 36,4\u00a0% по "
        "общеобразовательным организациям (г. Бор): меньше на 24,4\u00a0п.п.; ниже среднего ещё по 2 показателям"
    )

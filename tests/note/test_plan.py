"""The plan documents (`python -m etl plan`, reports/plan.py) on a hand-built warehouse: the XLSX opened with
openpyxl and the DOCX with python-docx, their numbers compared with the planning queries and with these
hand-computed values.

Period 2024/2025, D = 2024-09-20: the planning year is [20.09.2024, 20.09.2025), months September 2024 …
September 2025 (13); training is due 3 years after the last one.
  S1 (Северный, school):
    t1 never trained                    -> overdue, September 2024; needs: functional literacy (course),
                                           digital (seminar)
    t2 trained 2022-03-15               -> due 2025-03-15, March 2025; needs: functional literacy (course)
    t3 trained 2021-09-20               -> due 2024-09-20 = D: September 2024, not overdue
    a1 highest of 2019-05-15            -> lapsed 2024-05-15
    a2 first of 2020-10-01              -> ends 2025-10-01: the planning year 1 (2025/2026)
    y1 young, mentor a2;  y2 young, no mentor
  S2 (Северный, school):
    t4 trained 2022-01-10               -> due 2025-01-10, January 2025; needs: functional literacy (no form)
    a3 highest of 2020-02-01            -> ends 2025-02-01: the planning year 0 (2024/2025)
    r1 born 1965-09-20                  -> 60 exactly on D + 1 year: counted within 1 year
    r2 born 1965-09-21                  -> 60 a day later: within 3 years, not within 1
Everyone else trained 2024-01-01 or 2024-06-01 (not due), born 1980-01-01 (44 at D) with 10 years' service.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import openpyxl
import pytest

from auth.identity import User
from cli import main as cli
from reports import plan as rp
from tests.warehouse.conftest import built_warehouse
from tests.warehouse.helpers import insert_rows, institution, staff
from warehouse import queries

P = "2024/2025"
d = dt.date
TRAINED = {"last_training_date": d(2024, 1, 1)}
YOUNG = {"birth_date": d(1995, 1, 1), "ped_experience_years": 1, "last_training_date": d(2024, 6, 1)}
MONTHS = [
    "сент. 2024", "окт. 2024", "нояб. 2024", "дек. 2024", "янв. 2025", "февр. 2025", "март 2025",
    "апр. 2025", "май 2025", "июнь 2025", "июль 2025", "авг. 2025", "сент. 2025",
]  # fmt: skip


def fill(con) -> None:
    insert_rows(
        con,
        "core.institutions",
        [institution("S1", "school", "Северный"), institution("S2", "school", "Северный")],
    )
    insert_rows(
        con,
        "core.staff",
        [
            staff(P, "S1", "t1", full_name="Андреева Анна"),
            staff(P, "S1", "t2", full_name="Борисова Вера", last_training_date=d(2022, 3, 15)),
            staff(P, "S1", "t3", full_name="Васильева Галина", last_training_date=d(2021, 9, 20)),
            staff(P, "S1", "a1", full_name="Громова Дарья", category="highest", category_date=d(2019, 5, 15), **TRAINED),
            staff(P, "S1", "a2", full_name="Дмитриева Елена", category="first", category_date=d(2020, 10, 1), **TRAINED),
            staff(P, "S1", "y1", full_name="Егорова Жанна", mentor_staff_id="a2", **YOUNG),
            staff(P, "S1", "y2", full_name="Жукова Зоя", **YOUNG),
            staff(P, "S2", "t4", full_name="Зайцева Ирина", last_training_date=d(2022, 1, 10)),
            staff(P, "S2", "a3", full_name="Ильина Ксения", category="highest", category_date=d(2020, 2, 1), **TRAINED),
            staff(P, "S2", "r1", full_name="Козлова Лидия", birth_date=d(1965, 9, 20), **TRAINED),
            staff(P, "S2", "r2", full_name="Лебедева Мария", birth_date=d(1965, 9, 21), **TRAINED),
        ],
    )  # fmt: skip
    insert_rows(
        con,
        "core.staff_needs",
        [
            {"period": P, "inst_id": i, "staff_id": s, "need": n, "form": f, "batch_id": "b-n"}
            for i, s, n, f in (
                ("S1", "t1", "functional_literacy", "course"),
                ("S1", "t1", "digital", "seminar"),
                ("S1", "t2", "functional_literacy", "course"),
                ("S2", "t4", "functional_literacy", None),
            )
        ],
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(tmp_path_factory.mktemp("plan-docs"))
    built_warehouse(folder, fill).close()
    return folder / "w.duckdb"


def run_plan(db: Path, out: Path, *extra: str) -> int:
    return cli.main(["plan", "--db", str(db), "--period", "2024-2025", *extra, "--out", str(out)])


def sheet_rows(book: openpyxl.Workbook, name: str) -> list[tuple]:
    """The table of a sheet under its title line (row 1) and blank row: the header, then the rows."""
    return [tuple(r) for r in book[name].iter_rows(min_row=3, values_only=True)]


@pytest.fixture(scope="module")
def book(db: Path, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    out = Path(tmp_path_factory.mktemp("xlsx")) / "plan.xlsx"
    assert run_plan(db, out) == 0
    return openpyxl.load_workbook(out)


@pytest.fixture(scope="module")
def document(db: Path, tmp_path_factory: pytest.TempPathFactory) -> docx.document.Document:
    out = Path(tmp_path_factory.mktemp("docx")) / "plan.docx"
    assert run_plan(db, out, "--org", "МКУ «ИМЦ г. Северный»") == 0
    return docx.Document(str(out))


def table_rows(document: docx.document.Document, caption: str) -> list[list[str]]:
    """The cells of the table whose caption («Таблица N – …») ends with `caption`."""
    body = document.element.body
    for i, el in enumerate(body):
        if el.tag.endswith("}p") and "".join(el.itertext()).endswith(f"– {caption}"):
            tbl = next(e for e in list(body)[i + 1 :] if e.tag.endswith("}tbl"))
            table = next(t for t in document.tables if t._tbl is tbl)
            return [[cell.text for cell in row.cells] for row in table.rows]
    raise AssertionError(f"no table «{caption}»")


# ----------------------------------------------------------------------------------------- XLSX
def test_workbook_has_one_sheet_per_list(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == [
        "План-график КПК",
        "КПК по месяцам",
        "КПК по организациям",
        "Потребности",
        "Аттестация на 5 лет",
        "Истекшие категории",
        "Без наставника",
        "Наставники",
        "Возраст и стаж (ОО-1)",
        "Прогноз 60 лет и старше",
    ]
    for ws in book.worksheets:
        assert "  " not in ws.title
        # the header is frozen and filtered over the whole table
        assert ws.freeze_panes == "A4"
        assert ws.auto_filter.ref.startswith("A3:")
        assert ws.auto_filter.ref.endswith(str(max(ws.max_row, 4)))
        assert all(c.font.bold for c in ws[3] if c.value is not None)


def test_training_plan_sheet(book: openpyxl.Workbook, db: Path) -> None:
    rows = sheet_rows(book, "План-график КПК")
    assert rows[0] == (
        "№ п/п", "Месяц", "Организация", "ФИО", "Должность", "Дата окончания последних КПК",
        "Срок прохождения КПК", "Отметка", "Профессиональные потребности",
    )  # fmt: skip
    got = [(r[1], r[2], r[3], r[7], r[8]) for r in rows[1:]]
    assert got == [
        ("сентябрь 2024", "S1", "Андреева Анна", "просрочено", "цифровые образовательные технологии; функциональная грамотность"),
        ("сентябрь 2024", "S1", "Васильева Галина", None, None),
        ("январь 2025", "S2", "Зайцева Ирина", None, "функциональная грамотность"),
        ("март 2025", "S1", "Борисова Вера", None, "функциональная грамотность"),
    ]  # fmt: skip
    # dates are dates, counts are whole numbers
    ws = book["План-график КПК"]
    assert ws["G7"].value == dt.datetime(2025, 3, 15) and ws["G7"].number_format == "DD.MM.YYYY"
    assert ws["F4"].value is None  # never trained: an empty cell, not «—»
    assert ws["A4"].value == 1 and ws["A4"].number_format == "#,##0"
    # the same people as the query
    plan = queries.training_plan(db, rp.CLI_USER, queries.Scope(P))
    assert [r[3] for r in rows[1:]] == plan["full_name"].tolist()


def test_training_by_month_and_institution(book: openpyxl.Workbook) -> None:
    by_month = sheet_rows(book, "КПК по месяцам")
    assert by_month[0] == ("Месяц", "Человек", "В т. ч. просрочено")
    assert len(by_month) == 1 + 13
    counts = {r[0]: (r[1], r[2]) for r in by_month[1:]}
    assert counts["сентябрь 2024"] == (2, 1)
    assert counts["январь 2025"] == (1, 0) and counts["март 2025"] == (1, 0)
    assert counts["сентябрь 2025"] == (0, 0)
    assert sum(c[0] for c in counts.values()) == 4
    grid = sheet_rows(book, "КПК по организациям")
    assert grid[0] == ("Организация", *MONTHS, "Всего")
    assert grid[1] == ("S1", 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3)
    assert grid[2] == ("S2", 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1)
    assert book["КПК по организациям"]["B4"].number_format == "#,##0"


def test_needs_sheet(book: openpyxl.Workbook, db: Path) -> None:
    rows = sheet_rows(book, "Потребности")
    assert rows[0] == (
        "Профессиональная потребность", "Курсы повышения квалификации", "Семинар, вебинар", "Наставничество",
        "Самообразование", "Стажировка", "Форма не указана", "Всего",
    )  # fmt: skip
    assert rows[1:] == [
        ("функциональная грамотность", 2, 0, 0, 0, 0, 1, 3),
        ("цифровые образовательные технологии", 0, 1, 0, 0, 0, 0, 1),
    ]
    summary = queries.needs_summary(db, rp.CLI_USER, queries.Scope(P))
    assert sum(r[-1] for r in rows[1:]) == int(summary["people"].sum())


def test_attestation_sheets(book: openpyxl.Workbook) -> None:
    rows = sheet_rows(book, "Аттестация на 5 лет")
    assert rows[0] == (
        "Организация", "Истекла (до 20.09.2024)", "2024/2025", "2025/2026", "2026/2027", "2027/2028",
        "2028/2029", "Всего за 5 лет",
    )  # fmt: skip
    assert rows[1:] == [("S1", 1, 0, 1, 0, 0, 0, 1), ("S2", 0, 1, 0, 0, 0, 0, 1)]
    lapsed = sheet_rows(book, "Истекшие категории")
    assert lapsed[1:] == [(1, "S1", "Громова Дарья", "Учитель", "Высшая", dt.datetime(2024, 5, 15))]


def test_mentoring_sheets(book: openpyxl.Workbook) -> None:
    assert sheet_rows(book, "Без наставника")[1:] == [(1, "S1", "Жукова Зоя", "Учитель")]
    assert sheet_rows(book, "Наставники")[1:] == [(1, "S1", "Егорова Жанна", "Учитель", "Дмитриева Елена")]


def test_age_service_and_forecast_sheets(book: openpyxl.Workbook) -> None:
    rows = {r[0]: r[1:] for r in sheet_rows(book, "Возраст и стаж (ОО-1)")[1:]}
    assert len(rows) == 10
    # total, women, then service <3, 3–5, 5–10, 10–15, 15–20, 20+
    assert rows["25–29 лет"] == (2, 2, 2, 0, 0, 0, 0, 0)
    assert rows["40–44 года"] == (7, 7, 0, 0, 0, 7, 0, 0)
    assert rows["55–59 лет"] == (2, 2, 0, 0, 0, 2, 0, 0)
    assert rows["Моложе 25 лет"] == (0,) * 8
    assert sum(r[0] for r in rows.values()) == 11
    forecast = sheet_rows(book, "Прогноз 60 лет и старше")
    assert [(r[0], r[1], r[2]) for r in forecast[1:]] == [
        ("Через 1\u00a0год", dt.datetime(2025, 9, 20), 1),
        ("Через 3\u00a0года", dt.datetime(2027, 9, 20), 2),
        ("Через 5\u00a0лет", dt.datetime(2029, 9, 20), 2),
    ]


# ----------------------------------------------------------------------------------------- DOCX
def test_docx_title_block(document: docx.document.Document) -> None:
    texts = [p.text for p in document.paragraphs[:9]]
    assert texts[0] == "УТВЕРЖДАЮ"
    assert texts[1] == "Руководитель МКУ «ИМЦ г. Северный»"
    assert texts[4] == "ПЛАН-ГРАФИК"
    assert texts[5] == (
        "повышения квалификации педагогических работников образовательных организаций Северный "
        "на период с 20.09.2024 по 19.09.2025"
    )
    assert "Учебный год: 2024/2025" in texts
    assert texts[8].startswith(
        "Документ содержит персональные данные (Федеральный закон от 27.07.2006 № 152-ФЗ"
    )
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape: the grid of 13 months fits


def test_docx_tables_hold_the_plan(document: docx.document.Document) -> None:
    by_month = table_rows(document, "Число педагогических работников по месяцам")
    assert by_month[0] == ["Месяц", "Человек", "В т. ч. просрочено"]
    assert by_month[1] == ["сентябрь 2024", "2", "1"]
    assert by_month[-1] == ["Итого", "4", "1"]
    grid = table_rows(document, "Число педагогических работников по организациям и месяцам")
    assert grid[0] == ["Организация", *MONTHS, "Всего"]
    assert grid[-1] == ["Итого", "2", "0", "0", "0", "1", "0", "1", "0", "0", "0", "0", "0", "0", "4"]
    needs = table_rows(
        document, "Профессиональные потребности и предпочтительные формы повышения квалификации (человек)"
    )
    # the forms nobody chose are left out of the printed table
    assert needs[0] == ["Профессиональная потребность", "Курсы повышения квалификации", "Семинар, вебинар",
                        "Форма не указана", "Всего"]  # fmt: skip
    assert needs[1] == ["функциональная грамотность", "2", "0", "1", "3"]
    listing = table_rows(
        document, "План-график повышения квалификации (образовательных организаций Северный)"
    )
    assert [r[3] for r in listing[1:]] == [
        "Андреева Анна",
        "Васильева Галина",
        "Зайцева Ирина",
        "Борисова Вера",
    ]
    assert listing[1][6] == "—" and listing[4][6] == "15.03.2025"  # «—» for no date, dd.mm.yyyy
    attestation = table_rows(document, "Перспективный план аттестации")
    assert attestation[-1] == ["Итого", "1", "1", "1", "0", "0", "0", "2"]
    alone = table_rows(document, "Молодые специалисты без наставника")
    assert alone[1:] == [["1", "S1", "Жукова Зоя", "Учитель"]]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "В план-график включены 4\u00a0педагогических работника" in text
    assert "из них у 1 срок уже истёк" in text
    assert "Молодых специалистов — 2, из них без наставника — 1." in text
    # the header row repeats on every page; rows never split
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None


def test_a_director_gets_their_own_institution(db: Path) -> None:
    director = User(login="d", role="director", inst_id="S2")
    book = openpyxl.load_workbook(io.BytesIO(rp.plan_xlsx(db, director, queries.Scope(P))))
    assert [r[3] for r in sheet_rows(book, "План-график КПК")[1:]] == ["Зайцева Ирина"]
    assert sheet_rows(book, "Аттестация на 5 лет")[1:] == [("S2", 0, 1, 0, 0, 0, 0, 1)]
    assert sheet_rows(book, "Без наставника")[1:] == []
    document = docx.Document(io.BytesIO(rp.plan_docx(db, director, queries.Scope(P))))
    assert "Организация S2" in document.paragraphs[5].text  # the institution's full name in the title
    # one institution: no grid by institution, no institution column
    listing = table_rows(document, "План-график повышения квалификации (Организация S2)")
    assert listing[0][:3] == ["№ п/п", "Месяц", "ФИО"]


# ----------------------------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2031/2032", "--out", "x.xlsx"], "План не сформирован: Нет данных за 2031/2032"),
        (["--period", P, "--scope", "NOPE", "--out", "x.docx"], "Организация с кодом NOPE не найдена"),
        (["--period", P, "--scope", "type:lyceum", "--out", "x.docx"], "тип организаций — school"),
        (["--period", P, "--municipality", "Нигде", "--out", "x.xlsx"], "Муниципалитет «Нигде» не найден"),
        (["--period", P, "--out", "x.pdf"], "должен иметь расширение .xlsx"),
    ],
)
def test_cli_refuses_in_russian(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out_at = args.index("--out") + 1
    args[out_at] = str(tmp_path / args[out_at])
    assert cli.main(["plan", "--db", str(db), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / Path(args[out_at]).name).exists()


def test_a_region_wide_plan_names_the_municipalities(tmp_path: Path) -> None:
    """Short names repeat across municipalities: each institution keeps its row, under its municipality, and
    «№ 2» comes before «№ 10»."""

    def named(inst_id: str, municipality: str, short_name: str) -> dict[str, object]:
        return {**institution(inst_id, "school", municipality), "short_name": short_name}

    def fill_region(con) -> None:
        insert_rows(
            con,
            "core.institutions",
            [
                named("N1", "Северный", "СОШ № 1"),
                named("S1", "Южный", "СОШ № 1"),
                named("S10", "Южный", "СОШ № 10"),
                named("S2", "Южный", "СОШ № 2"),
            ],
        )
        # one never-trained teacher each (due in D's month); N1 two
        insert_rows(con, "core.staff", [staff(P, i, f"{i}-t") for i in ("N1", "S1", "S10", "S2")])
        insert_rows(con, "core.staff", [staff(P, "N1", "N1-u")])

    built_warehouse(tmp_path, fill_region).close()
    book = openpyxl.load_workbook(
        io.BytesIO(rp.plan_xlsx(tmp_path / "w.duckdb", rp.CLI_USER, queries.Scope(P)))
    )
    grid = sheet_rows(book, "КПК по организациям")
    assert grid[0][:3] == ("Муниципалитет", "Организация", "сент. 2024")
    assert [(r[0], r[1], r[2], r[-1]) for r in grid[1:]] == [
        ("Северный", "СОШ № 1", 2, 2),
        ("Южный", "СОШ № 1", 1, 1),
        ("Южный", "СОШ № 2", 1, 1),
        ("Южный", "СОШ № 10", 1, 1),
    ]
    assert sheet_rows(book, "План-график КПК")[0][2:4] == ("Муниципалитет", "Организация")

"""The DOCX toolkit: the house layout, tables in Russian formats, figures, charts as PNG."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pandas as pd
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from reports import docx_builder as dx
from ru import fmt

NBSP = fmt.NBSP
PNG = b"\x89PNG\r\n\x1a\n"


def _open(report: dx.DocxReport) -> docx.document.Document:
    return docx.Document(io.BytesIO(report.to_bytes()))


def test_new_document_layout() -> None:
    document = _open(dx.DocxReport(title="Т", author="ИМЦ"))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert round(document.styles[dx.BODY_STYLE].paragraph_format.first_line_indent.cm, 2) == 1.25
    assert document.core_properties.title == "Т"
    assert document.core_properties.language == "ru-RU"
    assert "w:instrText" in section.header._element.xml  # the page number field


def test_long_names_fit_the_file_properties() -> None:
    """An institution's full name can exceed the 255 characters a DOCX core property holds."""
    name = "Муниципальное бюджетное общеобразовательное учреждение " * 6
    document = _open(dx.DocxReport(title=f"Паспорт: {name}", author=name, subject=name))
    props = document.core_properties
    assert len(props.title) == len(props.author) == len(props.subject) == 255
    assert props.title.startswith("Паспорт: Муниципальное") and props.title.endswith("…")


def test_title_headings_paragraphs() -> None:
    report = dx.DocxReport()
    report.title_block("МКУ «ИМЦ»", "АНАЛИТИЧЕСКАЯ СПРАВКА", subtitle="по итогам", lines=["Дата: 01.02.2025"])
    report.heading("1. Общие сведения")
    report.paragraph(["Начало ", dx.Run("жирно", bold=True), " конец."])
    report.bullet("пункт")
    document = _open(report)
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == ["МКУ «ИМЦ»", "АНАЛИТИЧЕСКАЯ СПРАВКА", "по итогам", "Дата: 01.02.2025"]
    heading = document.paragraphs[4]
    assert heading.text == "1. Общие сведения" and heading.style.name == "Heading 1"
    body = document.paragraphs[5]
    assert body.text == "Начало жирно конец." and body.style.name == dx.BODY_STYLE
    assert [r.bold for r in body.runs] == [None, True, None]
    assert document.paragraphs[6].text == "– пункт"
    assert document.paragraphs[1].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_table_with_russian_formats() -> None:
    frame = pd.DataFrame(
        {
            "Организация": ["Школа № 1", "Сад", "Итого"],
            "Доля, %": [36.44, None, 12.0],
            "Педагогов": [1234, 5, 1239],
            "Индекс": [67.25, 3.0, 41.0],
            "Дата": [dt.date(2024, 9, 20), None, pd.Timestamp("2025-01-02")],
        }
    )
    report = dx.DocxReport()
    report.table(
        frame,
        caption="Показатели",
        units={"Доля, %": "%", "Педагогов": "чел.", "Индекс": "балл 0–100"},
        dates=["Дата"],
        bold_last_row=True,
        note="«—» — нет данных",
    )
    document = _open(report)
    assert document.paragraphs[0].text == "Таблица 1 – Показатели"
    table = document.tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Организация", "Доля, %", "Педагогов", "Индекс", "Дата"]
    assert rows[1] == ["Школа № 1", "36,4", f"1{NBSP}234", "67,3", "20.09.2024"]
    assert rows[2] == ["Сад", "—", "5", "3,0", "—"]
    assert rows[3][0] == "Итого" and table.rows[3].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[1].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert "w:tblHeader" in table.rows[0]._tr.xml
    assert document.paragraphs[-1].text == "«—» — нет данных"


def test_format_frame_matches_the_table() -> None:
    frame = pd.DataFrame({"a": [1.25, None], "b": ["x", "y"], "c": [3, 4]})
    shown = dx.format_frame(frame, {"a": "%"})
    assert shown.to_dict("list") == {"a": ["1,3", "—"], "b": ["x", "y"], "c": ["3", "4"]}


def test_a_column_has_one_number_of_decimals() -> None:
    """Not «0», «30», «2,1» in one column: a count column with a fraction shows every cell with one
    decimal; a column of whole counts shows none."""
    frame = pd.DataFrame({"Площадок на 100": [0.0, 30.0, 2.1, None], "Педагогов": [0.0, 30.0, 41.0, 7.0]})
    shown = dx.format_frame(frame, {"Площадок на 100": "ед.", "Педагогов": "чел."})
    assert shown.to_dict("list") == {
        "Площадок на 100": ["0,0", "30,0", "2,1", "—"],
        "Педагогов": ["0", "30", "41", "7"],
    }


def test_tables_and_figures_are_numbered() -> None:
    report = dx.DocxReport()
    png = dx.bar_chart(["А", "Б"], [1.5, 2.0], unit="%", reference=1.7, reference_label="город — 1,7 %")
    report.figure(png, caption="Первый")
    report.table(pd.DataFrame({"x": [1]}), caption="Первая")
    report.figure(
        dx.line_chart(["2023/2024", "2024/2025"], {"a": [1, 2], "b": [None, 3]}, unit="%"), caption="Второй"
    )
    report.table(pd.DataFrame({"x": [1]}), caption="Вторая")
    document = _open(report)
    captions = [p.text for p in document.paragraphs if p.text]
    assert captions == [
        "Рисунок 1 – Первый",
        "Таблица 1 – Первая",
        "Рисунок 2 – Второй",
        "Таблица 2 – Вторая",
    ]
    assert len(document.inline_shapes) == 2
    assert round(document.inline_shapes[0].width.cm, 1) == 16.0


def test_charts_are_png() -> None:
    charts = [
        dx.bar_chart([f"Организация № {i}" for i in range(30)], [float(i) for i in range(30)], unit="%"),
        dx.bar_chart(["А", "Б"], [None, 2.0]),
        dx.line_chart(["2022/2023", "2023/2024", "2024/2025"], {"Длинное название " * 8: [1.0, None, 3.0]}),
        dx.grouped_bar_chart(["2023/2024", "2024/2025"], {"a": [1, 2], "b": [3, 4]}, unit="ед."),
    ]
    for png in charts:
        assert png.startswith(PNG) and len(png) > 2000


def test_tick_labels_use_decimal_comma() -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0.5, 2.5])
    dx.number_axis(ax.yaxis, "%")
    labels = [ax.yaxis.get_major_formatter()(x, 0) for x in (0.5, 1.0, 2.5)]
    assert labels == ["0,5", "1", "2,5"]


def test_column_widths_fill_the_text_width() -> None:
    frame = pd.DataFrame(
        {
            "Показатель": ["Доля педагогических работников с высшей квалификационной категорией " * 2] * 3,
            "Цель": ["100,0 %", "—", "—"],
            "2024/2025": ["36,4 %", "12,0 %", "—"],
        }
    )
    shown = dx.format_frame(frame)
    widths = dx.auto_widths(list(frame.columns), shown, 16.5, font_pt=11)
    assert abs(sum(widths) - 16.5) < 1e-6
    # the short columns get room for «100,0 %» and the period; the long names take the rest
    assert widths[1] >= 7 * 0.5 * 11 / 72 * 2.54 and widths[2] >= 9 * 0.5 * 11 / 72 * 2.54
    assert widths[0] > 10
    report = dx.DocxReport()
    table = report.table(frame)
    assert abs(sum(c.width.cm for c in table.rows[1].cells) - report.text_width_cm) < 0.05

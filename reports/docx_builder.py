"""A small DOCX toolkit for the documents the system writes (analytical notes, institution passports).

    from reports import docx_builder as dx

    doc = dx.DocxReport(title="Аналитическая справка", author="ИМЦ")
    doc.title_block("МКУ «Информационно-методический центр»", "АНАЛИТИЧЕСКАЯ СПРАВКА",
                    subtitle="по итогам мониторинга …", lines=["Дата составления: 25.11.2025"])
    doc.heading("1. Общие сведения")
    doc.paragraph("Доля … составила 36,4 %.")
    doc.paragraph(["Вывод: ", dx.Run("курсив", italic=True)])
    doc.bullet("плановые КПК — 25 педагогов")
    doc.table(frame, caption="Основные показатели", units={"Доля, %": "%"}, dates=["Дата"])
    doc.figure(dx.bar_chart(labels, values, unit="%", reference=36.4), caption="Доля …")
    data: bytes = doc.to_bytes()

Layout follows the usual Russian office document (ГОСТ Р 7.0.97-2016): A4, margins 30/15/20/20 mm, Times New
Roman 14 pt, single spacing, paragraphs justified with a 1.25 cm first-line indent, page numbers centred at
the top from the second page; tables in 12 pt with the caption «Таблица N – …» above, figures with
«Рисунок N – …» below, both numbered automatically. The document language is ru-RU.

Numbers in tables are printed by the dashboards' formats (ru/fmt.py): a column listed in `units` is
formatted like the dashboards' tables (`36,4`, `1 234`), dates as `20.09.2024`, a missing value as «—».
`format_frame` gives the same strings for an on-screen preview.

Charts are drawn with matplotlib (Agg, no pyplot state, safe in a server thread) and returned as PNG bytes:
plotly's static export (kaleido) needs a Chromium process per image here — seconds each.
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import docx
import pandas as pd
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from ru import fmt

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
CAPTION_PT = 12
FIRST_LINE_INDENT_CM = 1.25
# left, right, top, bottom (mm)
MARGINS_MM = (30, 15, 20, 20)
LANGUAGE = "ru-RU"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

BODY_STYLE = "IMC Body"
# the style ids Word stores for the custom styles (their names without spaces)
_TABLE_STYLE_ID = "IMCTableText"
TABLE_STYLE_TEXT = "IMC Table Text"
CAPTION_STYLE = "IMC Caption"


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph with its own emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


# ----------------------------------------------------------------------------------------- formats
def format_cell(
    value: Any, unit: str | None = None, is_date: bool = False, decimals: int | None = None
) -> str:
    """One table cell as the dashboards print it: «36,4», «1 234», «20.09.2024», «—» when missing.
    `decimals` (a column's, fmt.column_decimals) overrides the value's own for a number with a unit."""
    if isinstance(value, str) and not is_date:
        return value  # a text is never missing (the check below costs more than all the rest for a text)
    if fmt.is_missing(value):
        return fmt.MISSING
    if is_date:
        return fmt.date(value)
    if isinstance(value, bool):
        return "да" if value else "нет"
    if unit is not None and isinstance(value, int | float):
        return fmt.number(value, fmt.decimals_for(value, unit) if decimals is None else decimals)
    if isinstance(value, int):
        return fmt.integer(value)
    if isinstance(value, float):
        return fmt.integer(value) if value.is_integer() else fmt.number(value)
    if hasattr(value, "item"):  # numpy scalars
        return format_cell(value.item(), unit, is_date, decimals)
    return str(value)


def format_frame(
    frame: pd.DataFrame, units: Mapping[str, str] | None = None, dates: Iterable[str] = ()
) -> pd.DataFrame:
    """A copy of `frame` with every cell as the string a table shows (for a DOCX table or a preview). A
    column with a unit has one number of decimals for all its cells (fmt.column_decimals: never «0», «30»
    and «2,1» in one column)."""
    units = dict(units or {})
    date_cols = set(dates)
    out = pd.DataFrame(index=range(len(frame)))
    for col in frame.columns:
        unit = units.get(str(col))
        is_date = str(col) in date_cols
        values = frame[col].tolist()
        numbers = [v for v in values if isinstance(v, Real) and not isinstance(v, bool)]
        decimals = fmt.column_decimals(numbers, unit) if unit is not None and numbers else None
        out[col] = _format_column(values, unit, is_date, decimals)
    return out


def _format_column(values: list[Any], unit: str | None, is_date: bool, decimals: int | None) -> list[str]:
    """format_cell of every value, each distinct value formatted once (a region's list of 30,000 people
    repeats its institutions, dates and counts)."""
    memo: dict[tuple[type, Any], str] = {}
    out = []
    for v in values:
        try:
            key: tuple[type, Any] | None = (type(v), v)
            text = memo.get(key)  # type: ignore[arg-type]
        except TypeError:  # an unhashable value, or pd.NA compared with a colliding key
            key, text = None, None
        if text is None:
            text = format_cell(v, unit, is_date, decimals)
            if key is not None:
                with contextlib.suppress(TypeError):
                    memo[key] = text
        out.append(text)
    return out


def column_needs(
    columns: Sequence[str], shown: pd.DataFrame, font_pt: float = TABLE_PT
) -> tuple[list[float], list[float]]:
    """(floors, wants) in cm per column. A floor is what a column cannot go below without breaking a word:
    its longest word (the bold header's or a cell's — a cell wraps only between words) plus the cell
    margins; a want is its typical cell (the longest one when short, else the 90th percentile of lengths)."""
    return _needs(_text_lengths(columns, shown), font_pt)


def _text_lengths(columns: Sequence[str], shown: pd.DataFrame) -> list[tuple[int, int, int]]:
    """Per column, what its width depends on whatever the font: (the header's longest word, a cell's
    longest word, the typical cell's length) — measured once for the several fonts a table tries."""
    lengths = []
    for col in columns:
        values = [str(v) for v in shown[col].tolist()] if col in shown.columns else []
        # words break only at ordinary spaces: «100,0 %» (a no-break space) is one word
        header_word = max((len(w) for w in str(col).split(" ")), default=1)
        cell_word = max(
            (len(v) if " " not in v else max(len(w) for w in v.split(" ")) for v in values), default=1
        )
        cells = sorted(len(v) for v in values)
        typical = (cells[-1] if cells[-1] <= 14 else cells[int(len(cells) * 0.9)]) if cells else 1
        lengths.append((header_word, cell_word, typical))
    return lengths


def _needs(lengths: Sequence[tuple[int, int, int]], font_pt: float) -> tuple[list[float], list[float]]:
    em_cm = font_pt / 72 * 2.54
    body_char = 0.54 * em_cm  # an average Cyrillic letter of Times New Roman
    bold_char = 0.68 * em_cm  # bold capitals and «ы», «ж», «ш» are wide
    padding_cm = 0.5  # both cell margins with a little slack (LibreOffice: 0.19 cm each side)
    floors: list[float] = []
    wants: list[float] = []
    for header_word, cell_word, typical in lengths:
        floor = max(header_word * bold_char, min(cell_word, 40) * body_char, 3 * body_char) + padding_cm
        floors.append(floor)
        wants.append(max(floor, min(typical, 60) * body_char + padding_cm))
    return floors, wants


def auto_widths(
    columns: Sequence[str],
    shown: pd.DataFrame,
    total_cm: float,
    font_pt: float = TABLE_PT,
    lengths: Sequence[tuple[int, int, int]] | None = None,
) -> list[float]:
    """Column widths (cm) summing to `total_cm`, so that no word is broken inside a cell («Изменени е»):
    wants that fit are stretched to the width; otherwise every column gets its floor and the room left is
    shared in proportion to what each still wants. Only when even the floors do not fit are they scaled
    down (DocxReport.table then picks a smaller font first). `lengths`: `_text_lengths` of the table, when
    already measured."""
    floors, wants = _needs(lengths or _text_lengths(columns, shown), font_pt)
    if sum(wants) <= total_cm:
        return [total_cm * w / sum(wants) for w in wants]
    if sum(floors) <= total_cm:
        extra = [w - f for w, f in zip(wants, floors, strict=True)]
        room = total_cm - sum(floors)
        return [f + room * e / sum(extra) for f, e in zip(floors, extra, strict=True)]
    return [total_cm * f / sum(floors) for f in floors]


def fitting_font(
    columns: Sequence[str],
    shown: pd.DataFrame,
    total_cm: float,
    font_pt: float,
    lengths: Sequence[tuple[int, int, int]] | None = None,
) -> float:
    """`font_pt`, or the largest of one or two points less (not below 9 pt) at which every column's longest
    word fits the width."""
    lengths = lengths or _text_lengths(columns, shown)
    for size in (font_pt, font_pt - 1, font_pt - 2):
        if size < 9:
            break
        if sum(_needs(lengths, size)[0]) <= total_cm:
            return size
    return max(9.0, font_pt - 2)


def _is_numeric_column(values: Sequence[Any], unit: str | None) -> bool:
    if unit is not None:
        return True
    present = [v for v in values if not fmt.is_missing(v)]
    return bool(present) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present)


# ----------------------------------------------------------------------------------------- XML helpers
def _property(text: str, limit: int = 255) -> str:
    """A core property of the file (title, author, subject): at most `limit` characters, cut with «…»."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _set_fonts(rpr_parent: Any, name: str) -> None:
    """Set a font for every script (Latin, Cyrillic, complex) and drop theme fonts that would override it."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _set_language(rpr_parent: Any, lang: str) -> None:
    rpr = rpr_parent.get_or_add_rPr()
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = OxmlElement("w:lang")
        rpr.append(el)
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cant_split(row: Any) -> None:
    """A row is never split across two pages."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.insert(0, el)


def _row_xml(
    values: Sequence[str],
    numeric: Sequence[bool],
    widths: Sequence[int | None],
    style_id: str,
    *,
    bold: bool,
    size: float,
) -> str:
    """One table row as WordprocessingML (the same markup python-docx writes cell by cell)."""
    prefixes = _cell_prefixes(tuple(numeric), tuple(widths), style_id, bold, size)
    cells = "".join(
        f"{prefix}{xml_escape(str(text))}</w:t></w:r></w:p></w:tc>"
        for text, prefix in zip(values, prefixes, strict=False)
    )
    # a row is kept whole on one page (cantSplit)
    return f'<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>{cells}</w:tr>'


@functools.lru_cache(maxsize=256)
def _cell_prefixes(
    numeric: tuple[bool, ...], widths: tuple[int | None, ...], style_id: str, bold: bool, size: float
) -> tuple[str, ...]:
    """The markup of each column's cell up to its text (the same for every row of a table)."""
    half_points = int(round(size * 2))
    run_props = ("<w:b/>" if bold else "") + (
        f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>' if size != TABLE_PT else ""
    )
    rpr = f"<w:rPr>{run_props}</w:rPr>" if run_props else ""
    prefixes = []
    for is_num, width in zip(numeric, widths, strict=False):
        tc_pr = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>' if width else ""
        jc = "right" if is_num else "left"
        prefixes.append(
            f'<w:tc>{tc_pr}<w:p><w:pPr><w:pStyle w:val="{style_id}"/><w:jc w:val="{jc}"/></w:pPr>'
            f'<w:r>{rpr}<w:t xml:space="preserve">'
        )
    return tuple(prefixes)


def _keep_with_next(paragraph: Paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field (the page number) at the end of `paragraph`."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)


# ----------------------------------------------------------------------------------------- the document
class DocxReport:
    """A new A4 document in the house layout, with numbered tables and figures.

    Every method appends to the end of the document and returns the python-docx object it added, so a
    caller can fine-tune it; `self.doc` is the underlying `docx.Document` for anything not covered here.
    """

    def __init__(
        self,
        *,
        title: str = "",
        author: str = "",
        subject: str = "",
        landscape: bool = False,
        page_numbers: bool = True,
    ) -> None:
        self.doc = docx.Document()
        self.tables = 0
        self.figures = 0
        self._setup_page(landscape, page_numbers)
        self._setup_styles()
        props = self.doc.core_properties
        # the file's properties hold at most 255 characters (an institution's full name can be longer)
        props.title = _property(title)
        props.author = _property(author)
        props.subject = _property(subject)
        props.language = LANGUAGE
        props.comments = ""

    @property
    def text_width_cm(self) -> float:
        """The width between the margins."""
        section = self.doc.sections[-1]
        width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
        return float(Emu(width).cm)

    # -- setup
    def _setup_page(self, landscape: bool, page_numbers: bool) -> None:
        section = self.doc.sections[0]
        width, height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            width, height = height, width
        section.page_width, section.page_height = width, height
        left, right, top, bottom = MARGINS_MM
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.header_distance = Mm(10)
        if page_numbers:
            section.different_first_page_header_footer = True
            para = section.header.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _page_field(para)

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        _set_fonts(normal.element, FONT)
        _set_language(normal.element, LANGUAGE)
        pf = normal.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing = 1.0

        body = styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        body.base_style = normal
        body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        body.paragraph_format.first_line_indent = Cm(FIRST_LINE_INDENT_CM)

        table_text = styles.add_style(TABLE_STYLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = normal
        table_text.font.size = Pt(TABLE_PT)

        caption = styles.add_style(CAPTION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        caption.base_style = normal
        caption.font.size = Pt(CAPTION_PT)
        caption.paragraph_format.space_before = Pt(6)
        caption.paragraph_format.space_after = Pt(6)

        for level, size in ((1, BODY_PT), (2, BODY_PT), (3, BODY_PT)):
            style = styles[f"Heading {level}"]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = level == 3
            style.font.color.rgb = RGBColor(0, 0, 0)
            _set_fonts(style.element, FONT)
            _set_language(style.element, LANGUAGE)
            pf = style.paragraph_format
            pf.space_before = Pt(12 if level == 1 else 8)
            pf.space_after = Pt(6)
            pf.first_line_indent = Cm(0)
            pf.keep_with_next = True

    # -- blocks
    def title_block(
        self,
        organisation: str,
        title: str,
        subtitle: str | None = None,
        lines: Sequence[str] = (),
    ) -> None:
        """The head of a document: the organisation (centred), the document kind in capitals, what it is
        about, then lines such as the date (right-aligned)."""
        org = self.doc.add_paragraph(organisation, style="Normal")
        org.alignment = WD_ALIGN_PARAGRAPH.CENTER
        org.paragraph_format.space_after = Pt(18)
        head = self.doc.add_paragraph(style="Normal")
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        head.add_run(title).bold = True
        if subtitle:
            sub = self.doc.add_paragraph(style="Normal")
            sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
            sub.add_run(subtitle).bold = True
        for i, line in enumerate(lines):
            para = self.doc.add_paragraph(line, style="Normal")
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if i == 0:
                para.paragraph_format.space_before = Pt(12)
        self.doc.paragraphs[-1].paragraph_format.space_after = Pt(12)

    def heading(self, text: str, level: int = 1) -> Paragraph:
        """A section heading (Word's «Заголовок N» style, so it shows in the navigation pane)."""
        return self.doc.add_heading(text, level=level)

    def paragraph(
        self,
        content: str | Sequence[str | Run],
        *,
        align: str = "justify",
        indent: bool = True,
        bold: bool = False,
        italic: bool = False,
        size_pt: float | None = None,
    ) -> Paragraph:
        """A body paragraph: justified with a first-line indent (`align` "left"/"center"/"right"/"justify").
        `content` is a string or a sequence of strings and `Run`s."""
        para = self.doc.add_paragraph(style=BODY_STYLE)
        para.alignment = _ALIGN[align]
        if not indent:
            para.paragraph_format.first_line_indent = Cm(0)
        parts = [content] if isinstance(content, str) else list(content)
        for part in parts:
            piece = part if isinstance(part, Run) else Run(str(part))
            run = para.add_run(piece.text)
            run.bold = piece.bold or bold or None
            run.italic = piece.italic or italic or None
            if size_pt:
                run.font.size = Pt(size_pt)
        return para

    def bullet(self, content: str | Sequence[str | Run], marker: str = "–") -> Paragraph:
        """A list item in the Russian office manner: «– текст», justified, with the paragraph indent."""
        parts = [content] if isinstance(content, str) else list(content)
        return self.paragraph([f"{marker} ", *parts])

    def table(
        self,
        frame: pd.DataFrame,
        *,
        caption: str | None = None,
        units: Mapping[str, str] | None = None,
        dates: Iterable[str] = (),
        widths_cm: Sequence[float] | None = None,
        bold_last_row: bool = False,
        note: str | None = None,
        font_pt: float = TABLE_PT,
    ) -> Table:
        """A table of `frame` (header row = column names, repeated on every page) with Russian formats:
        columns in `units` as the dashboards' tables print them, `dates` as dd.mm.yyyy, «—» for missing.
        Numeric columns are right-aligned. `caption` becomes «Таблица N – caption» above the table;
        `note` a small paragraph below it (sources, «—» = нет данных)."""
        units = dict(units or {})
        date_cols = list(dates)
        if caption:
            self.tables += 1
            cap = self.doc.add_paragraph(f"Таблица {self.tables} – {caption}", style=CAPTION_STYLE)
            cap.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _keep_with_next(cap)
        columns = [str(c) for c in frame.columns]
        numeric = [
            _is_numeric_column(frame[c].tolist(), units.get(str(c))) and str(c) not in date_cols
            for c in frame.columns
        ]
        shown = format_frame(frame, units, date_cols)
        lengths = _text_lengths(columns, shown) if not widths_cm else None
        if not widths_cm:
            font_pt = fitting_font(columns, shown, self.text_width_cm, font_pt, lengths)
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0]
        _repeat_header(header)
        _cant_split(header)
        for cell, name in zip(header.cells, columns, strict=True):
            self._cell_text(cell, name, bold=True, align="center", size=font_pt)
        # column widths: as given, else shared out by how much text each column holds
        given = (
            list(widths_cm)
            if widths_cm
            else auto_widths(columns, shown, self.text_width_cm, font_pt, lengths)
        )
        widths = [int(Cm(w).twips) for w in given]
        for cell, width in zip(header.cells, given, strict=False):
            cell.width = Cm(width)
        for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, given, strict=False):
            grid_col.w = Cm(width)
        # the body rows are written as XML in one go: python-docx's per-cell API costs ~1 ms a cell
        style_id = self.doc.styles[TABLE_STYLE_TEXT].style_id
        n_rows = len(shown)
        rows_xml = [
            _row_xml(values, numeric, widths, style_id, bold=bold_last_row and i == n_rows - 1, size=font_pt)
            for i, values in enumerate(shown.itertuples(index=False, name=None))
        ]
        if rows_xml:
            body = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows_xml)}</w:tbl>")
            for tr in list(body):
                table._tbl.append(tr)
        if note:
            para = self.doc.add_paragraph(note, style=CAPTION_STYLE)
            para.paragraph_format.space_before = Pt(2)
        else:
            self.doc.add_paragraph(style="Normal")
        return table

    @staticmethod
    def _cell_text(cell: Any, text: str, *, bold: bool, align: str, size: float) -> None:
        para = cell.paragraphs[0]
        para._p.style = _TABLE_STYLE_ID
        para.alignment = _ALIGN[align]
        run = para.add_run(text)
        if bold:
            run.bold = True
        if size != TABLE_PT:
            run.font.size = Pt(size)

    def figure(self, png: bytes, *, caption: str | None = None, width_cm: float = 16.0) -> Paragraph:
        """A PNG image centred on the page, with «Рисунок N – caption» below it."""
        self.doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
        pic = self.doc.paragraphs[-1]
        pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pic.paragraph_format.first_line_indent = Cm(0)
        pic.paragraph_format.space_before = Pt(6)
        _keep_with_next(pic)
        if caption:
            self.figures += 1
            cap = self.doc.add_paragraph(f"Рисунок {self.figures} – {caption}", style=CAPTION_STYLE)
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            return cap
        return pic

    def page_break(self) -> None:
        self.doc.add_paragraph(style="Normal").add_run().add_break(WD_BREAK.PAGE)

    def signature(self, position: str, name: str = "") -> Paragraph:
        """«Должность ____________ Ф. И. О.» at the end of a document."""
        para = self.doc.add_paragraph(style="Normal")
        para.paragraph_format.space_before = Pt(24)
        para.add_run(f"{position}\t____________\t{name}".rstrip())
        return para

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


# ----------------------------------------------------------------------------------------- charts
CHART_WIDTH_CM = 16.0
CHART_DPI = 150
CHART_FONT_PT = 10  # 8 pt was too small to read on the printed page
PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#bf9000")
HIGHLIGHT = "#c00000"
# the width of an average character of the chart font (DejaVu Sans) at CHART_FONT_PT, in cm
_CHAR_CM = 0.6 * CHART_FONT_PT / 72 * 2.54
LEGEND_WRAP = 95


def _figure(height_cm: float, *, left_cm: float = 1.6, bottom_cm: float = 1.0, top_cm: float = 0.5) -> Any:
    """A figure CHART_WIDTH_CM wide with fixed margins (cheaper than a layout engine, which draws twice)."""
    from matplotlib.figure import Figure  # imported on first chart: ~0.3 s that a text-only caller skips

    fig = Figure(figsize=(CHART_WIDTH_CM / 2.54, height_cm / 2.54), dpi=CHART_DPI)
    fig.subplots_adjust(
        left=left_cm / CHART_WIDTH_CM,
        right=1 - 0.5 / CHART_WIDTH_CM,
        bottom=bottom_cm / height_cm,
        top=1 - top_cm / height_cm,
    )
    return fig


def figure_png(fig: Any, dpi: int = CHART_DPI) -> bytes:
    """A matplotlib Figure as PNG bytes (white background)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def number_axis(axis: Any, unit: str | None) -> None:
    from matplotlib.ticker import FuncFormatter

    decimals = 0 if unit in ("чел.", "ед.") else 1

    def tick(x: float, _pos: int) -> str:
        return fmt.number(x, 0 if float(x).is_integer() else decimals)

    axis.set_major_formatter(FuncFormatter(tick))


def _float(value: Any) -> float:
    return float(value)


def _label(value: float, unit: str | None) -> str:
    return fmt.number(value, fmt.decimals_for(value, unit))


def _style_axes(ax: Any) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=CHART_FONT_PT)


def _wrap(text: str, width: int = LEGEND_WRAP) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _legend_below(ax: Any) -> None:
    """A one-column legend under the axes (long indicator names wrapped)."""
    ax.legend(
        fontsize=CHART_FONT_PT - 1,
        loc="upper left",
        bbox_to_anchor=(0.0, -0.09),
        ncol=1,
        frameon=False,
    )


def _legend_lines(names: Sequence[str]) -> int:
    return sum(_wrap(n).count("\n") + 1 for n in names)


def _series_figure(
    series: Mapping[str, Sequence[float | None]], height_cm: float, title: str | None
) -> tuple[dict[str, Sequence[float | None]], Any, Any]:
    """A chart of one or more series, its legend (when there are several) under the axes: the series by
    their wrapped names, the figure, taller by the legend's lines, and its styled axes."""
    wrapped = {_wrap(name): values for name, values in series.items()}
    legend_cm = 0.42 * _legend_lines(list(series)) if len(series) > 1 else 0.0
    fig = _figure(height_cm + legend_cm, bottom_cm=0.9 + legend_cm, top_cm=0.9 if title else 0.4)
    ax = fig.add_subplot()
    _style_axes(ax)
    return wrapped, fig, ax


def _label_series_axes(ax: Any, unit: str | None, title: str | None, *, legend: bool) -> None:
    """The value axis in `unit`, the title on the left, the legend under the axes."""
    number_axis(ax.yaxis, unit)
    if unit:
        ax.set_ylabel(unit, fontsize=CHART_FONT_PT)
    if title:
        ax.set_title(title, fontsize=CHART_FONT_PT + 1, loc="left")
    if legend:
        _legend_below(ax)


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    unit: str | None = None,
    title: str | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    highlight: Iterable[str] = (),
    target: float | None = None,
) -> bytes:
    """Horizontal bars in the given order (top to bottom), value labels in Russian formats, an optional
    dashed reference line (the city's value) and a dotted target line; bars in `highlight` are red.
    Missing values are left out (say so in the caption)."""
    pairs = [(str(lab), _float(v)) for lab, v in zip(labels, values, strict=True) if not fmt.is_missing(v)]
    names = [p[0] for p in pairs][::-1]
    nums = [p[1] for p in pairs][::-1]
    longest = max((len(n) for n in names), default=10)
    height = max(4.0, 0.5 * len(pairs) + 2.2)
    fig = _figure(
        height,
        left_cm=min(8.0, 0.4 + _CHAR_CM * longest),
        bottom_cm=1.1,
        top_cm=1.0 if (title or reference_label) else 0.4,
    )
    ax = fig.add_subplot()
    _style_axes(ax)
    marked = set(highlight)
    colours = [HIGHLIGHT if n in marked else PALETTE[0] for n in names]
    bars = ax.barh(range(len(nums)), nums, color=colours, height=0.7)
    ax.set_yticks(range(len(nums)), names, fontsize=CHART_FONT_PT)
    ax.bar_label(bars, [_label(v, unit) for v in nums], padding=2, fontsize=CHART_FONT_PT - 1)
    number_axis(ax.xaxis, unit)
    top = max([*nums, reference or 0, target or 0, 0]) or 1
    ax.set_xlim(0, top * 1.12)
    ax.set_ylim(-0.6, len(nums) - 0.4)
    if reference is not None:
        ax.axvline(reference, color="#404040", linestyle="--", linewidth=1)
        if reference_label:
            # the label sits beside the line, on the side with room for it
            right_half = reference > top * 0.55
            ax.text(
                reference,
                len(nums) - 0.4,
                f"{reference_label} " if right_half else f" {reference_label}",
                fontsize=CHART_FONT_PT - 1,
                va="bottom",
                ha="right" if right_half else "left",
            )
    if target is not None:
        ax.axvline(target, color=PALETTE[2], linestyle=":", linewidth=1.2)
    if unit:
        ax.set_xlabel(unit, fontsize=CHART_FONT_PT)
    if title:
        ax.set_title(title, fontsize=CHART_FONT_PT + 1, loc="left", pad=14 if reference_label else 6)
    return figure_png(fig)


def line_chart(
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    unit: str | None = None,
    title: str | None = None,
    height_cm: float = 7.0,
) -> bytes:
    """Lines over periods, one per series, each point labelled; gaps where a value is missing. The legend
    (long names are wrapped) goes under the chart."""
    wrapped, fig, ax = _series_figure(series, height_cm, title)
    xs = list(range(len(x_labels)))
    for i, (name, values) in enumerate(wrapped.items()):
        ys = [float("nan") if fmt.is_missing(v) else _float(v) for v in values]
        colour = PALETTE[i % len(PALETTE)]
        ax.plot(xs, ys, marker="o", markersize=3, linewidth=1.5, color=colour, label=name)
        for x, y in zip(xs, ys, strict=True):
            if y == y:  # not NaN
                ax.annotate(
                    _label(y, unit),
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 4),
                    ha="center",
                    fontsize=CHART_FONT_PT - 2,
                    color=colour,
                )
    ax.set_xticks(xs, list(x_labels), fontsize=CHART_FONT_PT)
    ax.set_xlim(-0.4, len(xs) - 0.6)
    _label_series_axes(ax, unit, title, legend=len(series) > 1)
    ax.margins(y=0.15)
    return figure_png(fig)


def grouped_bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    unit: str | None = None,
    title: str | None = None,
    stacked: bool = False,
    height_cm: float = 7.0,
) -> bytes:
    """Vertical bars: one group per category, one bar (or stacked part) per series, labelled; the legend
    goes under the chart."""
    wrapped, fig, ax = _series_figure(series, height_cm, title)
    n = max(len(wrapped), 1)
    width = 0.8 if stacked else 0.8 / n
    bottoms = [0.0] * len(categories)
    for i, (name, values) in enumerate(wrapped.items()):
        ys = [0.0 if fmt.is_missing(v) else _float(v) for v in values]
        offset = 0.0 if stacked else (i - (n - 1) / 2) * width
        xs = [k + offset for k in range(len(categories))]
        bars = ax.bar(
            xs,
            ys,
            width=width,
            bottom=bottoms if stacked else None,
            color=PALETTE[i % len(PALETTE)],
            label=name,
        )
        ax.bar_label(
            bars,
            [_label(y, unit) if y else "" for y in ys],
            label_type="center" if stacked else "edge",
            fontsize=CHART_FONT_PT - 2,
            color="white" if stacked else "black",
        )
        if stacked:
            bottoms = [b + y for b, y in zip(bottoms, ys, strict=True)]
    ax.set_xticks(range(len(categories)), list(categories), fontsize=CHART_FONT_PT)
    _label_series_axes(ax, unit, title, legend=len(wrapped) > 1)
    ax.margins(y=0.12)
    return figure_png(fig)

"""A check of rendered documents shared by the note's and the passport's tests: the DOCX is printed to PDF
with LibreOffice (reports.render) and no word of a table cell may be split over two lines («Изменени» «е»)."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from reports import render

WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+")


def table_words(document: docx.document.Document, max_rows: int = 80) -> set[str]:
    """The words (4 letters or more) of every table's first `max_rows` rows."""
    words: set[str] = set()
    for table in document.tables:
        for row in table.rows[:max_rows]:
            for cell in row.cells:
                words.update(w for w in WORD.findall(cell.text) if len(w) >= 4)
    return words


def broken_words(docx_bytes: bytes, folder: Path) -> list[str]:
    """The table words printed split in two («Изменени|е»): two consecutive words of the PDF's text in
    reading order (pdftotext -raw) that join into a word of a table cell. Skips without LibreOffice."""
    if not render.available():
        pytest.skip("LibreOffice or poppler-utils (pdftoppm, pdftotext) is not installed")
    path = folder / "document.docx"
    path.write_bytes(docx_bytes)
    words = table_words(docx.Document(str(path)))
    pdf = render.render_pdf(path, folder)
    tokens = WORD.findall(render.pdf_text(pdf, raw=True))
    return sorted({f"{a}|{b}" for a, b in zip(tokens, tokens[1:], strict=False) if a + b in words})

"""The analytical note (аналитическая справка), written from the warehouse in Russian, as DOCX.

    note = build_note_model(db_path, user, "2024/2025")            # the structure: preview, tests
    data = render_docx(note)                                        # the DOCX bytes
    data = build_note(db_path, user, "2024/2025", scope=NoteScope(inst_id="BGR-S01"))   # both at once

The note follows the genre: a title block; «Общие сведения» (purpose, filters, reporting date, sources with
load dates, completeness of submissions, what the checks set aside); a section per area with narrative
paragraphs, tables and charts; conclusions; recommendations derived from rules; appendices with the lists of
people due for training and attestation when the user may see names.

Every number in the text is a `Num`: its printed form and a `Ref` saying which mart value (or which count)
it is, so that tests can recompute each one from the warehouse. Values are printed by the dashboards'
formats (ru/fmt.py); numerals agree with their nouns through reports/russian.py. The data comes through the
dashboards' query layer (warehouse/queries.py) and warehouse/note_queries.py, with the user passed down:
person-level lists are restricted there, and a director may write a note on their own institution only.

The package in pieces: words.py (fixed words), model.py (what a note is made of), facts.py (the values it
speaks of and shared rules), builder.py → general.py → conclusions.py → area_tables.py → areas.py → results.py
→ planning.py (the sections, each a class extending the one before), document.py (the builder in order, the
entry points, the preview).
"""

from reports.note.document import PreviewItem, build_note, build_note_model, parse_scope, preview, render_docx
from reports.note.model import (
    FigureBlock,
    Heading,
    Note,
    NoteAccessError,
    NoteError,
    NoteInputError,
    NoteScope,
    Num,
    Paragraph,
    Point,
    Ref,
    TableBlock,
    check_access,
    may_see_people,
)
from reports.note.words import (
    AREAS,
    DEFAULT_AREAS,
    DEFAULT_ORGANISATION,
    DEMO_NOTE,
    INST_TYPES,
    NO_COMPARISON,
)

__all__ = [
    "AREAS",
    "DEFAULT_AREAS",
    "DEFAULT_ORGANISATION",
    "DEMO_NOTE",
    "INST_TYPES",
    "NO_COMPARISON",
    "FigureBlock",
    "Heading",
    "Note",
    "NoteAccessError",
    "NoteError",
    "NoteInputError",
    "NoteScope",
    "Num",
    "Paragraph",
    "Point",
    "PreviewItem",
    "Ref",
    "TableBlock",
    "build_note",
    "build_note_model",
    "check_access",
    "may_see_people",
    "parse_scope",
    "preview",
    "render_docx",
]

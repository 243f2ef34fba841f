"""The demo warehouse (city scale), built once per session with `python -m etl demo`, and the notes the
tests read: the city's and one institution's, built once and opened with python-docx."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import docx
import duckdb
import pytest

from auth import identity
from reports import note

REPO = Path(__file__).resolve().parents[2]
PERIOD = "2024/2025"
PREVIOUS = "2023/2024"
TODAY = dt.date(2025, 3, 14)
ADMIN = identity.User(login="admin", role="admin")


@pytest.fixture(scope="session")
def con(demo_db: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


@dataclass
class Built:
    model: note.Note = field(repr=False)
    data: bytes = field(repr=False)

    @property
    def document(self) -> docx.document.Document:
        return docx.Document(io.BytesIO(self.data))


def build(db: Path, user: identity.User = ADMIN, **kwargs) -> Built:
    kwargs.setdefault("today", TODAY)
    model = note.build_note_model(db, user, kwargs.pop("period", PERIOD), **kwargs)
    return Built(model, note.render_docx(model))


@pytest.fixture(scope="session")
def city_note(demo_db: Path) -> Built:
    """The demo municipality, every area, compared with the previous year, names attached (admin: asked for
    explicitly, the lists are off by default)."""
    return build(demo_db, include_names=True)


@pytest.fixture(scope="session")
def inst_id(con: duckdb.DuckDBPyConnection) -> str:
    """A school that sent all its data for the period."""
    return con.execute(
        "SELECT i.inst_id FROM core.institutions i WHERE i.inst_type = 'school' "
        "AND i.inst_id IN (SELECT inst_id FROM core.ict WHERE period = ?) "
        "AND i.inst_id IN (SELECT inst_id FROM core.staff WHERE period = ?) ORDER BY i.inst_id LIMIT 1",
        [PERIOD, PERIOD],
    ).fetchone()[0]


@pytest.fixture(scope="session")
def inst_note(demo_db: Path, inst_id: str) -> Built:
    """One school, seen by its own director, with the own people's lists asked for."""
    director = identity.User(login="director", role="director", inst_id=inst_id)
    return build(demo_db, director, scope=note.NoteScope(inst_id=inst_id), include_names=True)

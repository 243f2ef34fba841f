"""The page «Аналитическая справка»: widgets, the preview and the DOCX download (AppTest, no browser)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from streamlit.testing.v1 import AppTest

from auth import identity
from tests.note.conftest import PERIOD, REPO
from warehouse import queries

APP = str(REPO / "app.py")


@pytest.fixture
def page(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    # through the router, as a browser gets there (a page run on its own stops: ui.data); the demo
    # warehouse without users is the demo mode
    monkeypatch.setenv("IMC_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/note.py")
    yield at
    queries.close_all()


def test_page_previews_and_offers_the_docx(page: AppTest) -> None:
    at = page.run()
    assert not at.exception
    assert any(i.value.startswith("Выберите параметры") for i in at.info)  # after the demo banner
    assert at.selectbox(key="note_period").value == PERIOD
    at.button[0].click().run()
    assert not at.exception
    headings = [h.value for h in at.subheader]
    assert headings[:3] == ["1. Общие сведения", "2. Кадры", "3. Информатизация"]
    assert not any(h.startswith("Приложение") for h in headings), "personal data only when asked for"
    at.checkbox(key="note_names").check().run()
    at.button[0].click().run()
    assert any(h.startswith("Приложение 1.") for h in (h.value for h in at.subheader))
    text = "\n".join(m.value for m in at.markdown)
    assert "АНАЛИТИЧЕСКАЯ СПРАВКА" in text
    assert "составила" in text
    assert len(at.get("download_button")) == 1
    assert len(at.get("image")) == 6  # two charts an area


def test_page_one_institution_only_staff(page: AppTest) -> None:
    at = page.run()
    at.radio(key="note_scope").set_value("institution").run()
    at.selectbox(key="note_inst").set_value("BGR-S01").run()
    at.multiselect(key="note_areas").set_value(["staff"]).run()
    at.checkbox(key="note_names").uncheck().run()
    at.button[0].click().run()
    assert not at.exception
    headings = [h.value for h in at.subheader]
    assert headings == ["1. Общие сведения", "2. Кадры", "3. Выводы", "4. Рекомендации"]
    assert "МОБУ «Гимназия № 1»" in "\n".join(m.value for m in at.markdown)


def test_page_for_a_director_is_bound_to_the_own_institution(page: AppTest) -> None:
    page.session_state["imc_user"] = identity.User(login="dir", role="director", inst_id="BGR-S02")
    at = page.run()
    radio = at.radio(key="note_scope")
    assert radio.value == "institution" and radio.disabled
    assert at.selectbox(key="note_inst").options == ["МОБУ «СОШ № 2»"]
    at.checkbox(key="note_names").check().run()
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert "Приложение 1." in " ".join(h.value for h in at.subheader)


def test_page_reports_bad_requests(page: AppTest) -> None:
    at = page.run()
    at.multiselect(key="note_areas").set_value([]).run()
    assert at.button[0].disabled


def test_docx_of_the_page_is_the_cli_document(demo_db: Path) -> None:
    """The page calls the same builder as the command line: same model, same DOCX text."""
    from reports import note

    model = note.build_note_model(demo_db, identity.DEMO_USER, PERIOD, areas=("innovation",), charts=False)
    document = docx.Document(io.BytesIO(note.render_docx(model)))
    texts = [p.text for p in document.paragraphs]
    for item in note.preview(model):
        if item.kind == "heading":
            assert item.text.replace("\\", "") in texts

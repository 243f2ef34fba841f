"""The analytical note on the demo warehouse: every number of the text is the mart's value as the dashboards
print it, the DOCX holds exactly that text, numerals agree, names go only to those allowed to see them."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from auth import identity
from cli import main as cli
from reports import note
from ru import fmt
from tests.note.conftest import ADMIN, PERIOD, PREVIOUS, Built, build
from tests.note.mart import count, expected_text, mart_value

NBSP = fmt.NBSP

# digits the narrative may hold that are not numbers of the mart: periods, dates, legal references,
# the 12-month planning window of the methodology, appendix numbers
ALLOWED_DIGITS = [
    r"\d{4}/\d{4}",
    r"\d{2}\.\d{2}\.\d{4}",
    r"п\. 2 ч\. 5 ст\. 47",
    r"№ \d+-ФЗ",
    r"ближайшие 12 месяцев",
    r"приложение \d+",
    r"ГИА-(9|11)",  # the exams' names
]


def _names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Texts that may contain digits of their own: institution names and indicator names."""
    names = [r[0] for r in con.execute("SELECT short_name FROM core.institutions").fetchall()]
    names += [r[0] for r in con.execute("SELECT name_ru FROM mart.indicator_catalog").fetchall()]
    return sorted(names, key=len, reverse=True)


def _residue(paragraph: note.Paragraph, names: list[str]) -> str:
    """The paragraph's text with its numbers, names and allowed references taken out."""
    text = paragraph.lead + " " + "".join(s for s in paragraph.segments if isinstance(s, str))
    for name in names:
        text = text.replace(name, " ").replace(name[:1].lower() + name[1:], " ")
    for pattern in ALLOWED_DIGITS:
        text = re.sub(pattern, " ", text)
    return text


def check_numbers(built: Built, con: duckdb.DuckDBPyConnection) -> int:
    """Every number of every paragraph equals the mart's value as displayed, and there is no other number."""
    names = _names(con)
    checked = 0
    for paragraph in built.model.paragraphs():
        for num in paragraph.numbers:
            assert num.text == expected_text(con, num.ref), (num, paragraph.text)
            checked += 1
        residue = _residue(paragraph, names)
        assert not re.search(r"\d", residue), f"a number without a source: {residue!r} in {paragraph.text!r}"
    return checked


def docx_texts(built: Built) -> list[str]:
    return [p.text for p in built.document.paragraphs]


def check_docx_text(built: Built) -> None:
    """The DOCX prints the model's paragraphs verbatim, and no narrative paragraph the model does not hold."""
    texts = docx_texts(built)
    model_texts = {p.text for p in built.model.paragraphs()}
    for text in model_texts:
        assert text in texts, text
    body = [p.text for p in built.document.paragraphs if p.style.name == "IMC Body" and p.text]
    assert set(body) <= model_texts


# ----------------------------------------------------------------------------------------- the city
def test_city_numbers_equal_the_mart(city_note: Built, con: duckdb.DuckDBPyConnection) -> None:
    checked = check_numbers(city_note, con)
    assert checked > 150  # every area speaks: values, changes, counts, targets


def test_city_docx_holds_the_model_text(city_note: Built) -> None:
    check_docx_text(city_note)


def test_city_example_sentence(city_note: Built, con: duckdb.DuckDBPyConnection) -> None:
    """The sentence of the issue: «Доля … составила 36,4 % (в 2023/2024 учебном году — 33,1 %, +3,3 п.п.)»."""
    m = "г. Бугуруслан"
    point = note.Point("STAFF_CAT_HIGHEST", PERIOD, "municipality", m, "all")
    before = note.Point("STAFF_CAT_HIGHEST", PREVIOUS, "municipality", m, "all")
    v, pv = mart_value(con, point), mart_value(con, before)
    sentence = (
        "Доля педагогических работников с высшей квалификационной категорией составила "
        f"{fmt.percent(v)} (в {PREVIOUS} учебном году — {fmt.percent(pv)}, {fmt.delta(v, pv, '%')})."
    )
    assert any(sentence in t for t in docx_texts(city_note))
    assert "п.п." in sentence and "," in fmt.percent(v)


def test_city_document_sections_and_title(city_note: Built) -> None:
    texts = docx_texts(city_note)
    assert texts[0] == note.DEFAULT_ORGANISATION
    assert texts[1] == "АНАЛИТИЧЕСКАЯ СПРАВКА"
    assert texts[2].startswith("по итогам мониторинга кадрового обеспечения, информатизации и инновационной")
    assert texts[2].endswith(f"г. Бугуруслан за {PERIOD} учебный год")
    assert "Дата составления: 14.03.2025" in texts
    headings = [p.text for p in city_note.document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:6] == [
        "1. Общие сведения",
        "2. Кадры",
        "3. Информатизация",
        "4. Инновационная деятельность",
        "5. Выводы",
        "6. Рекомендации",
    ]
    assert headings[6].startswith("Приложение 1. ") and headings[7].startswith("Приложение 2. ")


def test_city_states_filters_sources_and_quality(city_note: Built, con: duckdb.DuckDBPyConnection) -> None:
    text = "\n".join(docx_texts(city_note))
    assert f"период — {PERIOD} учебный год; период сравнения — {PREVIOUS} учебный год" in text
    assert "охват — все образовательные организации г. Бугуруслан" in text
    assert "поимённые списки — включены" in text
    assert "Дата среза — 20.09.2024" in text
    # the demo school that sent no ICT data is named, and the quarantined rows are counted
    missing = con.execute(
        "SELECT short_name FROM core.institutions WHERE inst_id NOT IN "
        "(SELECT inst_id FROM core.ict WHERE period = ?)",
        [PERIOD],
    ).fetchall()
    assert len(missing) == 1
    sent = 30 - len(missing)
    noun = fmt.plural(sent, "организация", "организации", "организаций")
    assert f"сведения об информатизации представили {sent}{NBSP}{noun} из 30" in text
    assert f"(не представила: {missing[0][0]})" in text
    assert "помещены в карантин и в показателях не учтены" in text
    assert note.DEMO_NOTE in text
    # the loaded files with their load dates
    files = [t for t in city_note.document.tables if t.rows[0].cells[0].text == "Набор данных"]
    assert files and re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", files[0].rows[1].cells[2].text)


def test_city_names_institutions_above_and_below(city_note: Built, con: duckdb.DuckDBPyConnection) -> None:
    spread = [p for p in city_note.model.paragraphs() if p.body.startswith("По показателю «")]
    assert spread
    for paragraph in spread:
        kinds = {n.ref.what for n in paragraph.numbers if n.ref.kind == "count"}
        assert kinds == {"above", "below"}
        assert "Лучшие значения относительно своего типа: " in paragraph.body
        assert "Наибольшее отставание от своего типа: " in paragraph.body
    schools = {r[0] for r in con.execute("SELECT short_name FROM core.institutions").fetchall()}
    assert any(name in spread[0].body for name in schools)


def test_city_targets_and_recommendations(city_note: Built, con: duckdb.DuckDBPyConnection) -> None:
    text = "\n".join(docx_texts(city_note))
    # STAFF_TRAINED_3Y has a 100 % target the demo city misses
    assert f"целевое значение — 100,0{NBSP}%, не достигнуто" in text
    due = mart_value(con, note.Point("STAFF_TRAINING_DUE", PERIOD, "municipality", "г. Бугуруслан", "all"))
    assert f"курсов повышения квалификации на ближайшие 12 месяцев {fmt.integer(due)}{NBSP}" in text
    assert "поимённый список — приложение 1" in text
    # mentors for the young specialists who have none (the mentoring list of the plan)
    young = count(con, "young_without_mentor", (PERIOD, "г. Бугуруслан", None, None))
    expected = (
        "молодым специалистом" if fmt.plural(int(young), "1", "2", "5") == "1" else "молодыми специалистами"
    )
    assert f"Закрепить наставников за {fmt.integer(young)}{NBSP}{expected}, за " in text


def test_city_tables_use_russian_formats(city_note: Built, con: duckdb.DuckDBPyConnection) -> None:
    tables = city_note.document.tables
    summary = next(t for t in tables if t.rows[0].cells[0].text == "Показатель")
    header = [c.text for c in summary.rows[0].cells]
    assert header[:5] == ["Показатель", "Ед. изм.", PREVIOUS, PERIOD, "Изменение"]
    row = next(
        r for r in summary.rows if r.cells[0].text.startswith("Доля педагогических работников с высшим образ")
    )
    point = note.Point("STAFF_HIGHER_EDU", PERIOD, "municipality", "г. Бугуруслан", "all")
    assert row.cells[3].text == fmt.value(mart_value(con, point), "%")
    assert re.fullmatch(r"\d+,\d\xa0%", row.cells[3].text)
    # the institutions' table ends with the city's total
    by_inst = next(t for t in tables if t.rows[0].cells[0].text == "Организация")
    assert by_inst.rows[-1].cells[0].text == "Итого: г. Бугуруслан"
    assert len(by_inst.rows) == 1 + 30 + 1


def test_city_charts_are_embedded(city_note: Built) -> None:
    document = city_note.document
    assert len(document.inline_shapes) == 6  # two charts an area
    captions = [p.text for p in document.paragraphs if p.text.startswith("Рисунок ")]
    assert len(captions) == 6 and captions[0].startswith("Рисунок 1 – ")


def test_page_layout_is_a4_times_new_roman(city_note: Built) -> None:
    document = city_note.document
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 30
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.core_properties.language == "ru-RU"


def test_appendix_lists_everyone_due(city_note: Built, con: duckdb.DuckDBPyConnection) -> None:
    due = mart_value(con, note.Point("STAFF_TRAINING_DUE", PERIOD, "municipality", "г. Бугуруслан", "all"))
    lists = [t for t in city_note.document.tables if t.rows[0].cells[0].text == "№ п/п"]
    assert len(lists) == 2
    assert len(lists[0].rows) - 1 == int(due)
    header = [c.text for c in lists[0].rows[0].cells]
    assert header[:3] == ["№ п/п", "Организация", "ФИО"]


# ----------------------------------------------------------------------------------------- an institution
def test_institution_numbers_equal_the_mart(inst_note: Built, con: duckdb.DuckDBPyConnection) -> None:
    assert check_numbers(inst_note, con) > 60
    check_docx_text(inst_note)


def test_institution_is_compared_with_its_type(inst_note: Built, con: duckdb.DuckDBPyConnection) -> None:
    text = "\n".join(docx_texts(inst_note))
    assert "по общеобразовательным организациям г. Бугуруслан — " in text
    refs = {n.ref.point.level for p in inst_note.model.paragraphs() for n in p.numbers if n.ref.point}
    assert refs == {"institution", "municipality"}


def test_director_sees_only_own_people(
    inst_note: Built, con: duckdb.DuckDBPyConnection, inst_id: str
) -> None:
    lists = [t for t in inst_note.document.tables if t.rows[0].cells[0].text == "№ п/п"]
    assert lists, "the director's own lists are attached"
    names = {r.cells[1].text for t in lists for r in t.rows[1:]}
    own = {
        r[0] for r in con.execute("SELECT full_name FROM core.staff WHERE inst_id = ?", [inst_id]).fetchall()
    }
    assert names and names <= own
    due = mart_value(
        con, note.Point("STAFF_TRAINING_DUE", PERIOD, "institution", "г. Бугуруслан", "school", inst_id)
    )
    assert len(lists[0].rows) - 1 == int(due)


def test_director_may_not_write_other_notes(demo_db: Path, inst_id: str) -> None:
    director = identity.User(login="d", role="director", inst_id=inst_id)
    with pytest.raises(note.NoteAccessError):
        note.build_note_model(demo_db, director, PERIOD)
    with pytest.raises(note.NoteAccessError):
        note.build_note_model(demo_db, director, PERIOD, scope=note.NoteScope(inst_id="BGR-D01"))
    assert not note.may_see_people(director, note.NoteScope(inst_id="BGR-D01"))
    assert note.may_see_people(director, note.NoteScope(inst_id=inst_id))


def test_without_names_no_person_data(demo_db: Path, con: duckdb.DuckDBPyConnection) -> None:
    """The personal-data appendices are an explicit choice: by default the note has none."""
    methodist = identity.User(login="m", role="methodist")
    built = build(demo_db, methodist, charts=False)
    assert not built.model.has_personal_data
    xml = built.document.element.xml
    sample = [
        r[0]
        for r in con.execute(
            "SELECT full_name FROM core.staff WHERE period = ? LIMIT 200", [PERIOD]
        ).fetchall()
    ]
    assert not any(name and name in xml for name in sample)
    assert "поимённые списки — не включены" in "\n".join(docx_texts(built))
    assert "приложение" not in "\n".join(p.text for p in built.model.paragraphs() if p.kind == "bullet")


# ----------------------------------------------------------------------------------------- other scopes
def test_type_scope_numbers(demo_db: Path, con: duckdb.DuckDBPyConnection) -> None:
    built = build(demo_db, scope=note.NoteScope(inst_type="preschool"), charts=False)
    assert "дошкольных образовательных организаций г. Бугуруслан" in built.model.subtitle
    check_numbers(built, con)
    check_docx_text(built)
    # a kindergarten note does not speak of the school-only e-journal indicator
    assert "электронный журнал" not in built.model.text()


def test_no_comparison_and_first_period(demo_db: Path, con: duckdb.DuckDBPyConnection) -> None:
    built = build(demo_db, compare_period=note.NO_COMPARISON, areas=("ict",), charts=False)
    assert built.model.compare_period is None
    assert "учебном году —" not in built.model.text()
    check_numbers(built, con)
    first = build(demo_db, period="2020/2021", areas=("staff",), charts=False)
    assert first.model.compare_period is None
    check_numbers(first, con)


def test_bad_input_is_refused(demo_db: Path) -> None:
    with pytest.raises(note.NoteInputError, match="Нет данных за 2030/2031"):
        note.build_note_model(demo_db, ADMIN, "2030/2031")
    with pytest.raises(note.NoteInputError):
        note.build_note_model(demo_db, ADMIN, PERIOD, compare_period=PERIOD)
    with pytest.raises(note.NoteInputError):
        note.build_note_model(demo_db, ADMIN, PERIOD, areas=("sport",))
    with pytest.raises(note.NoteInputError, match="не найдена"):
        note.build_note_model(demo_db, ADMIN, PERIOD, scope=note.NoteScope(inst_id="NOPE"))


def test_parse_scope() -> None:
    assert note.parse_scope("") == note.NoteScope()
    assert note.parse_scope("school") == note.NoteScope(inst_type="school")
    assert note.parse_scope("type:additional", "М") == note.NoteScope("М", "additional")
    assert note.parse_scope("BGR-S01") == note.NoteScope(inst_id="BGR-S01")
    assert note.parse_scope("inst:school") == note.NoteScope(inst_id="school")


# ----------------------------------------------------------------------------------------- grammar in the note
def test_numerals_agree_in_the_note(city_note: Built) -> None:
    text = "\n".join(docx_texts(city_note))
    seen = 0
    for m in re.finditer(rf"(представил\w*) (\d+){NBSP}(организаци\w+) из", text):
        n = int(m.group(2))
        assert m.group(3) == fmt.plural(n, "организация", "организации", "организаций")
        assert m.group(1) == ("представила" if fmt.plural(n, "1", "2", "5") == "1" else "представили")
        seen += 1
    for m in re.finditer(rf"у (\d+){NBSP}(организаци\w+)", text):
        assert m.group(2) == fmt.plural(int(m.group(1)), "организации", "организаций", "организаций")
        seen += 1
    for m in re.finditer(rf"в (\d+){NBSP}(организаци\w+)", text):
        assert m.group(2) == fmt.plural(int(m.group(1)), "организации", "организациях", "организациях")
        seen += 1
    assert seen >= 5


# ----------------------------------------------------------------------------------------- command line
def test_cli_writes_the_note(
    demo_db: Path, tmp_path: Path, inst_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "spravka.docx"
    code = cli.main(
        [
            "note",
            "--db",
            str(demo_db),
            "--period",
            "2024-2025",
            "--scope",
            inst_id,
            "--areas",
            "staff",
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    import docx

    document = docx.Document(str(out))
    assert document.paragraphs[1].text == "АНАЛИТИЧЕСКАЯ СПРАВКА"
    assert "Аналитическая справка за 2024/2025 учебный год записана" in capsys.readouterr().out
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert not any(h.startswith("Приложение") for h in headings), "no personal data unless asked for"
    # --with-personal-data attaches the lists
    args = ["note", "--db", str(demo_db), "--period", "2024-2025", "--scope", inst_id, "--areas", "staff"]
    named = tmp_path / "named.docx"
    assert cli.main([*args, "--with-personal-data", "--out", str(named)]) == 0
    headings = [p.text for p in docx.Document(str(named)).paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("Приложение 1. ") for h in headings)


def test_cli_refuses_an_unknown_period(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.docx"
    assert cli.main(["note", "--db", str(demo_db), "--period", "2031/2032", "--out", str(out)]) == 2
    assert "Справка не сформирована: Нет данных за 2031/2032" in capsys.readouterr().err
    assert not out.exists()


def test_counts_of_the_city(con: duckdb.DuckDBPyConnection) -> None:
    """The tests' own counting agrees with the demo's known shape (30 institutions, one ICT file missing)."""
    assert count(con, "registry", ("г. Бугуруслан", None, None)) == 30
    assert count(con, "submitted", ("ict", PERIOD, "г. Бугуруслан", None, None)) == 29


def test_printed_note_breaks_no_word_in_a_table(city_note: Built, tmp_path: Path) -> None:
    """Printed with LibreOffice (the note with its lists), no table cell splits a word («Изменени» «е»,
    «Муниципальн» «ый»): column widths come from the longest words."""
    from tests.render_check import broken_words

    assert broken_words(city_note.data, tmp_path) == []


def test_levels_keep_their_capitals(city_note: Built) -> None:
    levels = [t for t in city_note.document.tables if t.rows[0].cells[1].text == "Уровень"]
    assert levels, "the contests table"
    cells = {r.cells[1].text for r in levels[0].rows[1:]}
    assert "Уровень ОО" in cells and "Уровень оо" not in cells


# ----------------------------------------------------------------------------------------- wording (issue 14 p. 13)
def _paragraph(built: Built, start: str) -> str:
    return next(p.text for p in built.model.paragraphs() if p.text.startswith(start))


def test_the_zero_rule_is_said_only_when_someone_sent_no_innovation_data(
    city_note: Built, demo_db: Path, tmp_path: Path
) -> None:
    # every demo institution sent innovation records: «представили 30 из 30», and no rule for the missing
    text = _paragraph(city_note, "Полнота сведений")
    assert f"сведения об инновационной деятельности представили 30{NBSP}организаций из 30" in text
    assert "учитывается с нулевыми значениями" not in text
    # one school without records: the rule is said
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(demo_db.read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute("DELETE FROM core.innovation WHERE inst_id = 'BGR-S01' AND period = ?", [PERIOD])
    text = _paragraph(build(copy), "Полнота сведений")
    assert f"сведения об инновационной деятельности представили 29{NBSP}организаций из 30" in text
    assert text.endswith(
        " Организация, не представившая сведений об инновационной деятельности, учитывается с нулевыми "
        "значениями."
    )


def test_a_single_schools_note_has_its_own_purpose(inst_note: Built, city_note: Built) -> None:
    city = _paragraph(city_note, "Цель:")
    assert city.endswith(
        "; выявление организаций, требующих методической поддержки, и планирование работы с "
        "педагогическими кадрами."
    )
    own = _paragraph(inst_note, "Цель:")
    assert "выявление организаций" not in own
    assert own.endswith(
        "; выявление направлений, требующих методической поддержки, и планирование работы с "
        "педагогическими кадрами организации."
    )


def test_note_tables_keep_one_number_of_decimals_per_column(city_note: Built) -> None:
    by_inst = next(t for t in city_note.document.tables if t.rows[0].cells[0].text == "Организация")
    for j in range(1, len(by_inst.columns)):
        cells = [r.cells[j].text for r in by_inst.rows[1:] if r.cells[j].text != fmt.MISSING]
        decimals = {len(c.split(",")[1]) if "," in c else 0 for c in cells}
        assert len(decimals) == 1, (by_inst.rows[0].cells[j].text, cells)

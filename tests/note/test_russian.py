"""Russian grammar of the generated text: numerals agree with nouns in every case, verbs with subjects."""

from __future__ import annotations

import pytest

from reports import russian as ru
from ru import fmt

NBSP = fmt.NBSP


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "организаций"),
        (1, "организация"),
        (2, "организации"),
        (4, "организации"),
        (5, "организаций"),
        (11, "организаций"),
        (12, "организаций"),
        (14, "организаций"),
        (21, "организация"),
        (22, "организации"),
        (25, "организаций"),
        (101, "организация"),
        (111, "организаций"),
        (1000, "организаций"),
        (1001, "организация"),
    ],
)
def test_organisations(n: int, expected: str) -> None:
    assert ru.agree(n, "организация") == expected
    # the hand rule of the dashboards (ru/fmt.plural) agrees with the dictionary
    assert expected == fmt.plural(n, "организация", "организации", "организаций")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "21 педагог"),
        (21, "21 педагог"),
        (22, "22 педагога"),
        (25, "25 педагогов"),
        (111, "111 педагогов"),
    ],
)
def test_teachers(n: int, expected: str) -> None:
    assert ru.count(n, "педагог") == f"{n}{NBSP}{expected.split(' ')[1]}"


def test_count_uses_the_dashboard_number_format() -> None:
    assert ru.count(1234, "педагог") == f"1{NBSP}234{NBSP}педагога"
    assert ru.count(2.5, "процент") == f"2,5{NBSP}процента"


def test_adjective_and_noun_phrases() -> None:
    assert ru.agree(1, "педагогический работник") == "педагогический работник"
    assert ru.agree(2, "педагогический работник") == "педагогических работника"
    assert ru.agree(5, "педагогический работник") == "педагогических работников"
    # a feminine noun's adjective takes the nominative plural after 2–4
    assert ru.agree(2, "образовательная организация") == "образовательные организации"
    assert ru.agree(5, "образовательная организация") == "образовательных организаций"
    # a genitive tail stays as it is
    assert ru.agree(3, "организация дополнительного образования") == "организации дополнительного образования"


@pytest.mark.parametrize(
    ("case", "one", "two", "five"),
    [
        ("gent", "молодого специалиста", "молодых специалистов", "молодых специалистов"),
        ("datv", "молодому специалисту", "молодым специалистам", "молодым специалистам"),
        ("ablt", "молодым специалистом", "молодыми специалистами", "молодыми специалистами"),
        ("loct", "молодом специалисте", "молодых специалистах", "молодых специалистах"),
    ],
)
def test_oblique_cases(case: str, one: str, two: str, five: str) -> None:
    assert [ru.agree(n, "молодой специалист", case) for n in (1, 2, 5)] == [one, two, five]
    assert ru.agree(21, "молодой специалист", case) == one


def test_accusative_follows_animacy() -> None:
    assert ru.agree(1, "образовательная организация", "accs") == "образовательную организацию"
    assert ru.agree(1, "молодой специалист", "accs") == "молодого специалиста"
    assert ru.agree(1, "учебный кабинет", "accs") == "учебный кабинет"
    assert ru.agree(9, "строка", "accs") == "строк"


def test_counting_forms_of_person_and_year() -> None:
    assert [ru.agree(n, "человек") for n in (1, 2, 5, 21)] == ["человек", "человека", "человек", "человек"]
    assert [ru.agree(n, "год") for n in (1, 2, 5, 11, 21)] == ["год", "года", "лет", "лет", "год"]
    assert ru.agree(5, "человек", "datv") == "человекам"


def test_printed_numbers_are_read_as_printed() -> None:
    assert ru.numeral_form("68,0") == "fraction"
    assert ru.agree("68,0", "балл") == "балла"
    assert ru.agree("+2,1", "балл") == "балла"
    assert ru.agree(f"1{NBSP}001", "педагог") == "педагог"
    assert ru.agree(f"{fmt.MINUS}3", "год") == "года"


def test_verbs_agree() -> None:
    assert [ru.verb(n, "представил", "организация") for n in (1, 2, 5, 21)] == [
        "представила",
        "представили",
        "представили",
        "представила",
    ]
    assert ru.verb(1, "помещён", "строка") == "помещена"
    assert ru.verb(1, "зарегистрирован", "предупреждение") == "зарегистрировано"


@pytest.mark.parametrize(
    ("subject", "verb"),
    [
        ("Доля педагогических работников с высшим образованием", "составила"),
        ("Численность молодых специалистов", "составила"),
        ("Число инновационных площадок", "составило"),
        ("Средний возраст педагогических работников", "составил"),
        ("Интегральный индекс ИКТ-готовности", "составил"),
        ("Участие педагогов в профессиональных конкурсах", "составило"),
        ("Победители и призёры олимпиад", "составили"),
    ],
)
def test_predicate_agrees_with_the_indicator_name(subject: str, verb: str) -> None:
    assert ru.predicate(subject) == verb


def test_inflected_phrases() -> None:
    assert ru.period_phrase("2023/2024", "loc2") == "2023/2024 учебном году"
    assert ru.period_phrase("2023/2024", "accs") == "2023/2024 учебный год"
    assert ru.period_phrase("2023/2024", "ablt") == "2023/2024 учебным годом"
    assert ru.inflect("дошкольная образовательная организация", "datv", plural=True) == (
        "дошкольным образовательным организациям"
    )
    assert ru.inflect("организация дополнительного образования", "gent", plural=True) == (
        "организаций дополнительного образования"
    )


def test_percentage_point_change() -> None:
    assert ru.change_pp(36.4, 33.1) == f"+3,3{NBSP}п.п."
    assert ru.change_pp(33.1, 36.4) == f"{fmt.MINUS}3,3{NBSP}п.п."
    assert ru.change_pp(None, 1.0) is None


def test_joins() -> None:
    assert ru.join_and(["А"]) == "А"
    assert ru.join_and(["А", "Б", "В"]) == "А, Б и В"
    assert ru.lower_first("Доля ПК") == "доля ПК"
    assert ru.lower_first("ПК") == "ПК"

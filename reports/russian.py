"""Russian grammar for generated text: numerals agreeing with nouns, cases, verbs agreeing with subjects.

`count(5, "организация")` → «5 организаций», `count(22, "педагог")` → «22 педагога»,
`count(21, "молодой специалист", case="ablt")` → «21 молодым специалистом»,
`predicate("Доля педагогических работников …", "составил")` → «составила».

The word forms come from pymorphy3 with the OpenCorpora dictionary (pymorphy3-dicts-ru), not from hand
tables: any noun phrase of the catalogue or of a template inflects without being listed anywhere. Only the
rule *which* form a numeral governs is written here, because pymorphy's own `make_agree_with_number` gets
adjectives wrong outside the nominative («21 молодого специалистом»). Two nouns have suppletive counting
forms that the dictionary files under other lemmas — «5 человек» (not «людей»), «5 лет» (not «годов») —
and are the only words spelled out below (`_COUNTING_PLURAL`).

Numbers are printed with the dashboards' formats (ru/fmt.py): «1 234 педагога», a non-breaking space
between a number and its noun.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import pymorphy3

from ru import fmt

NBSP = fmt.NBSP
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "loc2")
# parts of speech that agree with a numeral / with the head noun of a phrase
_AGREEING = ("NOUN", "ADJF", "PRTF")

# plural forms used after numerals where the dictionary's plural belongs to another stem
_COUNTING_PLURAL: dict[str, dict[str, str]] = {
    "человек": {"nomn": "человек", "gent": "человек", "accs": "человек", "datv": "человекам",
                "ablt": "человеками", "loct": "человеках"},
    "год": {"nomn": "лет", "gent": "лет", "accs": "лет", "datv": "годам", "ablt": "годами", "loct": "годах"},
}  # fmt: skip


@functools.lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def numeral_form(n: float | int | str) -> str:
    """Which form a number governs: `one` (1, 21, 101), `few` (2–4, 22–24), `many` (0, 5–20, 25…) or
    `fraction` (2,5 — the genitive singular: «2,5 процента»).

    A number as printed (`"1 234"`, `"68,0"`, `"+2,1"`) is read as printed: a decimal comma makes a fraction
    even when the digits after it are zeros («68,0 балла»)."""
    if isinstance(n, str):
        text = n.replace(NBSP, "").replace(" ", "").lstrip("+-" + fmt.MINUS)
        if "," in text:
            return "fraction"
        n = int(text)
    x = abs(float(n))
    if not x.is_integer():
        return "fraction"
    k = int(x)
    if k % 10 == 1 and k % 100 != 11:
        return "one"
    if 2 <= k % 10 <= 4 and not 12 <= k % 100 <= 14:
        return "few"
    return "many"


def _base_case(case: str) -> str:
    return "loct" if case == "loc2" else case


@functools.lru_cache(maxsize=4096)
def _parse_nominative(word: str, prefer_noun: bool) -> Any:
    """The dictionary parse of `word` in the nominative (a phrase is written in its dictionary form)."""
    parses = _morph().parse(word)
    wanted = [p for p in parses if p.tag.POS in _AGREEING and "nomn" in p.tag]
    if prefer_noun:
        nouns = [p for p in wanted if p.tag.POS == "NOUN"]
        wanted = nouns or wanted
    else:
        adjectives = [p for p in wanted if p.tag.POS in ("ADJF", "PRTF")]
        wanted = adjectives or wanted
    return wanted[0] if wanted else None


def _split_phrase(phrase: str) -> tuple[list[str], str, str]:
    """(modifiers, head noun, tail): «молодой специалист» → (["молодой"], "специалист", ""),
    «организация дополнительного образования» → ([], "организация", " дополнительного образования")."""
    words = phrase.split(" ")
    for i, word in enumerate(words):
        parsed = _parse_nominative(word, prefer_noun=True)
        if parsed is not None and parsed.tag.POS == "NOUN":
            tail = " ".join(words[i + 1 :])
            return words[:i], word, (" " + tail) if tail else ""
    # no noun found: the last word is taken as the head
    return words[:-1], words[-1], ""


def _keep_case_of(original: str, word: str) -> str:
    if original[:1].isupper() and not original.isupper():
        return word[:1].upper() + word[1:]
    return word


def _inflect_word(
    word: str, grammemes: set[str], noun: bool, gender: str | None, animate: bool = False
) -> str:
    parsed = _parse_nominative(word, prefer_noun=noun)
    if parsed is None:
        return word  # an abbreviation, a number, a word the dictionary does not know: left as written
    wanted = set(grammemes)
    if not noun and "sing" in wanted and gender:
        wanted.add(gender)
    if not noun and "accs" in wanted:
        # the accusative of an adjective follows its noun's animacy: «учебный год», «молодого специалиста»
        found = parsed.inflect(wanted | {"anim" if animate else "inan"})
        if found is not None:
            return _keep_case_of(word, found.word)
    if "loc2" in wanted:
        found = parsed.inflect(wanted) if noun else None
        if found is None or "loc2" not in found.tag:
            wanted = (wanted - {"loc2"}) | {"loct"}
            found = None
        if found is not None:
            return _keep_case_of(word, found.word)
    found = parsed.inflect(wanted)
    if found is None and not noun:
        found = parsed.inflect(wanted - {"masc", "femn", "neut"})
    return _keep_case_of(word, found.word) if found is not None else word


def inflect(phrase: str, case: str, plural: bool = False) -> str:
    """A noun phrase in the dictionary form, put into `case` (and the plural): the modifiers and the head
    noun change, a genitive tail stays. `inflect("дошкольная образовательная организация", "datv", True)`
    → «дошкольным образовательным организациям»; `inflect("учебный год", "loc2")` → «учебном году»."""
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}")
    modifiers, head, tail = _split_phrase(phrase)
    number = "plur" if plural else "sing"
    head_parse = _parse_nominative(head, prefer_noun=True)
    gender = head_parse.tag.gender if head_parse is not None else None
    animate = head_parse is not None and "anim" in head_parse.tag
    out = [_inflect_word(w, {number, case}, noun=False, gender=gender, animate=animate) for w in modifiers]
    out.append(_inflect_word(head, {number, case}, noun=True, gender=gender))
    return " ".join(out) + tail


def agree(n: float | int | str, phrase: str, case: str = "nomn") -> str:
    """The form of a noun phrase that goes with the number `n` in `case` (without the number):
    agree(1, "организация") → «организация», agree(2, …) → «организации», agree(5, …) → «организаций»;
    agree(2, "образовательная организация") → «образовательные организации»;
    agree(22, "педагог", "datv") → «педагогам»."""
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}")
    form = numeral_form(n)
    base = _base_case(case)
    modifiers, head, tail = _split_phrase(phrase)
    head_parse = _parse_nominative(head, prefer_noun=True)
    gender = head_parse.tag.gender if head_parse is not None else None
    animate = head_parse is not None and "anim" in head_parse.tag

    if form == "fraction":
        noun_g, adj_g = {"sing", "gent"}, {"sing", "gent"}
    elif base in ("nomn", "accs"):
        if form == "one":
            one_case = "accs" if base == "accs" else "nomn"
            noun_g = adj_g = {"sing", one_case}
        elif form == "few":
            # «2 педагога», «2 педагогических работника», but «2 образовательные организации»
            noun_g = {"sing", "gent"}
            adj_g = {"plur", "nomn"} if gender == "femn" and not animate else {"plur", "gent"}
        else:
            noun_g = adj_g = {"plur", "gent"}
    else:
        number = "sing" if form == "one" else "plur"
        noun_g = adj_g = {number, base}

    if "plur" in noun_g and head in _COUNTING_PLURAL:
        head_text = _keep_case_of(head, _COUNTING_PLURAL[head][_pick_case(noun_g)])
    else:
        noun_wanted = (noun_g - {"loct"}) | {"loc2"} if case == "loc2" else noun_g
        head_text = _inflect_word(head, noun_wanted, noun=True, gender=gender)
    words = [_inflect_word(w, adj_g, noun=False, gender=gender, animate=animate) for w in modifiers]
    return " ".join([*words, head_text]) + tail


def _pick_case(grammemes: Iterable[str]) -> str:
    for g in grammemes:
        if g in CASES:
            return _base_case(g)
    return "nomn"


def count(n: float | int, phrase: str, case: str = "nomn") -> str:
    """The number, as the dashboards print it, with its agreeing noun phrase: «1 234 педагога»,
    «21 организация», «для 5 организаций» (case="gent")."""
    number = fmt.integer(n) if float(n).is_integer() else fmt.number(n)
    return f"{number}{NBSP}{agree(n, phrase, case)}"


def verb(n: float | int | str, past_masc: str, noun: str) -> str:
    """A past-tense verb agreeing with a counted subject: verb(21, "представил", "организация") →
    «представила» (21 организация представила), verb(5, …) → «представили»."""
    parsed = _parse_nominative(noun.split(" ")[-1], prefer_noun=True) if noun else None
    if numeral_form(n) == "one":
        gender = parsed.tag.gender if parsed is not None else "masc"
        return _inflect_verb(past_masc, {"sing", gender or "masc"})
    return _inflect_verb(past_masc, {"plur"})


def _inflect_verb(past_masc: str, grammemes: set[str]) -> str:
    for parsed in _morph().parse(past_masc):
        if (parsed.tag.POS == "VERB" and "past" in parsed.tag) or parsed.tag.POS == "PRTS":
            found = parsed.inflect(grammemes)
            if found is not None:
                return found.word
    return past_masc


def predicate(subject: str, past_masc: str = "составил") -> str:
    """A past-tense verb agreeing with a noun phrase subject: «Доля …» → «составила», «Число …» →
    «составило», «Средний возраст …» → «составил», «Победители и призёры …» → «составили»."""
    for word in subject.replace(",", " ").split():
        parsed = _parse_nominative(word.lower(), prefer_noun=True)
        if parsed is None or parsed.tag.POS != "NOUN":
            continue
        if "plur" in parsed.tag:
            return _inflect_verb(past_masc, {"plur"})
        return _inflect_verb(past_masc, {"sing", parsed.tag.gender or "masc"})
    return past_masc


def period_phrase(period: str, case: str = "nomn") -> str:
    """«2024/2025 учебный год» in a case: "loc2" → «2024/2025 учебном году» (в …), "gent" → «… учебного
    года»."""
    return f"{period} {inflect('учебный год', case)}"


def change_pp(current: Any, previous: Any) -> str | None:
    """The change of a share in percentage points, as the dashboards print it: «+3,3 п.п.»."""
    return fmt.delta(current, previous, "%")


def join_and(items: Iterable[str]) -> str:
    """«A», «A и B», «A, B и C»."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " и " + items[-1]


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """«Доля педагогических …» → «доля педагогических …» (an abbreviation like «ПК» stays)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]

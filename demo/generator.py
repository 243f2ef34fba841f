"""The demo data set: the input files a municipality's institutions would send, generated deterministically.

`generate(scale, out_dir, seed, fmt)` writes `institutions.csv`, then one file per dataset and period
(`staff_2024-2025.csv`, `ict_2024-2025.csv`, `innovation_2024-2025.csv`) and returns the paths in load
order: the registry first, then staff, ICT and innovation, each period in chronological order.

Scales (../shared/spec/interfaces.md):

- `city` — г. Бугуруслан: 12 schools, 15 kindergartens, 3 institutions of additional education, about
  900 staff rows a period, periods 2020/2021–2024/2025. Its files are written the way real institutions
  send them, one file differing from the next: Russian headers, `;`, decimal comma, dates `20.09.2024`,
  `да/нет`, Russian labels in varying case, periods as `2024/2025`, `2021-2022` or `2022/23`, encodings
  UTF-8 with and without BOM and Windows-1251, one file exported by a system with English column names,
  `,` and ISO dates. Two files hold planted errors for the quarantine to show (`PLANTED_ERRORS`): the staff
  file and the ICT file of the latest period; every other file is clean.
- `region` — about 35 municipalities of Оренбургская область, about 1,000 institutions (most of the
  districts' ones rural), about 30,000 staff rows a period, five periods.
- `country` — about 40,000 institutions, about 1,200,000 staff rows, one period (2024/2025).

Region and country files are uniform (UTF-8, `;`, Russian headers and labels) and contain no errors.
`fmt="xlsx"` writes XLSX files with two title rows above the header, as real reports have; a file of
more than `XLSX_MAX_ROWS` rows (the staff files of the region and country scales, and every country
file but none of the city's) is written as CSV even then, because XLSX writing is slow and such files
are not sent by hand.

The same `(scale, seed, fmt)` gives byte-identical files. The data is a simulation, vectorised over the
people: staff positions ("slots") per institution fitting its type; the same people (a stable табельный
номер) from period to period, growing older; departures (more of them among the young and after 60) and
hires (mostly young); attestations every five years up to 01.09.2023 and indefinite ones after it, some of
them lapsed, upgrades to педагог-методист / педагог-наставник; courses every two to four years, some never;
ICT equipment and connection speed growing over the years; innovation records of every kind and level.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from demo import planning
from demo import tables as data_files
from etl import contract as c
from etl.templates import DATE_FORMAT, choice_label, save_reproducibly
from warehouse.settings import DEFAULTS, reporting_date

Arr = NDArray[Any]

SCALES = ("city", "region", "country")
FORMATS = ("csv", "xlsx")
XLSX_MAX_ROWS = 20_000
CSV_CHUNK_ROWS = 200_000
YEAR = 365.25
EPOCH = np.datetime64("1970-01-01", "D")

KINDS = tuple(c.INST_TYPES)  # school, preschool, additional
SCHOOL, PRESCHOOL, ADDITIONAL = (KINDS.index(k) for k in ("school", "preschool", "additional"))
POS = tuple(c.POSITIONS)
P = {code: i for i, code in enumerate(POS)}
# the order of rows in a staff file: the head, the deputies, then the contract's order of positions
POS_RANK = np.array([(0 if p == "head" else 1 if p == "deputy_head" else 2 + i) for i, p in enumerate(POS)])
EMPLOYMENT = tuple(c.EMPLOYMENT)
MAIN, INTERNAL, EXTERNAL = (EMPLOYMENT.index(k) for k in ("main", "internal", "external"))
CATEGORIES = tuple(c.CATEGORIES)
CAT = {code: i for i, code in enumerate(CATEGORIES)}
EDUCATION = tuple(c.EDUCATION_LEVELS)
HIGHER, VOCATIONAL, NO_EDU = (EDUCATION.index(k) for k in ("higher", "secondary_vocational", "none"))
GENDER_CODES = tuple(c.GENDERS)  # М, Ж
ACTIVITY = tuple(c.ACTIVITY_TYPES)
LEVELS = tuple(c.LEVELS)
RESULTS = tuple(c.RESULTS)

# What the loader must quarantine in the city set, and nothing else. `rows` counts the rows of the file
# that break the rule (both copies of a duplicated key are quarantined).
_PLANTED_FIELDS = ("dataset", "rule", "rows", "how")
PLANTED_ERRORS: tuple[dict[str, Any], ...] = tuple(
    dict(zip(_PLANTED_FIELDS, planted, strict=True))
    for planted in (
        ("staff", "inst_id not in the registry", 1, "inst_id BGR-S1"),
        ("staff", "ped_experience_years > age - 14", 1, "ped = age - 5"),
        ("staff", "category_date required (высшая)", 1, "date left empty"),
        (
            "staff",
            "age at the reporting date below 16",
            1,
            "birth year 2012 (age 12; necessarily also breaks ped <= age - 14)",
        ),
        ("staff", "duplicate (period, inst_id, staff_id)", 2, "two people, one number"),
        ("staff", "unknown position", 1, "«учитель начальных классов»"),
        ("staff", "category_date after the reporting date", 1, "12.10.2024"),
        ("ict", "computers_learning > computers_total", 1, "learning = total + k"),
    )
)
BAD_INST_ID = "BGR-S1"
BAD_POSITION = "учитель начальных классов"


_NAMES = data_files.load("names")
SURNAMES_M, FIRST_M, FIRST_F = _NAMES["surnames_m"], _NAMES["first_m"], _NAMES["first_f"]
PATRONYMICS_M = _NAMES["patronymics_m"]


def _female_surname(surname: str) -> str:
    for suffix, female in (("ский", "ская"), ("цкий", "цкая"), ("ов", "ова"), ("ёв", "ёва"), ("ев", "ева")):
        if surname.endswith(suffix):
            return surname[: -len(suffix)] + female
    if surname.endswith(("ин", "ын")):
        return surname + "а"
    return surname  # Шевченко, Шмидт


SURNAMES_F = [_female_surname(s) for s in SURNAMES_M]
PATRONYMICS_F = [p[:-2] + "на" for p in PATRONYMICS_M]

TEACHER_SUBJECTS = data_files.load("institutions")["teacher_subjects"]
PDO_DIRECTIONS = data_files.load("institutions")["pdo_directions"]
SUBJECTS = TEACHER_SUBJECTS + PDO_DIRECTIONS
SUBJECT_NAMES = np.array([s[0] for s in SUBJECTS] + [None], dtype=object)  # index -1: no subject
SUBJECT_MALE = np.array([s[2] for s in SUBJECTS] + [0.0])
EXTERNAL_SUBJECTS = data_files.load("institutions")["external_subjects"]

KINDERGARTEN_NICKNAMES = data_files.load("institutions")["kindergarten_nicknames"]
ADDITIONAL_NAMES = data_files.load("institutions")["additional_names"]
LEGAL_FORMS = data_files.by_kind(data_files.load("institutions")["legal_forms"], KINDS)
STREETS = data_files.load("places")["streets"]
VILLAGES = data_files.load("places")["villages"]
REGION_RU: str = data_files.load("places")["region_ru"]
CITY_MUNICIPALITY: str = data_files.load("places")["city_municipality"]
ORENBURG_MUNICIPALITIES = data_files.load("places")["orenburg_municipalities"]
COUNTRY_REGIONS = data_files.load("places")["country_regions"]
DISTRICT_STEMS = data_files.load("places")["district_stems"]


# ------------------------------------------------------------------------------------------ helpers
def _day(value: str | dt.date) -> float:
    return float((np.datetime64(value, "D") - EPOCH).astype(np.int64))


def _to_dates(days: Arr) -> Arr:
    """Float days since 1970 (NaN = missing) -> datetime64[D] (NaT)."""
    out = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[D]")
    ok = ~np.isnan(days)
    out[ok] = EPOCH + np.floor(days[ok]).astype(np.int64)
    return out


def _add_years(dates: Arr, years: int) -> Arr:
    """datetime64[D] + whole years, the same day and month (29 February -> 1 March)."""
    months = dates.astype("datetime64[M]")
    day_in_month = dates - months.astype("datetime64[D]")
    return (months + 12 * years).astype("datetime64[D]") + day_in_month


def _pick(rng: np.random.Generator, buckets: Sequence[tuple[float, float, float]], n: int) -> Arr:
    """Sample n values from a mixture of uniform buckets (low, high, weight)."""
    weights = np.array([b[2] for b in buckets], dtype=float)
    which = rng.choice(len(buckets), size=n, p=weights / weights.sum())
    low = np.array([b[0] for b in buckets])[which]
    high = np.array([b[1] for b in buckets])[which]
    return low + rng.random(n) * (high - low)


def _choice(rng: np.random.Generator, weights: Sequence[float], n: int) -> Arr:
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(w), size=n, p=w / w.sum())


def _choice_rows(rng: np.random.Generator, table: Arr, rows: Arr) -> Arr:
    """For each element, choose a column of `table[rows[i]]` (rows of probabilities)."""
    cum = np.cumsum(table, axis=1)
    cum = cum / cum[:, -1:]
    u = rng.random(len(rows))
    return np.minimum((u[:, None] > cum[rows]).sum(axis=1), table.shape[1] - 1)


def _obj(values: Sequence[Any]) -> Arr:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def _arrow(values: Any) -> pa.Array:
    """A column as an Arrow string array (None -> null)."""
    return values if isinstance(values, pa.Array) else pa.array(values, pa.string(), from_pandas=True)


def _first_years(scale: str) -> list[int]:
    return [2024] if scale == "country" else [2020, 2021, 2022, 2023, 2024]


def period_of(year: int) -> str:
    return f"{year}/{year + 1}"


def _reporting_day(year: int) -> float:
    return _day(reporting_date(period_of(year)))


INDEFINITE_FROM = _day(DEFAULTS["indefinite_category_from"])
CATEGORY_TERM = int(DEFAULTS["category_term_years"])


# ------------------------------------------------------------------------------------- institutions
@dataclass
class Institutions:
    inst_id: Arr
    name: Arr
    short_name: Arr
    kind: Arr  # index into KINDS
    municipality: Arr
    rural: Arr
    address: Arr
    size: Arr  # main staff positions
    students_per_staff: Arr

    def __len__(self) -> int:
        return len(self.inst_id)


def _address(rng: np.random.Generator, index: int, place: str) -> str:
    street = STREETS[int(rng.integers(len(STREETS)))]
    return f"{index}, {REGION_RU}, {place}, {street}, д. {int(rng.integers(1, 120))}"


def _masculine(adjective: str) -> str:
    for fem, masc in (("ская", "ский"), ("цкая", "цкий"), ("ная", "ный"), ("ая", "ий")):
        if adjective.endswith(fem):
            return adjective[: -len(fem)] + masc
    return adjective


def _inst_names(
    rng: np.random.Generator,
    kind: int,
    rural: bool,
    number: int,
    place_adj: str,
    place_number: int,
    genitive: str,
) -> tuple[str, str]:
    """(full name, short name) of one institution.

    Urban institutions are numbered («СОШ № 3»); rural ones are named after their place («Ивановская СОШ»,
    «Асекеевская СОШ № 2» where a place has several).
    """
    legal_full, legal_short = LEGAL_FORMS[kind][int(rng.random() < 0.12)]
    nth = f" № {place_number}" if place_number else ""
    if kind == SCHOOL:
        if rural:
            full, short = (
                (f"{place_adj} средняя общеобразовательная школа{nth}", f"{place_adj} СОШ{nth}")
                if rng.random() < 0.75
                else (f"{place_adj} основная общеобразовательная школа{nth}", f"{place_adj} ООШ{nth}")
            )
        else:
            variant = _choice(rng, (0.72, 0.1, 0.07, 0.06, 0.05), 1)[0]
            full, short = (
                (f"Средняя общеобразовательная школа № {number}", f"СОШ № {number}"),
                (f"Гимназия № {number}", f"Гимназия № {number}"),
                (f"Лицей № {number}", f"Лицей № {number}"),
                (f"Основная общеобразовательная школа № {number}", f"ООШ № {number}"),
                (
                    f"Средняя общеобразовательная школа № {number} с углублённым изучением отдельных предметов",
                    f"СОШ № {number} с УИОП",
                ),
            )[variant]
    elif kind == PRESCHOOL:
        nick = KINDERGARTEN_NICKNAMES[int(rng.integers(len(KINDERGARTEN_NICKNAMES)))]
        if rural:
            full = short = f'{_masculine(place_adj)} детский сад{nth} "{nick}"'
        else:
            u = rng.random()
            if u < 0.7:
                full = short = f'Детский сад № {number} "{nick}"'
            elif u < 0.9:
                full, short = (
                    f'Детский сад комбинированного вида № {number} "{nick}"',
                    f"Детский сад № {number}",
                )
            else:
                full, short = (
                    f"Центр развития ребёнка — детский сад № {number}",
                    f"ЦРР — детский сад № {number}",
                )
    else:
        full, short = ADDITIONAL_NAMES[number % len(ADDITIONAL_NAMES)]
    suffix = f" {genitive}" if genitive else ""
    return f"{legal_full} «{full}»{suffix}", f"{legal_short} «{short}»"


def _city_institutions(rng: np.random.Generator) -> Institutions:
    """г. Бугуруслан: 12 schools, 15 kindergartens, 3 institutions of additional education."""
    rows: list[tuple[str, str, str, int, str, float, float]] = []
    schools = (
        ("Гимназия № 1", "Гимназия № 1", 1.25),
        *(
            (f"Средняя общеобразовательная школа № {n}", f"СОШ № {n}", size)
            for n, size in ((2, 1.1), (3, 1.0), (4, 1.15), (5, 0.95), (6, 0.9), (7, 1.0))
        ),
        ("Основная общеобразовательная школа № 8", "ООШ № 8", 0.45),
        ("Средняя общеобразовательная школа № 10", "СОШ № 10", 1.05),
        ("Средняя общеобразовательная школа № 13", "СОШ № 13", 0.9),
        ("Лицей № 1", "Лицей № 1", 1.2),
        ("Средняя общеобразовательная школа № 15", "СОШ № 15", 0.7),
    )
    legal_full, legal_short = LEGAL_FORMS[SCHOOL][0]
    for k, (full, short, size) in enumerate(schools, start=1):
        rows.append(
            (f"BGR-S{k:02d}", f"{legal_full} «{full}»", f"{legal_short} «{short}»", SCHOOL, "", size, 13.0)
        )
    legal_full, legal_short = LEGAL_FORMS[PRESCHOOL][0]
    numbers = (1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 16, 17, 19)
    for k, number in enumerate(numbers, start=1):
        nick = KINDERGARTEN_NICKNAMES[k - 1]
        full = f'Детский сад № {number} "{nick}"'
        if k in (3, 11):
            full = f'Детский сад комбинированного вида № {number} "{nick}"'
        rows.append((f"BGR-D{k:02d}", f"{legal_full} «{full}»", f'{legal_short} «Детский сад № {number} "{nick}"»',
                     PRESCHOOL, "", 0.8 + 0.5 * rng.random(), 9.0))  # fmt: skip
    legal_full, legal_short = LEGAL_FORMS[ADDITIONAL][0]
    for k, (full, short) in enumerate(ADDITIONAL_NAMES[:3], start=1):
        rows.append((f"BGR-U{k:02d}", f"{legal_full} «{full}»", f"{legal_short} «{short}»", ADDITIONAL, "",
                     (1.2, 0.8, 0.6)[k - 1], 34.0))  # fmt: skip
    base_size = {SCHOOL: 43.0, PRESCHOOL: 17.0, ADDITIONAL: 26.0}
    n = len(rows)
    addresses = [_address(rng, 461630 + int(rng.integers(7)), CITY_MUNICIPALITY) for _ in range(n)]
    return Institutions(
        inst_id=_obj([r[0] for r in rows]),
        name=_obj([f"{r[1]} г. Бугуруслана" for r in rows]),
        short_name=_obj([r[2] for r in rows]),
        kind=np.array([r[3] for r in rows]),
        municipality=_obj([CITY_MUNICIPALITY] * n),
        rural=np.zeros(n, dtype=bool),
        address=_obj(addresses),
        size=np.array([base_size[r[3]] * r[5] for r in rows]) * np.exp(rng.normal(0, 0.08, n)),
        students_per_staff=np.array([r[6] for r in rows]) * np.exp(rng.normal(0, 0.1, n)),
    )


@dataclass(frozen=True)
class _Municipality:
    name: str
    code: str
    centre: str
    genitive: str
    rural_share: float
    count: int
    region: str  # for addresses
    index: int  # postal index prefix
    centre_adj: str = ""  # a rural district centre that hosts institutions: «Асекеевская СОШ № 1»


def _many_institutions(
    rng: np.random.Generator, munis: Sequence[_Municipality], target_staff: float
) -> Institutions:
    """Institutions of many municipalities (region and country scales); a loop over institutions only."""
    ids: list[str] = []
    names: list[str] = []
    shorts: list[str] = []
    kinds: list[int] = []
    muni_names: list[str] = []
    rurals: list[bool] = []
    addresses: list[str] = []
    for muni in munis:
        n = muni.count
        rural = rng.random(n) < muni.rural_share
        kind = np.where(rural, _choice(rng, (0.52, 0.42, 0.06), n), _choice(rng, (0.4, 0.5, 0.1), n))
        kind[0] = ADDITIONAL  # every municipality has at least one
        villages = rng.permutation(len(VILLAGES))
        numbers = {SCHOOL: 0, PRESCHOOL: 0, ADDITIONAL: 0}
        used: dict[tuple[int, int], int] = {}
        for j in range(n):
            k = int(kind[j])
            numbers[k] += 1
            letter = "SDU"[k]
            ids.append(f"{muni.code}-{letter}{numbers[k]:03d}")
            place_number = 0
            if rural[j] and muni.centre_adj and rng.random() < 0.3:
                place, adj = muni.centre, muni.centre_adj
                used[(k, -1)] = place_number = used.get((k, -1), 0) + 1
                address_place = f"{muni.name}, {place}"
            elif rural[j]:
                v = int(villages[int(rng.integers(min(len(VILLAGES), 4 + n // 3)))])
                place, adj = VILLAGES[v]
                used[(k, v)] = used.get((k, v), 0) + 1
                place_number = used[(k, v)] if used[(k, v)] > 1 else 0
                address_place = f"{muni.name}, {place}"
            else:
                adj, address_place = "", muni.centre
            full, short = _inst_names(rng, k, bool(rural[j]), numbers[k], adj, place_number, muni.genitive)
            names.append(full)
            shorts.append(short)
            kinds.append(k)
            muni_names.append(muni.name)
            rurals.append(bool(rural[j]))
            street = STREETS[int(rng.integers(len(STREETS)))]
            addresses.append(
                f"{muni.index}{int(rng.integers(1000)):03d}, {muni.region}, {address_place}, {street}, "
                f"д. {int(rng.integers(1, 120))}"
            )
    kind_arr = np.array(kinds)
    rural_arr = np.array(rurals)
    n_all = len(ids)
    base = np.select(
        [kind_arr == SCHOOL, kind_arr == PRESCHOOL],
        [np.where(rural_arr, 16.0, 52.0), np.where(rural_arr, 6.0, 19.0)],
        np.where(rural_arr, 12.0, 30.0),
    )
    size = base * np.exp(rng.normal(0, 0.3, n_all))
    size *= target_staff / 1.03 / size.sum()
    ratio = np.select(
        [kind_arr == SCHOOL, kind_arr == PRESCHOOL],
        [np.where(rural_arr, 7.0, 13.0), np.where(rural_arr, 7.0, 9.0)],
        np.where(rural_arr, 25.0, 34.0),
    ) * np.exp(rng.normal(0, 0.12, n_all))
    return Institutions(
        inst_id=_obj(ids),
        name=_obj(names),
        short_name=_obj(shorts),
        kind=kind_arr,
        municipality=_obj(muni_names),
        rural=rural_arr,
        address=_obj(addresses),
        size=size,
        students_per_staff=ratio,
    )


def _region_institutions(rng: np.random.Generator, total: int = 1000, staff: float = 30_000) -> Institutions:
    weights = np.array([m[4] for m in ORENBURG_MUNICIPALITIES])
    counts = np.maximum(8, np.round(weights / weights.sum() * total)).astype(int)
    munis = [
        _Municipality(
            name=m[0],
            code=f"M{i:02d}",
            centre=m[1],
            genitive=m[2],
            rural_share=m[3],
            count=int(counts[i - 1]),
            region=REGION_RU,
            index=460 + int(rng.integers(3)),
            centre_adj=m[0].split()[0][:-2] + "ая" if m[0].endswith(" район") else "",
        )
        for i, m in enumerate(ORENBURG_MUNICIPALITIES, start=1)
    ]
    return _many_institutions(rng, munis, staff)


def _country_institutions(
    rng: np.random.Generator, total: int = 40_000, staff: float = 1_200_000
) -> Institutions:
    munis: list[tuple[str, str, str, float, float, str]] = []
    for r, (region, capital) in enumerate(COUNTRY_REGIONS, start=1):
        munis.append((f"{region}, г. {capital}", f"R{r:02d}M00", f"г. {capital}", 0.02, 12.0, region))
        for m, stem in enumerate(rng.choice(DISTRICT_STEMS, size=17, replace=False), start=1):
            town = (
                f"г. {stem[:-4]}ск" if stem.endswith("ский") else f"г. {stem}"
            )  # Октябрьский -> г. Октябрьск
            munis.append((f"{region}, {stem} район", f"R{r:02d}M{m:02d}", town, 0.85, 1.0, region))
    weights = np.array([m[4] for m in munis]) * np.exp(rng.normal(0, 0.3, len(munis)))
    counts = np.maximum(5, np.round(weights / weights.sum() * total)).astype(int)
    items = [
        _Municipality(
            name=m[0],
            code=m[1],
            centre=m[2],
            genitive="",
            rural_share=m[3],
            count=int(counts[i]),
            region=m[5],
            index=100 + int(rng.integers(590)),
        )
        for i, m in enumerate(munis)
    ]
    return _many_institutions(rng, items, staff)


# ------------------------------------------------------------------------------------------- people
class People:
    """Attributes of every person ever employed, one array per attribute, grown as people are hired."""

    def __init__(self) -> None:
        self.cols: dict[str, Arr] = {}

    def __len__(self) -> int:
        return len(self.cols["birth"]) if self.cols else 0

    def add(self, new: dict[str, Arr]) -> Arr:
        start = len(self)
        self.cols = {k: np.concatenate([self.cols[k], v]) if self.cols else v for k, v in new.items()}
        return np.arange(start, len(self))

    def __getitem__(self, key: str) -> Arr:
        return self.cols[key]


AGE_INITIAL = data_files.load("parameters")["age_initial"]
AGE_INITIAL_ADMIN = data_files.load("parameters")["age_initial_admin"]
AGE_HIRE = data_files.load("parameters")["age_hire"]
AGE_HIRE_ADMIN = data_files.load("parameters")["age_hire_admin"]
AGE_EXTERNAL = data_files.load("parameters")["age_external"]

MALE_SHARE = np.zeros((len(KINDS), len(POS)))
MALE_SHARE[:, :] = 0.08
for _pos, _share in (
    ("preschool_teacher", 0.01),
    ("senior_preschool_teacher", 0.01),
    ("additional_teacher", 0.3),
    ("speech_therapist", 0.01),
    ("music_director", 0.1),
    ("pe_instructor", 0.3),
    ("organizer", 0.15),
    ("education_advisor", 0.15),
    ("deputy_head", 0.15),
    ("head", 0.25),
):
    MALE_SHARE[:, P[_pos]] = _share
MALE_SHARE[PRESCHOOL, P["head"]] = 0.01
MALE_SHARE[ADDITIONAL, P["head"]] = 0.3

EDU_SHARES = np.tile([0.9, 0.1, 0.0], (len(POS), 1))  # higher, vocational, none
for _pos, _shares in (
    ("teacher", (0.88, 0.12, 0.0)),
    ("preschool_teacher", (0.5, 0.48, 0.02)),
    ("senior_preschool_teacher", (0.8, 0.2, 0.0)),
    ("additional_teacher", (0.62, 0.33, 0.05)),
    ("psychologist", (1.0, 0.0, 0.0)),
    ("speech_therapist", (1.0, 0.0, 0.0)),
    ("defectologist", (1.0, 0.0, 0.0)),
    ("music_director", (0.5, 0.5, 0.0)),
    ("pe_instructor", (0.6, 0.4, 0.0)),
    ("organizer", (0.7, 0.28, 0.02)),
    ("education_advisor", (0.85, 0.15, 0.0)),
    ("head", (0.99, 0.01, 0.0)),
    ("deputy_head", (0.97, 0.03, 0.0)),
):
    EDU_SHARES[P[_pos]] = _shares


def _new_people(
    rng: np.random.Generator, pos: Arr, kind: Arr, subject: Arr, emp: Arr, hire_day: float, initial: bool
) -> dict[str, Arr]:
    """Create people hired into slots (position, institution type, subject, employment) at `hire_day`."""
    n = len(pos)
    admin = (pos == P["head"]) | (pos == P["deputy_head"])
    external = emp == EXTERNAL
    if initial:
        age = np.where(admin, _pick(rng, AGE_INITIAL_ADMIN, n), _pick(rng, AGE_INITIAL, n))
    else:
        age = np.where(admin, _pick(rng, AGE_HIRE_ADMIN, n), _pick(rng, AGE_HIRE, n))
    age = np.where(external, _pick(rng, AGE_EXTERNAL, n), age)
    birth = hire_day - age * YEAR - rng.random(n)
    male_share = np.where(subject >= 0, SUBJECT_MALE[subject], MALE_SHARE[kind, pos])
    male = rng.random(n) < male_share
    edu = _choice_rows(rng, EDU_SHARES, pos)
    ped_edu = (edu != NO_EDU) & (rng.random(n) < np.where(pos == P["additional_teacher"], 0.72, 0.92))
    # career: studies end at 19-24, some came to schools from other trades later
    start_age = np.select([edu == HIGHER, edu == VOCATIONAL], [22.0, 19.5], 18.0) + rng.random(n) * 1.5
    switch = (rng.random(n) < 0.18) & (age > 30)
    delay = np.where(switch, 1 + rng.random(n) * np.minimum(12, np.maximum(age - start_age - 2, 0)), 0.0)
    career = birth + (start_age + delay) * YEAR
    fresh = (~np.asarray(initial)) & (age < 27) & ~admin
    career = np.where(fresh, hire_day - rng.random(n) * 0.9 * YEAR, career)
    career = np.minimum(career, hire_day - rng.random(n) * 0.5 * YEAR)
    career = np.maximum(career, birth + 18.5 * YEAR)
    nonped = np.where(switch, delay * YEAR * (0.5 + 0.5 * rng.random(n)), 0.0)
    nonped = np.where(~switch & (rng.random(n) < 0.15), rng.random(n) * 3 * YEAR, nonped)
    nonped = np.clip(nonped, 0, career - birth - 16.5 * YEAR)
    interval_u = rng.random(n)
    training_interval = np.where(
        interval_u < 0.72,
        2.0 + 0.95 * rng.random(n),
        np.where(interval_u < 0.95, 3.05 + 1.45 * rng.random(n), np.inf),
    )
    return {
        "birth": birth,
        "male": male,
        "surname": rng.integers(len(SURNAMES_M), size=n),
        "first": np.where(male, rng.integers(len(FIRST_M), size=n), rng.integers(len(FIRST_F), size=n)),
        "patronymic": rng.integers(len(PATRONYMICS_M), size=n),
        "edu": edu,
        "ped_edu": ped_edu,
        "career": career,
        "nonped": nonped,
        # attestation: the first some 2-5 years into the career, then every ~5 years; a quarter let it lapse
        "att_never": rng.random(n) < 0.1,
        "att_first": career + (1.5 + 3.5 * rng.random(n)) * YEAR,
        "att_interval": np.where(rng.random(n) < 0.75, 4.4 + 0.55 * rng.random(n), 5.1 + 1.7 * rng.random(n))
        * YEAR,
        "ambitious": rng.random(n) < 0.55,
        "upgrade": rng.random(n) < 0.12,
        "upgrade_day": _day("2023-10-01") + rng.random(n) * 620,
        "upgrade_mentor": rng.random(n) < 0.6,
        "compliance_u": rng.random(n),
        "training_first": career + (0.3 + 2.7 * rng.random(n)) * YEAR,
        "training_interval": training_interval * YEAR,
        "ict_u": rng.random(n),
    }


class _Lazy:
    """People's attributes for the rows of a file, indexed on use (not all at once: that doubles memory)."""

    def __init__(self, people: People, who: Arr) -> None:
        self.people, self.who = people, who

    def __getitem__(self, key: str) -> Arr:
        return self.people[key][self.who]


# -------------------------------------------------------------------------------------------- slots
@dataclass
class Slots:
    inst: Arr
    pos: Arr
    emp: Arr
    parent: Arr  # internal slot -> its main slot, else -1
    subject: Arr  # index into SUBJECTS, -1 none
    start: Arr  # first period index
    end: Arr  # one past the last period index

    def __len__(self) -> int:
        return len(self.inst)


def _subjects(rng: np.random.Generator, pos: Arr) -> Arr:
    n = len(pos)
    teacher = _choice(rng, [s[1] for s in TEACHER_SUBJECTS], n)
    pdo = len(TEACHER_SUBJECTS) + _choice(rng, [s[1] for s in PDO_DIRECTIONS], n)
    return np.select([pos == P["teacher"], pos == P["additional_teacher"]], [teacher, pdo], -1)


def _build_slots(rng: np.random.Generator, inst: Institutions, first_year: int, n_periods: int) -> Slots:
    n_inst = len(inst)
    size = np.maximum(np.round(inst.size), 3).astype(int)
    kind, rural = inst.kind, inst.rural
    u = rng.random((n_inst, len(POS)))
    counts = np.zeros((n_inst, len(POS)), dtype=int)
    school, pre, add = kind == SCHOOL, kind == PRESCHOOL, kind == ADDITIONAL

    def put(pos: str, mask: Arr, value: Arr | int) -> None:
        counts[:, P[pos]] = np.where(mask, value, counts[:, P[pos]])

    put("head", np.ones(n_inst, dtype=bool), 1)
    put(
        "deputy_head",
        school,
        np.where(rural, np.clip(np.round(size / 20), 1, 2), np.clip(np.round(size / 14), 1, 5)),
    )
    put("deputy_head", pre, (size >= 12).astype(int))
    put("deputy_head", add, np.clip(np.round(size / 15), 1, 3))
    put("psychologist", school, (size >= 20) | (u[:, P["psychologist"]] < 0.4))
    put("social_pedagogue", school, (size >= 28) | (u[:, P["social_pedagogue"]] < 0.3))
    put("speech_therapist", school, (size >= 35) | (u[:, P["speech_therapist"]] < 0.25))
    put("defectologist", school, (size >= 55) | (u[:, P["defectologist"]] < 0.1))
    put("organizer", school, u[:, P["organizer"]] < np.where(rural, 0.3, 0.6))
    put("tutor", school, (size >= 45) & (u[:, P["tutor"]] < 0.5))
    put("education_advisor", school, u[:, P["education_advisor"]] < np.where(rural, 0.65, 0.9))
    put("methodist", school, u[:, P["methodist"]] < 0.1)
    put("additional_teacher", school, (size >= 30) * (1 + (u[:, P["additional_teacher"]] < 0.4)))
    put("senior_preschool_teacher", pre, (size >= 9) & (u[:, P["senior_preschool_teacher"]] < 0.8))
    put("music_director", pre, 1 + (size >= 22))
    put("pe_instructor", pre, (size >= 12) | (u[:, P["pe_instructor"]] < 0.3))
    put("speech_therapist", pre, (size >= 14) | (u[:, P["speech_therapist"]] < 0.2))
    put("psychologist", pre, (size >= 16) & (u[:, P["psychologist"]] < 0.6))
    put("defectologist", pre, (size >= 22) & (u[:, P["defectologist"]] < 0.3))
    put("methodist", add, np.clip(np.round(size / 12), 1, 3))
    put("organizer", add, 1 + (size >= 30))
    put("psychologist", add, (size >= 20) & (u[:, P["psychologist"]] < 0.5))
    core = np.select([school, pre], [P["teacher"], P["preschool_teacher"]], P["additional_teacher"])
    rest = np.maximum(size - counts.sum(axis=1), np.select([school, pre], [4, 2], 3))
    counts[np.arange(n_inst), core] += rest

    flat = counts.ravel()
    m_inst = np.repeat(np.repeat(np.arange(n_inst), len(POS)), flat)
    m_pos = np.repeat(np.tile(np.arange(len(POS)), n_inst), flat)
    n_main = len(m_inst)
    m_start = np.zeros(n_main, dtype=int)
    m_end = np.full(n_main, n_periods)
    if n_periods > 1:
        # a few positions open or close during the years; the advisor to the director appears in 2022
        pedagogical = (m_pos != P["head"]) & (m_pos != P["deputy_head"])
        opens = pedagogical & (rng.random(n_main) < 0.05)
        m_start = np.where(opens, rng.integers(1, n_periods, n_main), m_start)
        closes = pedagogical & ~opens & (rng.random(n_main) < 0.05)
        m_end = np.where(closes, rng.integers(1, n_periods, n_main), m_end)
    advisor_from = max(0, 2022 - first_year)
    m_start = np.where(m_pos == P["education_advisor"], np.maximum(m_start, advisor_from), m_start)
    m_end = np.maximum(m_end, m_start + 1)

    # internal part-timers: deputies and heads who also teach, a psychologist who is also a social pedagogue
    m_kind = kind[m_inst]
    u = rng.random(n_main)
    internal_pos = np.full(n_main, -1)
    internal_pos = np.where(
        (m_kind == SCHOOL) & (m_pos == P["deputy_head"]) & (u < 0.7), P["teacher"], internal_pos
    )
    internal_pos = np.where(
        (m_kind == SCHOOL) & (m_pos == P["head"]) & (u < 0.45), P["teacher"], internal_pos
    )
    internal_pos = np.where(
        (m_kind == SCHOOL) & (m_pos == P["psychologist"]) & (u < 0.2), P["social_pedagogue"], internal_pos
    )
    internal_pos = np.where(
        (m_kind == ADDITIONAL) & np.isin(m_pos, [P["deputy_head"], P["methodist"]]) & (u < 0.45),
        P["additional_teacher"],
        internal_pos,
    )
    internal_pos = np.where(
        (m_kind == PRESCHOOL) & (m_pos == P["deputy_head"]) & (u < 0.15), P["preschool_teacher"], internal_pos
    )
    parents = np.flatnonzero(internal_pos >= 0)

    # external part-timers
    lam = np.select([school, pre], [0.03, 0.02], 0.15) * size
    n_ext = rng.poisson(lam)
    e_inst = np.repeat(np.arange(n_inst), n_ext)
    e_kind = kind[e_inst]
    n_e = len(e_inst)
    e_pos = np.select(
        [e_kind == SCHOOL, e_kind == ADDITIONAL],
        [P["teacher"], P["additional_teacher"]],
        np.where(rng.random(n_e) < 0.5, P["music_director"], P["pe_instructor"]),
    )
    e_start = np.where(rng.random(n_e) < 0.7, 0, rng.integers(0, n_periods, n_e))
    e_end = np.where(rng.random(n_e) < 0.7, n_periods, rng.integers(1, n_periods + 1, n_e))
    e_end = np.maximum(e_end, e_start + 1)
    e_subject = _subjects(rng, e_pos)
    ext_subject_idx = np.array([[s[0] for s in SUBJECTS].index(x) for x in EXTERNAL_SUBJECTS])
    e_subject = np.where(
        e_pos == P["teacher"], ext_subject_idx[rng.integers(len(ext_subject_idx), size=n_e)], e_subject
    )

    inst_idx = np.concatenate([m_inst, m_inst[parents], e_inst])
    pos = np.concatenate([m_pos, internal_pos[parents], e_pos])
    return Slots(
        inst=inst_idx,
        pos=pos,
        emp=np.concatenate([np.full(n_main, MAIN), np.full(len(parents), INTERNAL), np.full(n_e, EXTERNAL)]),
        parent=np.concatenate([np.full(n_main, -1), parents, np.full(n_e, -1)]),
        subject=np.concatenate([_subjects(rng, m_pos), _subjects(rng, internal_pos[parents]), e_subject]),
        start=np.concatenate([m_start, m_start[parents], e_start]),
        end=np.concatenate([m_end, m_end[parents], e_end]),
    )


def _leave_probability(age: Arr, emp: Arr) -> Arr:
    p = np.select([age < 30, age < 55, age < 60, age < 65, age < 70], [0.1, 0.035, 0.05, 0.08, 0.18], 0.45)
    return np.where(emp == EXTERNAL, np.maximum(p, 0.2), p)


def _simulate_occupants(
    rng: np.random.Generator, inst: Institutions, slots: Slots, years: Sequence[int]
) -> tuple[People, list[Arr]]:
    """Who holds each slot in each period (-1 = nobody): people stay, age, leave and are replaced."""
    people = People()
    occupant = np.full(len(slots), -1)
    own = slots.emp != INTERNAL
    internal = np.flatnonzero(~own)
    history = []
    for p, year in enumerate(years):
        day = _reporting_day(year)
        active = (slots.start <= p) & (p < slots.end)
        if p > 0:
            held = np.flatnonzero(own & (occupant >= 0))
            age = (day - people["birth"][occupant[held]]) / YEAR
            leaves = rng.random(len(held)) < _leave_probability(age, slots.emp[held])
            occupant[held[leaves]] = -1
        occupant[own & ~active] = -1
        need = np.flatnonzero(own & active & (occupant < 0))
        new = _new_people(
            rng,
            slots.pos[need],
            inst.kind[slots.inst[need]],
            slots.subject[need],
            slots.emp[need],
            day,
            initial=p == 0,
        )
        occupant[need] = people.add(new)
        occupant[internal] = np.where(active[internal], occupant[slots.parent[internal]], -1)
        history.append(occupant.copy())
    return people, history


# -------------------------------------------------------------------------------------------- staff
def _staff_rows(
    rng: np.random.Generator,
    inst: Institutions,
    slots: Slots,
    people: People,
    occupant: Arr,
    year: int,
    habits: dict[str, Arr],
    id_width: int,
) -> dict[str, Arr]:
    """The staff file of one period, as columns of canonical values."""
    day = _reporting_day(year)
    rows = np.flatnonzero(occupant >= 0)
    order = np.lexsort((rows, POS_RANK[slots.pos[rows]], slots.emp[rows], slots.inst[rows]))
    rows = rows[order]
    who = occupant[rows]
    n = len(rows)
    s_inst, s_pos, s_emp = slots.inst[rows], slots.pos[rows], slots.emp[rows]
    g = _Lazy(people, who)
    male = g["male"]

    # names and табельные номера are kept as Arrow strings: a million Python strings would cost far more
    def name_part(male_forms: Sequence[str], female_forms: Sequence[str], index: Arr) -> pa.Array:
        forms = pa.array([*male_forms, *female_forms], pa.string())
        return forms.take(
            pa.array(np.where(male, index % len(male_forms), len(male_forms) + index % len(female_forms)))
        )

    full_name = pc.binary_join_element_wise(
        name_part(SURNAMES_M, SURNAMES_F, g["surname"]),
        name_part(FIRST_M, FIRST_F, g["first"]),
        name_part(PATRONYMICS_M, PATRONYMICS_F, g["patronymic"]),
        " ",
    )
    staff_id = pc.utf8_lpad(pc.cast(pa.array(who + 1), pa.string()), id_width, "0")
    staff_id = pc.if_else(
        pa.array(s_emp == INTERNAL), pc.binary_join_element_wise(staff_id, "2", "-"), staff_id
    )

    # attestation: every ~5 years from the first; from 01.09.2023 categories are indefinite, so the cycle
    # stops at the first attestation after that date
    never = g["att_never"] | (day < g["att_first"])
    k_due = np.floor((day - g["att_first"]) / g["att_interval"])
    k_new_rules = np.ceil((INDEFINITE_FROM - g["att_first"]) / g["att_interval"])
    k = np.maximum(np.minimum(k_due, np.maximum(k_new_rules, 0)), 0)
    cat_day = g["att_first"] + k * g["att_interval"]
    highest = (k >= 1) & g["ambitious"]
    cat = np.where(highest, CAT["highest"], CAT["first"])
    upgraded = ~never & highest & g["upgrade"] & (day >= g["upgrade_day"])
    cat = np.where(upgraded, np.where(g["upgrade_mentor"], CAT["mentor"], CAT["methodist"]), cat)
    cat_day = np.where(upgraded, g["upgrade_day"], cat_day)
    ped_days = day - g["career"]
    compliance = never & (ped_days > 2 * YEAR) & (g["compliance_u"] < 0.55)
    cat = np.where(never, np.where(compliance, CAT["compliance"], CAT["none"]), cat)
    cat_day = np.where(never, np.nan, cat_day)
    # heads and deputies are attested for compliance with the post; their teaching rows carry the category
    admin = (s_pos == P["head"]) | (s_pos == P["deputy_head"])
    cat = np.where(admin, np.where(g["compliance_u"] < 0.7, CAT["compliance"], CAT["none"]), cat)
    cat_day = np.where(admin, np.nan, cat_day)
    cat_date = _to_dates(cat_day)
    termed = (cat == CAT["highest"]) | (cat == CAT["first"])
    fills_until = habits["fills_valid_until"][s_inst] & (cat_day < INDEFINITE_FROM) & termed
    valid_until = np.where(fills_until, _add_years(cat_date, CATEGORY_TERM), np.datetime64("NaT"))

    # courses
    t_first, t_int = g["training_first"], g["training_interval"]
    trained = np.isfinite(t_int) & (day >= t_first)
    t_int = np.where(trained, t_int, 1.0)
    last_training = np.where(trained, t_first + np.floor((day - t_first) / t_int) * t_int, np.nan)
    ict_share = 0.35 + 0.09 * (year - 2020)
    ict_training = g["ict_u"] < ict_share

    # experience in whole years, or with one decimal where the institution writes it so
    decimal = habits["decimal_experience"][s_inst]
    ped_years = np.where(decimal, np.floor(ped_days / YEAR * 10) / 10, np.floor(ped_days / YEAR))
    total_days = ped_days + g["nonped"]
    total_years = np.where(decimal, np.floor(total_days / YEAR * 10) / 10, np.floor(total_days / YEAR))
    total_years = np.where(habits["omits_total"][s_inst], np.nan, total_years)

    subject = SUBJECT_NAMES[slots.subject[rows]]
    subject[habits["omits_subject"][s_inst]] = None  # a fresh array: fancy indexing copies
    return {
        "period": np.full(n, period_of(year), dtype=object),
        "inst_id": inst.inst_id[s_inst],
        "staff_id": staff_id,
        "full_name": full_name,
        "position": _obj(POS)[s_pos],
        "employment": _obj(EMPLOYMENT)[s_emp],
        "gender": _obj(GENDER_CODES)[np.where(male, 0, 1)],
        "birth_date": _to_dates(g["birth"]),
        "education_level": _obj(EDUCATION)[g["edu"]],
        "pedagogical_education": g["ped_edu"],
        "category": _obj(CATEGORIES)[cat],
        "category_date": cat_date,
        "category_valid_until": valid_until.astype("datetime64[D]"),
        "last_training_date": _to_dates(last_training),
        "ict_training": ict_training,
        "ped_experience_years": ped_years,
        "total_experience_years": total_years,
        "subject": subject,
    }


def _age(birth: Arr, day: float) -> Arr:
    """Full years at `day` (birthday-based), as the indicators count them."""
    ref: dt.date = (EPOCH + int(day)).item()
    year = birth.astype("datetime64[Y]").astype(int) + 1970
    month = birth.astype("datetime64[M]").astype(int) % 12 + 1
    dom = (birth - birth.astype("datetime64[M]")).astype(int) + 1
    before_birthday = (month > ref.month) | ((month == ref.month) & (dom > ref.day))
    return ref.year - year - before_birthday.astype(int)


def _plant_staff_errors(rng: np.random.Generator, cols: dict[str, Arr], year: int) -> dict[str, Arr]:
    """The staff errors of PLANTED_ERRORS, each on a different row of a different institution."""
    cols = {
        k: v.to_numpy(zero_copy_only=False) if isinstance(v, pa.Array) else v.copy() for k, v in cols.items()
    }
    day = _reporting_day(year)
    age = _age(cols["birth_date"], day)
    taken: set[int] = set()
    used_inst: set[str] = set()

    def pick(mask: Arr) -> int:
        free = [
            i
            for i in np.flatnonzero(mask & (cols["employment"] == "main"))
            if cols["inst_id"][i] not in used_inst
        ]
        i = int(free[int(rng.integers(len(free)))])
        taken.add(i)
        used_inst.add(str(cols["inst_id"][i]))
        return i

    teacher = cols["position"] == "teacher"
    # a code typed without its leading zero
    cols["inst_id"][pick(teacher)] = BAD_INST_ID
    # pedagogical experience longer than the person's working life
    i = pick(teacher & ~np.isnan(cols["total_experience_years"]) & (age >= 28) & (age <= 40))
    cols["ped_experience_years"][i] = cols["total_experience_years"][i] = float(age[i] - 5)
    # «высшая» without the date of the order
    i = pick(cols["category"] == "highest")
    cols["category_date"][i] = cols["category_valid_until"][i] = np.datetime64("NaT")
    # a birth year typed as 2012: age 12
    i = pick(teacher)
    born: dt.date = cols["birth_date"][i].item()
    twelve = year - 12 if (born.month, born.day) <= (9, 20) else year - 13
    cols["birth_date"][i] = np.datetime64(born.replace(year=twelve, day=min(born.day, 28)), "D")
    # two people with one табельный номер
    i = pick(teacher)
    same = np.flatnonzero(teacher & (cols["inst_id"] == cols["inst_id"][i]) & (cols["employment"] == "main"))
    j = int(rng.choice(same[same != i]))
    taken.add(j)
    cols["staff_id"][j] = cols["staff_id"][i]
    # a position that is not in the list
    cols["position"][pick(teacher & (cols["subject"] == "Начальные классы"))] = BAD_POSITION
    # a category assigned after the reporting date
    i = pick(cols["category"] == "first")
    cols["category_date"][i] = np.datetime64(f"{year}-10-12", "D")
    cols["category_valid_until"][i] = np.datetime64("NaT")
    return cols


def _plant_ict_error(rng: np.random.Generator, cols: dict[str, Arr], inst: Institutions) -> dict[str, Arr]:
    """More computers used for teaching than computers: the count of workstations typed in by mistake."""
    cols = {k: v.copy() for k, v in cols.items()}
    i = int(rng.choice(np.flatnonzero(inst.kind == SCHOOL)))
    cols["computers_learning"][i] = cols["computers_total"][i] + int(rng.integers(3, 11))
    return cols


# ---------------------------------------------------------------------------------------------- ict
SPEED_STEPS = np.array([2, 4, 7.5, 10, 20, 30, 50, 100, 200, 300, 500])


def _ict(
    rng: np.random.Generator, inst: Institutions, staff_counts: Arr, years: Sequence[int]
) -> list[dict[str, Arr]]:
    """ICT rows of every institution for every period: equipment and speed grow over the years."""
    n, n_p = len(inst), len(years)
    kind, rural = inst.kind, inst.rural
    school, pre = kind == SCHOOL, kind == PRESCHOOL
    t = np.array(years) - 2020  # years since 2020
    trend = np.where(pre, -0.03, 0.005)[:, None]
    noise = np.cumsum(rng.normal(0, 0.03, (n, n_p)), axis=1)
    students0 = np.maximum(5, staff_counts * inst.students_per_staff)
    students = np.maximum(5, np.round(students0[:, None] * np.exp(trend * t[None, :] + noise))).astype(int)

    base_pc = np.select(
        [school, pre],
        [students0 * (0.07 + 0.07 * rng.random(n)) + 5 + 10 * rng.random(n), 2 + 8 * rng.random(n)],
        8 + 22 * rng.random(n),
    )
    growth = 1.04 + 0.08 * rng.random(n)
    pcs = base_pc[:, None] * growth[:, None] ** t[None, :]
    # «Цифровая образовательная среда»: a third of the schools get a delivery of computers in some year
    jump_year = rng.integers(2020, 2025, n)
    gets_jump = school & (rng.random(n) < 0.35)
    pcs += np.where(
        gets_jump[:, None] & (np.array(years)[None, :] >= jump_year[:, None]),
        10 + 20 * rng.random(n)[:, None],
        0,
    )
    total = np.round(pcs).astype(int)
    learning_share = np.select(
        [school, pre], [0.55 + 0.3 * rng.random(n), 0.15 + 0.3 * rng.random(n)], 0.4 + 0.4 * rng.random(n)
    )
    learning = np.floor(total * np.minimum(1, learning_share[:, None] + 0.02 * t[None, :])).astype(int)
    internet = np.floor(
        total * np.minimum(1, 0.75 + 0.2 * rng.random(n)[:, None] + 0.02 * t[None, :])
    ).astype(int)
    learning_internet = np.floor(
        np.minimum(learning, internet) * (0.85 + 0.15 * rng.random((n, n_p)))
    ).astype(int)

    rooms0 = np.select(
        [school, pre],
        [np.where(rural, 9 + students0 / 15, 12 + students0 / 24), np.maximum(1, students0 / 20)],
        np.where(rural, 4 + 6 * rng.random(n), 8 + 17 * rng.random(n)),
    )
    rooms = np.broadcast_to(np.maximum(1, np.round(rooms0))[:, None], (n, n_p)).astype(int)
    ws_share = np.minimum(
        1, 0.2 + 0.4 * rng.random(n)[:, None] + (0.08 + 0.04 * rng.random(n))[:, None] * t[None, :]
    )
    workstations = np.floor(rooms * ws_share).astype(int)
    boards = np.select(
        [school[:, None], pre[:, None]],
        [
            rooms * np.minimum(1, 0.1 + 0.25 * rng.random(n)[:, None] + 0.06 * t[None, :]),
            (3 * rng.random(n))[:, None] + 0.4 * t[None, :],
        ],
        (4 * rng.random(n))[:, None] + 0.3 * t[None, :],
    )
    boards = np.floor(boards).astype(int)

    # connection speed climbs a ladder; rural institutions start lower and some stay below the target
    start_weights = (0.15, 0.25, 0.3, 0.2, 0.1)
    step0 = np.where(rural, 2, 4) + _choice(rng, start_weights, n)
    ups = rng.random((n, n_p)) < np.where(rural, 0.5, 0.55)[:, None]
    ups[:, 0] = False
    step = np.minimum(step0[:, None] + np.cumsum(ups, axis=1), len(SPEED_STEPS) - 1)
    speed = SPEED_STEPS[step].astype(float)

    u = rng.random(n)
    e_journal = np.select(
        [school[:, None], pre[:, None]],
        [(u[:, None] < 0.9) | (t[None, :] >= 1), u[:, None] < 0.05 + 0.05 * t[None, :]],
        u[:, None] < 0.2 + 0.1 * t[None, :],
    )
    u = rng.random(n)
    covid = t[None, :] == 0
    distance = np.select(
        [school[:, None], pre[:, None]],
        [u[:, None] < np.where(covid, 0.95, 0.8), u[:, None] < np.where(covid, 0.45, 0.2)],
        u[:, None] < np.where(covid, 0.8, 0.55),
    )
    out = []
    for p, year in enumerate(years):
        out.append(
            {
                "period": np.full(n, period_of(year), dtype=object),
                "inst_id": inst.inst_id.copy(),
                "students": students[:, p],
                "computers_total": total[:, p],
                "computers_learning": learning[:, p],
                "computers_internet": internet[:, p],
                "computers_learning_internet": learning_internet[:, p],
                "classrooms_total": rooms[:, p].copy(),
                "classrooms_workstation": workstations[:, p],
                "interactive_boards": boards[:, p],
                "internet_speed_mbps": speed[:, p],
                "e_journal": e_journal[:, p],
                "distance_learning": distance[:, p],
            }
        )
    return out


SITE_TOPICS = data_files.load("innovation")["site_topics"]
PROJECTS = data_files.load("innovation")["projects"]
EVENT_FORMS = data_files.load("innovation")["event_forms"]
EVENT_TOPICS = data_files.load("innovation")["event_topics"]
STAFF_CONTESTS = data_files.by_kind(data_files.load("innovation")["staff_contests"], KINDS)
OLYMPIAD_SUBJECTS = data_files.load("innovation")["olympiad_subjects"]
OLYMPIAD_STAGES = data_files.load("innovation")["olympiad_stages"]
STUDENT_CONTESTS = data_files.by_kind(data_files.load("innovation")["student_contests"], KINDS)
PUBLICATION_FORMS = data_files.load("innovation")["publication_forms"]
# weights of activity types per institution type, in ACTIVITY order
ACTIVITY_WEIGHTS = np.array(
    [
        [0.05, 0.1, 0.25, 0.2, 0.3, 0.1],  # school
        [0.05, 0.1, 0.3, 0.25, 0.1, 0.2],  # preschool
        [0.05, 0.1, 0.2, 0.15, 0.35, 0.15],  # additional
    ]
)
# weights of levels per activity type, in LEVELS order
LEVEL_WEIGHTS = np.array(
    [
        [0.0, 0.5, 0.4, 0.1, 0.0],  # innovation_site
        [0.3, 0.4, 0.25, 0.05, 0.0],  # project
        [0.4, 0.45, 0.12, 0.03, 0.0],  # event
        [0.1, 0.5, 0.3, 0.09, 0.01],  # staff_contest
        [0.3, 0.35, 0.2, 0.12, 0.03],  # student_contest
        [0.1, 0.2, 0.25, 0.4, 0.05],  # publication
    ]
)


def _innovation(
    rng: np.random.Generator, inst: Institutions, staff: list[dict[str, Arr]], years: Sequence[int]
) -> list[dict[str, Arr]]:
    n_inst = len(inst)
    kind, rural = inst.kind, inst.rural
    inst_index = pd.Index(inst.inst_id)
    omits_participants = rng.random(n_inst) < 0.2
    lam = np.select([kind == SCHOOL, kind == PRESCHOOL], [5.0, 2.5], 6.0) * np.where(rural, 0.5, 1.0)
    lam *= np.exp(rng.normal(0, 0.35, n_inst))
    out = []
    for p, year in enumerate(years):
        counts = rng.poisson(lam * (1 + 0.06 * (year - 2020)))
        r_inst = np.repeat(np.arange(n_inst), counts)
        n = len(r_inst)
        act = _choice_rows(rng, ACTIVITY_WEIGHTS, kind[r_inst])
        lvl = _choice_rows(rng, LEVEL_WEIGHTS, act)
        # every kind and level appears in every period
        extra_act, extra_lvl = [], []
        for a in range(len(ACTIVITY)):
            if not (act == a).any():
                extra_act.append(a)
                extra_lvl.append(LEVELS.index("municipal"))
        for lv in range(len(LEVELS)):
            if not (lvl == lv).any():
                extra_act.append(ACTIVITY.index("student_contest"))
                extra_lvl.append(lv)
        if extra_act:
            schools = np.flatnonzero(kind == SCHOOL)
            extra_inst = schools[rng.integers(len(schools), size=len(extra_act))]
            r_inst = np.concatenate([r_inst, extra_inst])
            act = np.concatenate([act, extra_act])
            lvl = np.concatenate([lvl, extra_lvl])
            order = np.argsort(r_inst, kind="stable")
            r_inst, act, lvl = r_inst[order], act[order], lvl[order]
            n = len(r_inst)
        starts = np.searchsorted(r_inst, r_inst, side="left")
        record_id = (np.arange(n) - starts + 1).astype(str).astype(object)
        a_code = _obj(ACTIVITY)[act]
        l_code = _obj(LEVELS)[lvl]
        contest = np.isin(a_code, c.CONTEST_TYPES)
        res = _choice(rng, (0.55, 0.3, 0.15), n)
        # every result appears among the contests
        contest_idx = np.flatnonzero(contest)
        for r in range(len(RESULTS)):
            if len(contest_idx) > len(RESULTS) and not (res[contest_idx] == r).any():
                res[contest_idx[rng.integers(len(contest_idx))]] = r
        result = np.full(n, None, dtype=object)
        result[contest] = _obj(RESULTS)[res[contest]]

        r_kind = kind[r_inst]
        title = _titles(rng, act, lvl, r_kind, year)
        event_day = _reporting_day(year) - 10 + rng.random(n) * 270
        participants = np.select(
            [
                a_code == "event",
                a_code == "student_contest",
                np.isin(a_code, ["innovation_site", "project"]),
                a_code == "staff_contest",
            ],
            [
                rng.integers(8, 61, n),
                np.select(
                    [res == 2, res == 1],
                    [rng.integers(1, 4, n), rng.integers(1, 9, n)],
                    rng.integers(1, 41, n),
                ),
                rng.integers(3, 26, n),
                np.where(rng.random(n) < 0.9, 1, rng.integers(2, 4, n)),
            ],
            np.where(rng.random(n) < 0.85, 1, rng.integers(2, 4, n)),
        ).astype(float)
        participants = np.where(omits_participants[r_inst] & ~contest, np.nan, participants)

        # the teacher behind a staff contest or a publication
        s = staff[p]
        admin = (s["position"] == "head") | (s["position"] == "deputy_head")
        ped = np.flatnonzero(~admin & (s["employment"] != "external"))
        s_inst = inst_index.get_indexer(pd.Index(s["inst_id"][ped]))
        s_order = np.argsort(s_inst, kind="stable")
        ped, s_inst = ped[s_order], s_inst[s_order]
        lo = np.searchsorted(s_inst, r_inst, side="left")
        hi = np.searchsorted(s_inst, r_inst, side="right")
        wants = np.isin(a_code, ["staff_contest", "publication"]) & (rng.random(n) < 0.75) & (hi > lo)
        pick = np.minimum(lo + np.floor(rng.random(n) * (hi - lo)).astype(int), max(len(ped) - 1, 0))
        staff_id = np.full(n, None, dtype=object)
        if len(ped):
            chosen = _arrow(s["staff_id"]).take(pa.array(ped[pick])).to_numpy(zero_copy_only=False)
            staff_id[wants] = chosen[wants]
        out.append(
            {
                "period": np.full(n, period_of(year), dtype=object),
                "inst_id": inst.inst_id[r_inst],
                "record_id": record_id,
                "activity_type": a_code,
                "level": l_code,
                "title": title,
                "event_date": _to_dates(event_day),
                "participants": participants,
                "result": result,
                "staff_id": staff_id,
            }
        )
    return out


def _titles(rng: np.random.Generator, act: Arr, lvl: Arr, kind: Arr, year: int) -> Arr:
    """Titles of innovation records: the pools above, per activity type, level and institution type."""
    n = len(act)

    def pool(values: Sequence[str]) -> Arr:
        return _obj(values)[rng.integers(len(values), size=n)]

    site = "Инновационная площадка «" + pool(SITE_TOPICS) + "»"
    project = "Проект «" + pool(PROJECTS) + "»"
    event = pool(EVENT_FORMS) + " " + pool(EVENT_TOPICS)
    staff_contest = np.select(
        [kind == SCHOOL, kind == PRESCHOOL],
        [pool(STAFF_CONTESTS[SCHOOL]), pool(STAFF_CONTESTS[PRESCHOOL])],
        pool(STAFF_CONTESTS[ADDITIONAL]),
    )
    staff_contest = "Конкурс «" + staff_contest + f" — {year + 1}»"
    stage = _obj([OLYMPIAD_STAGES[x] for x in LEVELS])[lvl]
    subjects = [s.replace("_", " ") for s in OLYMPIAD_SUBJECTS]
    olympiad = "Всероссийская олимпиада школьников по " + pool(subjects) + ", " + stage + " этап"
    international = lvl == LEVELS.index("international")
    school_contest = np.where(
        (rng.random(n) < 0.6) & ~international, olympiad, pool(STUDENT_CONTESTS[SCHOOL])
    )
    student = np.select(
        [kind == SCHOOL, kind == PRESCHOOL],
        [school_contest, pool(STUDENT_CONTESTS[PRESCHOOL])],
        pool(STUDENT_CONTESTS[ADDITIONAL]),
    )
    publication = pool(PUBLICATION_FORMS) + " " + pool(EVENT_TOPICS)
    a = {code: ACTIVITY.index(code) for code in ACTIVITY}
    return np.select(
        [
            act == a["innovation_site"],
            act == a["project"],
            act == a["event"],
            act == a["staff_contest"],
            act == a["student_contest"],
        ],
        [site, project, event, staff_contest, student],
        publication,
    ).astype(object)


# ------------------------------------------------------------------------------------------ writing
@dataclass(frozen=True)
class Style:
    """How one file is written: the habits of whoever filled it in (or of the system that exported it)."""

    headers: str = "ru"  # ru (Russian headers) | code (canonical names)
    labels: str = "ru"  # ru | cap (capitalised) | code
    dates: str = "dmy"  # dmy (20.09.2024) | iso (2024-09-20)
    date_cells: bool = True  # xlsx: real date cells rather than text
    yes_no: tuple[str, str] = ("да", "нет")
    period: str = "full"  # full (2024/2025) | dash (2024-2025) | short (2024/25)
    decimal: str = ","
    delimiter: str = ";"
    encoding: str = "utf-8-sig"
    newline: str = "\r\n"


BULK_STYLE = Style(encoding="utf-8", newline="\n")
CITY_STYLES: dict[tuple[str, int], Style] = {
    ("institutions", 0): Style(),
    ("staff", 2020): Style(encoding="cp1251"),
    ("staff", 2021): Style(period="dash", labels="cap"),
    ("staff", 2022): Style(encoding="cp1251", period="short", yes_no=("Да", "Нет"), date_cells=False),
    ("staff", 2023): Style(encoding="utf-8", newline="\n"),
    ("staff", 2024): Style(),
    ("ict", 2020): Style(encoding="cp1251"),
    ("ict", 2021): Style(period="dash"),
    # exported by an information system: English column names, codes, ISO dates, commas
    ("ict", 2022): Style(
        headers="code",
        labels="code",
        dates="iso",
        yes_no=("1", "0"),
        decimal=".",
        delimiter=",",
        encoding="utf-8",
        newline="\n",
    ),  # fmt: skip
    ("ict", 2023): Style(yes_no=("Да", "Нет")),
    ("ict", 2024): Style(),
    ("innovation", 2020): Style(labels="cap"),
    ("innovation", 2021): Style(encoding="cp1251", period="short"),
    ("innovation", 2022): Style(encoding="utf-8", newline="\n", period="dash"),
    ("innovation", 2023): Style(encoding="cp1251", dates="iso", date_cells=False),
    ("innovation", 2024): Style(),
}


def _map_unique(values: Arr, fn: Callable[[Any], str]) -> pa.Array:
    """Apply `fn` to the distinct values only (missing -> ""): fast on millions of repeated values."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = pa.array([fn(u) for u in uniques] + [""], pa.string())
    return mapped.take(pa.array(np.where(codes < 0, len(uniques), codes)))


def _quote(text: str, delimiter: str) -> str:
    """CSV quoting where it is needed, as Excel does it."""
    if delimiter in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _quote_array(texts: pa.Array, delimiter: str) -> pa.Array:
    """`_quote` for a whole column, in Arrow kernels."""
    needs = pc.match_substring_regex(texts, "[" + re.escape(delimiter) + '"\r\n]')
    if not pc.any(needs).as_py():
        return texts
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(texts, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, texts)


def _format_period(period: str, style: Style) -> str:
    first, second = period.split("/")
    if style.period == "dash":
        return f"{first}-{second}"
    if style.period == "short":
        return f"{first}/{second[2:]}"
    return period


def _format_number(value: Any, style: Style) -> str:
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.1f}".replace(".", style.decimal)


def _format_label(col: c.Column, code: Any, style: Style) -> str:
    code = str(code)
    if style.labels == "code" or code not in col.labels:
        return code  # an unknown value is written as it came
    label = choice_label(col.labels, code)
    return label[:1].upper() + label[1:] if style.labels == "cap" else label


def _format_column(col: c.Column, values: Any, style: Style, delimiter: str | None = None) -> pa.Array:
    """Canonical values of one column -> the text a file holds ("" where missing).

    With a `delimiter`, values are CSV-quoted where needed. Repeated values (codes, dates, numbers) are
    formatted once per distinct value.
    """

    def text(fn: Callable[[Any], str]) -> Callable[[Any], str]:
        return fn if delimiter is None else lambda v: _quote(fn(v), delimiter)

    if col.kind == c.DATE:
        codes, uniques = pd.factorize(values.astype("datetime64[D]").view(np.int64))
        days = pa.array(uniques.astype("datetime64[D]"), pa.date32())
        texts = pc.fill_null(pc.strftime(days, format="%Y-%m-%d" if style.dates == "iso" else "%d.%m.%Y"), "")
        return texts.take(pa.array(codes))
    if col.kind == c.BOOL:
        yes, no = (text(str)(x) for x in style.yes_no)
        return pc.if_else(pa.array(values.astype(bool)), yes, no)
    if col.kind in (c.INT, c.NUMBER):
        return _map_unique(values.astype(float), text(lambda v: _format_number(v, style)))
    if col.kind == c.ENUM:
        return _map_unique(values, text(lambda v: _format_label(col, v, style)))
    if col.kind == c.PERIOD:
        return _map_unique(values, text(lambda v: _format_period(str(v), style)))
    texts = pc.fill_null(_arrow(values), "")
    return texts if delimiter is None else _quote_array(texts, delimiter)


def _header(col: c.Column, style: Style) -> str:
    return col.name if style.headers == "code" else col.header_ru


def _string_bytes(texts: pa.Array) -> bytes:
    """The concatenated characters of a string array (its data buffer between the first and last offset)."""
    buffers = texts.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[texts.offset : texts.offset + len(texts) + 1]
    return bytes(memoryview(buffers[2])[offsets[0] : offsets[-1]]) if len(texts) else b""


def write_csv(path: Path, dataset: c.Dataset, cols: dict[str, Arr], style: Style) -> None:
    """Write CSV text joined column-wise by Arrow kernels, in chunks to bound memory."""
    n = len(cols[dataset.columns[0].name])
    sep, newline = style.delimiter, style.newline
    body_encoding = "utf-8" if style.encoding.startswith("utf-8") else style.encoding
    header = sep.join(_quote(_header(col, style), sep) for col in dataset.columns) + newline
    with open(path, "wb") as fh:
        fh.write(header.encode(style.encoding))
        for start in range(0, n, CSV_CHUNK_ROWS):
            part = slice(start, min(n, start + CSV_CHUNK_ROWS))
            cells = [
                _format_column(col, cols[col.name][part], style, delimiter=sep) for col in dataset.columns
            ]
            lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*cells, sep), "", newline)
            payload = _string_bytes(lines)
            fh.write(payload if body_encoding == "utf-8" else payload.decode("utf-8").encode(body_encoding))


def _xlsx_column(col: c.Column, values: Arr, style: Style) -> list[Any]:
    if col.kind == c.DATE and style.date_cells:
        return list(values.astype("datetime64[D]").tolist())
    if col.kind in (c.INT, c.NUMBER):
        numbers: list[Any] = []
        for v in values.astype(float).tolist():
            numbers.append(None if np.isnan(v) else int(v) if v.is_integer() else v)
        return numbers
    return [v or None for v in _format_column(col, values, style).to_pylist()]


def write_xlsx(
    path: Path, dataset: c.Dataset, cols: dict[str, Arr], style: Style, titles: Sequence[str]
) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(dataset.name)
    for idx, col in enumerate(dataset.columns, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = min(40, max(12, len(_header(col, style)) * 0.9))
    bold = Font(bold=True)
    for number, text in enumerate(titles):
        cell = WriteOnlyCell(ws, value=text)
        if number == 0:
            cell.font = bold
        ws.append([cell])
    ws.append([])
    header = []
    for col in dataset.columns:
        cell = WriteOnlyCell(ws, value=_header(col, style))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    columns = [_xlsx_column(col, cols[col.name], style) for col in dataset.columns]
    date_columns = [i for i, col in enumerate(dataset.columns) if col.kind == c.DATE and style.date_cells]
    for row in zip(*columns, strict=True):
        values: list[Any] = list(row)
        for i in date_columns:
            if values[i] is not None:
                cell = WriteOnlyCell(ws, value=values[i])
                cell.number_format = DATE_FORMAT
                values[i] = cell
        ws.append(values)
    save_reproducibly(wb, path)


def _titles_for_file(dataset: c.Dataset, year: int | None, place: str) -> list[str]:
    if year is None:
        return [f"{dataset.title_ru} ({place})"]
    as_of = reporting_date(period_of(year)).strftime("%d.%m.%Y")
    return [f"{dataset.title_ru} за {period_of(year)} учебный год", f"{place}, по состоянию на {as_of}"]


def _institution_columns(rng: np.random.Generator, inst: Institutions) -> dict[str, Arr]:
    n = len(inst)
    address = inst.address.copy()
    address[rng.random(n) < 0.04] = None  # optional, and not everyone fills it in
    return {
        "inst_id": inst.inst_id,
        "name": inst.name,
        "short_name": inst.short_name,
        "inst_type": _obj(KINDS)[inst.kind],
        "municipality": inst.municipality,
        "locality": _obj(tuple(c.LOCALITIES))[np.where(inst.rural, 1, 0)],
        "address": address,
    }


def _habits(rng: np.random.Generator, n: int) -> dict[str, Arr]:
    """How each institution fills in its staff rows (each habit held by a fixed share of institutions)."""

    def share(fraction: float) -> Arr:
        mask = np.zeros(n, dtype=bool)
        mask[rng.choice(n, size=max(1, round(fraction * n)), replace=False)] = True
        return mask

    return {
        "fills_valid_until": share(0.2),
        "decimal_experience": share(0.1),
        "omits_total": share(0.12),
        "omits_subject": share(0.07),
    }


def generate(scale: str, out_dir: Path, seed: int = 42, fmt: str = "csv") -> list[Path]:
    """Write the demo data set of `scale` into `out_dir`; return the files in load order.

    `institutions.<ext>` first, then `staff_<YYYY-YYYY>`, `ict_<YYYY-YYYY>` and `innovation_<YYYY-YYYY>`,
    each in chronological order. With `fmt="xlsx"` a file of more than XLSX_MAX_ROWS rows is still written
    as CSV (the region's and the country's staff files, the country's other files).
    The same scale, seed and format give byte-identical files.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    streams = np.random.SeedSequence([seed, SCALES.index(scale)]).spawn(9)
    rng_inst, rng_slots, rng_people, rng_rows, rng_ict, rng_inno, rng_plant, rng_habits, rng_files = (
        np.random.default_rng(s) for s in streams
    )
    years = _first_years(scale)
    if scale == "city":
        inst = _city_institutions(rng_inst)
    elif scale == "region":
        inst = _region_institutions(rng_inst)
    else:
        inst = _country_institutions(rng_inst)
    slots = _build_slots(rng_slots, inst, years[0], len(years))
    people, history = _simulate_occupants(rng_people, inst, slots, years)
    id_width = max(5, len(str(len(people))))
    habits = _habits(rng_habits, len(inst))
    staff = [
        _staff_rows(rng_rows, inst, slots, people, occupant, year, habits, id_width)
        for occupant, year in zip(history, years, strict=True)
    ]
    del people, history
    pedagogical = (
        (slots.emp != EXTERNAL) & ~np.isin(slots.pos, [P["head"], P["deputy_head"]]) & (slots.start == 0)
    )
    staff_counts = np.bincount(slots.inst[pedagogical], minlength=len(inst)).astype(float)
    ict = _ict(rng_ict, inst, np.maximum(staff_counts, 1), years)
    innovation = _innovation(rng_inno, inst, staff, years)
    # the needs survey and the mentors from a stream of their own (demo/planning.py), so the other files stay
    # as they were for a seed; the survey is of the staff as they are, before the planted errors
    rng_planning = planning.planning_rng(seed, SCALES.index(scale))
    needs = planning.needs_survey(rng_planning, staff[-1])
    if scale == "city":
        staff[-1] = _plant_staff_errors(rng_plant, staff[-1], years[-1])
        ict[-1] = _plant_ict_error(rng_plant, ict[-1], inst)
    staff = [
        planning.add_mentors(rng_planning, table, _reporting_day(year))
        for table, year in zip(staff, years, strict=True)
    ]

    place = {"city": CITY_MUNICIPALITY, "region": REGION_RU, "country": "Российская Федерация"}[scale]
    files: list[tuple[str, int | None, dict[str, Arr]]] = [
        ("institutions", None, _institution_columns(rng_files, inst))
    ]
    for name, tables in (("staff", staff), ("ict", ict), ("innovation", innovation)):
        files += [(name, year, table) for year, table in zip(years, tables, strict=True)]
    files.append(("staff_needs", years[-1], needs))
    paths = []
    for name, year, table in files:
        dataset = c.DATASETS[name]
        style = CITY_STYLES.get((name, year or 0), Style()) if scale == "city" else BULK_STYLE
        rows = len(table[dataset.columns[0].name])
        stem = name if year is None else f"{name}_{year}-{year + 1}"
        if fmt == "xlsx" and rows <= XLSX_MAX_ROWS:
            path = out_dir / f"{stem}.xlsx"
            write_xlsx(path, dataset, table, style, _titles_for_file(dataset, year, place))
        else:
            path = out_dir / f"{stem}.csv"
            write_csv(path, dataset, table, style)
        paths.append(path)
    # the results come last, from a stream of their own: the files above do not change with them
    from demo import results

    rng_results = np.random.default_rng(np.random.SeedSequence([seed, SCALES.index(scale), 13]))
    # the city and the region (its last period, for the benchmarks); the country's results are not drawn yet:
    # its other files alone took minutes on the shared machine, and its results were never timed
    if scale in ("city", "region"):
        paths += results.write_files(rng_results, scale, inst, years, out_dir, place, fmt)
    return paths

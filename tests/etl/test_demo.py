"""The demo data set: deterministic, sized per scale, alive over the years, and clean except what is planted.

The files are read and checked here by a small reader and validator of the data contract written for these
tests, independent of the generator (and of the ETL's readers, which test their own formats).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from demo.generator import PLANTED_ERRORS, generate
from etl import contract as c

CITY_YEARS = [2020, 2021, 2022, 2023, 2024]
BOOLS = {"да": True, "true": True, "1": True, "+": True, "нет": False, "false": False, "0": False, "-": False}


# --------------------------------------------------------------------------------- a small reader
def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1251"), "cp1251"


def _header_map(dataset: c.Dataset) -> dict[str, str]:
    names = {col.header_ru.lower(): col.name for col in dataset.columns}
    names.update({col.name: col.name for col in dataset.columns})
    return names


def _detect(headers: list[str]) -> c.Dataset:
    found = [
        ds
        for ds in c.DATASETS.values()
        if {_header_map(ds).get(h.strip().lower()) for h in headers} >= set(ds.required)
    ]
    assert len(found) >= 1, headers
    return max(found, key=lambda ds: len(ds.required))


def read_demo_file(path: Path) -> tuple[c.Dataset, pd.DataFrame, dict[str, str]]:
    """(dataset, rows as text with canonical column names, facts about the file)."""
    facts: dict[str, str] = {}
    if path.suffix == ".csv":
        text, facts["encoding"] = _decode(path.read_bytes())
        first = text.split("\n", 1)[0]
        facts["delimiter"] = ";" if first.count(";") > first.count(",") else ","
        frame = pd.read_csv(io.StringIO(text), sep=facts["delimiter"], dtype=str, keep_default_na=False)
        facts["header_row"] = "1"
    else:
        ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        at = next(i for i, r in enumerate(rows) if r and r[0] in ("Учебный год", "Код организации", "period"))
        facts["header_row"] = str(at + 1)
        header = [str(h) for h in rows[at]]

        def cell(v: object) -> str:
            if v is None:
                return ""
            if isinstance(v, dt.datetime):
                return v.date().isoformat()
            if isinstance(v, float) and v.is_integer():
                return str(int(v))
            return str(v)

        width = len(header)
        data = [[cell(v) for v in (r + [None] * width)[:width]] for r in rows[at + 1 :]]
        frame = pd.DataFrame(data, columns=header, dtype=str)
    dataset = _detect(list(frame.columns))
    mapping = _header_map(dataset)
    frame = frame.rename(columns={h: mapping[h.strip().lower()] for h in frame.columns})
    return dataset, frame, facts


# ------------------------------------------------------------------------------ a small validator
def _period(text: str) -> str | None:
    m = re.fullmatch(r"(\d{4})[/-](\d{2}|\d{4})", text.strip())
    return f"{m.group(1)}/{int(m.group(1)) + 1}" if m else None


def _date(text: str) -> dt.date | None:
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    return None


def _enum(col: c.Column, text: str) -> str | None:
    t = text.strip().lower()
    for code, labels in col.labels.items():
        if t == code.lower() or t in (label.lower() for label in labels):
            return code
    return None


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ".")) if text.strip() else None
    except ValueError:
        return None


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def row_errors(dataset: c.Dataset, frame: pd.DataFrame, known: set[str] | None) -> dict[int, set[str]]:
    """Data row index (0-based) -> the contract rules it breaks."""
    errors: dict[int, set[str]] = {}

    def bad(i: int, rule: str) -> None:
        errors.setdefault(i, set()).add(rule)

    for i, row in enumerate(frame.to_dict("records")):
        values: dict[str, object] = {}
        for col in dataset.columns:
            text = row.get(col.name, "").strip()
            if not text:
                if col.required:
                    bad(i, f"required:{col.name}")
                values[col.name] = None
                continue
            value: object = text
            if col.kind == c.ENUM:
                value = _enum(col, text)
            elif col.kind == c.DATE:
                value = _date(text)
            elif col.kind == c.BOOL:
                value = BOOLS.get(text.lower())
            elif col.kind in (c.INT, c.NUMBER):
                value = _number(text)
                if col.kind == c.INT and value is not None and not float(value).is_integer():
                    value = None
            elif col.kind == c.PERIOD:
                value = _period(text)
            if value is None:
                bad(i, f"type:{col.name}")
            values[col.name] = value
        v = values
        if dataset.name == "institutions":
            if v["inst_id"] and not re.fullmatch(r"[A-Za-z0-9_.-]{1,32}", str(v["inst_id"])):
                bad(i, "inst_id_format")
            continue
        if known is not None and v["inst_id"] not in known:
            bad(i, "unknown_inst")
        day = dt.date(int(str(v["period"])[:4]), 9, 20) if v["period"] else None
        if dataset.name == "staff" and day:
            birth, ped, total = v["birth_date"], v["ped_experience_years"], v["total_experience_years"]
            age = _age(birth, day) if isinstance(birth, dt.date) else None
            if age is not None and not 16 <= age <= 90:
                bad(i, "age_range")
            if isinstance(ped, float):
                if ped < 0:
                    bad(i, "non_negative")
                if age is not None and ped > age - 14:
                    bad(i, "experience_vs_age")
                if isinstance(total, float) and total < ped:
                    bad(i, "total_vs_ped")
            if v["category"] in c.DATED_CATEGORIES and v["category_date"] is None:
                bad(i, "category_date_required")
            for name in ("category_date", "last_training_date"):
                if isinstance(v[name], dt.date) and v[name] > day:
                    bad(i, f"after_report:{name}")
            if isinstance(v["last_training_date"], dt.date) and v["last_training_date"].year < 1960:
                bad(i, "too_early")
        if dataset.name == "ict":
            n = {k: x for k, x in v.items() if isinstance(x, float)}
            if n.get("students", 1) <= 0:
                bad(i, "students_positive")
            for a, b in (
                ("computers_total", "computers_learning"),
                ("computers_total", "computers_internet"),
                ("computers_learning", "computers_learning_internet"),
                ("computers_internet", "computers_learning_internet"),
                ("classrooms_total", "classrooms_workstation"),
            ):
                if a in n and b in n and n[a] < n[b]:
                    bad(i, f"{b}_le_{a}")
            if not 0 <= n.get("internet_speed_mbps", 0) <= 10000:
                bad(i, "speed_range")
        if dataset.name == "innovation":
            contest = v["activity_type"] in c.CONTEST_TYPES
            if contest and v["result"] is None:
                bad(i, "result_required")
            if not contest and v["result"] is not None:
                bad(i, "result_not_applicable")
            if isinstance(v["participants"], float) and v["participants"] < 1:
                bad(i, "participants_positive")
    key = list(dataset.key)
    dup = frame.duplicated(subset=key, keep=False) & (frame[key] != "").all(axis=1)
    for i in frame.index[dup]:
        bad(int(i), "duplicate_key")
    return errors


# ------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate("city", tmp_path_factory.mktemp("city"), seed=42)


@pytest.fixture(scope="module")
def city_frames(city: list[Path]) -> dict[str, pd.DataFrame]:
    """Every city file read, keyed by file name."""
    return {p.name: read_demo_file(p)[1] for p in city}


def _per_period(frames: dict[str, pd.DataFrame], dataset: str) -> Iterator[tuple[int, pd.DataFrame]]:
    for year in CITY_YEARS:
        yield year, frames[f"{dataset}_{year}-{year + 1}.csv"]


# the results' files (demo/results.py), after the other datasets' files
RESULT_STEMS = ("ege_", "gve11_", "gia9_", "vpr_", "olympiad_")


# ---------------------------------------------------------------------------------------- tests
def test_city_files_in_load_order(city: list[Path]) -> None:
    expected = (
        ["institutions.csv"]
        + [f"{name}_{year}-{year + 1}.csv" for name in ("staff", "ict", "innovation") for year in CITY_YEARS]
        + ["staff_needs_2024-2025.csv"]
    )
    assert [p.name for p in city][: len(expected)] == expected
    # then the results (demo/results.py): ЕГЭ per subject, ГВЭ-11, ГИА-9, ВПР per grade, olympiad per stage
    results = [p.name for p in city][len(expected) :]
    first = "2020-2021"
    assert f"ege_russian_{first}.xlsx" in results and f"gia9_{first}.csv" in results
    assert {f"vpr_{g}_{first}.xlsx" for g in range(4, 9)} <= set(results)
    assert {f"olympiad_{s}_{first}.xlsx" for s in ("school", "municipal", "regional")} <= set(results)


def test_city_mentors_and_needs_survey(city_frames: dict[str, pd.DataFrame]) -> None:
    """Most young specialists have a mentor of their own institution, a few do not; most pedagogical
    staff answered the survey, with several needs each."""
    staff = city_frames["staff_2024-2025.csv"]
    needs = city_frames["staff_needs_2024-2025.csv"]
    mentor_col = "mentor_staff_id"
    with_mentor = staff[staff[mentor_col].notna() & (staff[mentor_col] != "")]
    assert len(with_mentor) > 20
    ids = set(zip(staff["inst_id"], staff["staff_id"], strict=True))
    assert all((i, m) in ids for i, m in zip(with_mentor["inst_id"], with_mentor[mentor_col], strict=True))
    people = needs.groupby(["inst_id", "staff_id"]).size()
    assert 0.7 * len(staff) < len(people) < len(staff)
    assert 1.5 < people.mean() < 3.5
    assert needs["need"].nunique() == 12


def test_same_seed_same_bytes_other_seed_other_data(city: list[Path], tmp_path: Path) -> None:
    again = generate("city", tmp_path / "again", seed=42)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in city]
    other = generate("city", tmp_path / "other", seed=7)
    differing = [p.name for p, q in zip(city, other, strict=True) if p.read_bytes() != q.read_bytes()]
    assert len(differing) >= len(city) - 1  # the registry may coincide; people, equipment and records differ


def test_city_sizes(city_frames: dict[str, pd.DataFrame]) -> None:
    inst = city_frames["institutions.csv"]
    assert 25 <= len(inst) <= 35
    types = Counter(_enum(c.INSTITUTIONS.column("inst_type"), t) for t in inst["inst_type"])
    assert types == {"school": 12, "preschool": 15, "additional": 3}
    assert set(inst["municipality"]) == {"г. Бугуруслан"}
    for _, staff in _per_period(city_frames, "staff"):
        assert 700 <= len(staff) <= 1100
    for _, ict in _per_period(city_frames, "ict"):
        assert len(ict) == len(inst)
    for _, records in _per_period(city_frames, "innovation"):
        assert 60 <= len(records) <= 400


def test_city_files_are_written_the_way_institutions_send_them(city: list[Path]) -> None:
    # the CSV files (the results add XLSX protocols, which have no encoding or delimiter)
    city = [p for p in city if p.suffix == ".csv"]
    facts = {p.name: read_demo_file(p)[2] for p in city}
    encodings = Counter(f["encoding"] for f in facts.values())
    assert encodings["cp1251"] >= 2 and encodings["utf-8-sig"] >= 2 and encodings["utf-8"] >= 1
    assert {f["delimiter"] for f in facts.values()} == {";", ","}
    text = "\n".join(p.read_bytes().decode(read_demo_file(p)[2]["encoding"]) for p in city)
    for sample in ("2021-2022;", "2022/23;", "2024/2025;", "да;", "Да;", "Высшая", "высшая", "20.09."):
        assert sample in text, sample
    assert re.search(r";\d+,\d;", text), "a decimal comma"


def test_only_the_planted_errors_are_bad(city: list[Path], city_frames: dict[str, pd.DataFrame]) -> None:
    known = set(city_frames["institutions.csv"]["inst_id"])
    found: dict[str, dict[int, set[str]]] = {}
    for path in city:
        dataset = read_demo_file(path)[0]
        errors = row_errors(
            dataset, city_frames[path.name], None if dataset.name == "institutions" else known
        )
        if errors:
            found[path.name] = errors
    assert set(found) == {"staff_2024-2025.csv", "ict_2024-2025.csv"}
    planted = Counter(e["dataset"] for e in PLANTED_ERRORS for _ in range(e["rows"]))
    staff_errors = found["staff_2024-2025.csv"]
    assert len(staff_errors) == planted["staff"] == 8
    rules = Counter(rule for broken in staff_errors.values() for rule in broken)
    assert rules == {
        "unknown_inst": 1,
        "experience_vs_age": 2,  # the planted one, and the 12-year-old's
        "category_date_required": 1,
        "age_range": 1,
        "duplicate_key": 2,
        "type:position": 1,
        "after_report:category_date": 1,
    }
    ict_errors = found["ict_2024-2025.csv"]
    assert len(ict_errors) == planted["ict"] == 1
    assert list(ict_errors.values()) == [{"computers_learning_le_computers_total"}]


def test_people_stay_age_and_change(city_frames: dict[str, pd.DataFrame]) -> None:
    periods = list(_per_period(city_frames, "staff"))
    for (_, before), (_, after) in zip(periods, periods[1:], strict=False):
        key_before = set(zip(before["inst_id"], before["staff_id"], strict=True))
        key_after = set(zip(after["inst_id"], after["staff_id"], strict=True))
        stayed = len(key_before & key_after) / len(key_before)
        assert 0.75 <= stayed <= 0.97, stayed  # most stay; some leave and others are hired
        assert len(key_after - key_before) >= 20
    everyone = pd.concat([f for _, f in periods])
    everyone = everyone[everyone["inst_id"].str.fullmatch(r"BGR-[SDU]\d\d")]
    births = everyone.groupby(["inst_id", "staff_id"])["birth_date"].nunique()
    assert (births > 1).sum() <= 2  # the planted 2012 birth date and the planted shared number
    names = everyone.groupby(["inst_id", "staff_id"])["full_name"].nunique()
    assert (names > 1).sum() <= 1  # the planted shared number
    # the same person is a year older and has a year more of experience a year later
    first, last = periods[0][1], periods[-1][1]
    both = first.merge(last, on=["inst_id", "staff_id"], suffixes=("_0", "_4"))
    ped0 = both["ped_experience_years_0"].map(_number)
    ped4 = both["ped_experience_years_4"].map(_number)
    assert ((ped4 - ped0).between(3.5, 4.5)).mean() > 0.95


def test_every_code_and_situation_appears(city_frames: dict[str, pd.DataFrame]) -> None:
    staff = pd.concat([f for _, f in _per_period(city_frames, "staff")])
    col = c.STAFF.column
    assert {_enum(col("category"), t) for t in staff["category"]} == set(c.CATEGORIES)
    assert {_enum(col("employment"), t) for t in staff["employment"]} == set(c.EMPLOYMENT)
    assert {_enum(col("education_level"), t) for t in staff["education_level"]} == set(c.EDUCATION_LEVELS)
    positions = {_enum(col("position"), t) for t in staff["position"]} - {None}
    assert len(positions) >= 14 and {"head", "deputy_head", "teacher", "preschool_teacher"} <= positions
    innovation = pd.concat([f for _, f in _per_period(city_frames, "innovation")])
    icol = c.INNOVATION.column
    for _, records in _per_period(city_frames, "innovation"):
        assert {_enum(icol("activity_type"), t) for t in records["activity_type"]} == set(c.ACTIVITY_TYPES)
        assert {_enum(icol("level"), t) for t in records["level"]} == set(c.LEVELS)
    assert {_enum(icol("result"), t) for t in innovation["result"] if t} == set(c.RESULTS)

    latest = city_frames["staff_2024-2025.csv"]
    report = dt.date(2024, 9, 20)
    cat_dates = [d for d in latest["category_date"].map(_date) if d]
    assert sum(d >= dt.date(2023, 9, 1) for d in cat_dates) >= 30  # indefinite, new rules
    old = [d for d in cat_dates if d < dt.date(2023, 9, 1)]
    assert (
        sum(d.replace(year=d.year + 5) < report for d in old if d.month != 2 or d.day != 29) >= 5
    )  # expired
    assert (latest["category_valid_until"] != "").sum() >= 20
    training = latest["last_training_date"].map(_date)
    assert training.isna().sum() >= 10  # never trained
    assert sum(d < report.replace(year=2021) for d in training.dropna()) >= 20  # overdue
    births = latest["birth_date"].map(_date).dropna()
    ped = latest["ped_experience_years"].map(_number)
    ages = births.map(lambda b: _age(b, report))
    young = (ages < 35) & (ped < 3)
    assert young.sum() >= 15
    assert (ages >= 55).mean() > 0.15 and (ages < 35).mean() > 0.1
    assert latest["ped_experience_years"].str.contains(",").any()


def test_ict_grows_over_the_years(city_frames: dict[str, pd.DataFrame]) -> None:
    def per_100(frame: pd.DataFrame) -> float:
        return frame["computers_learning"].map(_number).sum() / frame["students"].map(_number).sum() * 100

    first, last = city_frames["ict_2020-2021.csv"], city_frames["ict_2024-2025.csv"]
    assert per_100(last) > per_100(first) * 1.15
    speed0, speed4 = first["internet_speed_mbps"].map(_number), last["internet_speed_mbps"].map(_number)
    assert (speed4 >= 100).mean() > (speed0 >= 100).mean()
    assert (speed4 < 100).any()  # not everyone reaches the target


def test_xlsx_city_has_title_rows_and_is_deterministic(tmp_path: Path, city: list[Path]) -> None:
    paths = generate("city", tmp_path / "a", seed=42, fmt="xlsx")
    # every file is XLSX but the ГИА-9 of the city, which comes as one Windows-1251 CSV
    assert [p.name for p in paths if p.suffix != ".xlsx"] == [f"gia9_{y}-{y + 1}.csv" for y in CITY_YEARS]
    again = generate("city", tmp_path / "b", seed=42, fmt="xlsx")
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
    by_name = {p.stem: p for p in paths}
    dataset, frame, facts = read_demo_file(by_name["staff_2024-2025"])
    assert dataset.name == "staff" and facts["header_row"] == "4"
    ws = openpyxl.load_workbook(by_name["staff_2024-2025"], read_only=True).worksheets[0]
    title = next(ws.iter_rows(values_only=True))[0]
    assert str(title).startswith("Сведения о педагогических работниках")
    assert [str(h) for h in next(ws.iter_rows(min_row=4, max_row=4, values_only=True))] == [
        col.header_ru for col in c.STAFF.columns
    ]
    csv_frame = read_demo_file(next(p for p in city if p.stem == "staff_2024-2025"))[1]
    assert len(frame) == len(csv_frame)
    assert list(frame["staff_id"]) == list(csv_frame["staff_id"])
    dates = [r[7] for r in ws.iter_rows(min_row=5, max_row=10, values_only=True)]
    assert all(isinstance(d, dt.datetime) for d in dates)  # real date cells
    known = set(read_demo_file(by_name["institutions"])[1]["inst_id"])
    assert len(row_errors(dataset, frame, known)) == 8


def test_region_scale(tmp_path: Path) -> None:
    paths = generate("region", tmp_path, seed=42)
    assert (
        len([p for p in paths if not p.name.startswith(RESULT_STEMS)]) == 17
    )  # + the needs survey of the latest period
    _, inst, _ = read_demo_file(paths[0])
    assert 30 <= inst["municipality"].nunique() <= 40
    assert 900 <= len(inst) <= 1100
    rural = inst["locality"].map(lambda t: _enum(c.INSTITUTIONS.column("locality"), t))
    assert 0.3 <= (rural == "rural").mean() <= 0.7
    known = set(inst["inst_id"])
    for path in paths[1:6]:
        dataset, staff, _ = read_demo_file(path)
        assert 27_000 <= len(staff) <= 33_000
    last_dataset, last_staff, _ = read_demo_file(paths[5])
    assert row_errors(last_dataset, last_staff, known) == {}
    dataset, ict, _ = read_demo_file(paths[10])
    assert row_errors(dataset, ict, known) == {}
    by_id = dict(zip(inst["inst_id"], rural, strict=True))
    speed = ict["internet_speed_mbps"].map(_number)
    rural_rows = ict["inst_id"].map(by_id) == "rural"
    assert 0.05 < (speed[rural_rows] < 50).mean() < 0.6  # some rural institutions below the target
    dataset, records, _ = read_demo_file(paths[15])
    assert row_errors(dataset, records, known) == {}
    # the results of the last period only (for the benchmarks): every file of ГИА, ВПР and the olympiad
    results = [p.name for p in paths if p.name.startswith(RESULT_STEMS)]
    assert results and all("2024-2025" in name for name in results)
    assert {f"vpr_{g}_2024-2025.csv" for g in range(4, 9)} <= set(results)
    assert "gia9_2024-2025.csv" in results and all(name.endswith(".csv") for name in results)
    dataset, gia9, _ = read_demo_file(next(p for p in paths if p.name == "gia9_2024-2025.csv"))
    assert row_errors(dataset, gia9, known) == {}


def test_unknown_scale_or_format(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate("planet", tmp_path)
    with pytest.raises(ValueError):
        generate("city", tmp_path, fmt="ods")

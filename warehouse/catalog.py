"""The indicator catalogue (warehouse/indicators.yaml) as Python objects.

The one place indicator names, units, directions and formulas are defined; the mart builder writes it to
`mart.indicator_catalog`, the dashboards and the notes read it from here. Kept light (yaml and pandas only):
the Streamlit app imports it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

CATALOG_YAML = Path(__file__).resolve().parent / "indicators.yaml"

# the areas of the conditions of education, which the notes, the passport and the area pages cover today;
# ALL_AREAS adds the results (issue 13: their page and note section come in its second phase)
AREAS = ("staff", "ict", "innovation")
ALL_AREAS = (*AREAS, "results")
# how an indicator's rows are broken down (indicators.md, «Results»): subject / grade columns of the mart
BREAKDOWNS = ("none", "subject", "subject_grade")
DIRECTIONS = ("up", "down", "none")
# how a value is made from numerator and denominator (see the header of indicators.yaml)
KINDS = ("share", "per100", "ratio", "count", "index")
INST_TYPES = ("school", "preschool", "additional")

CATALOG_COLUMNS = [
    "indicator_code",
    "name_ru",
    "area",
    "area_name_ru",
    "unit",
    "direction",
    "kind",
    "description_ru",
    "formula_ru",
    "source_ru",
    "target",
    "key_indicator",
    "sort_order",
    "inst_types",
    "outlier_check",
    "breakdown",
]


@dataclass(frozen=True)
class Area:
    code: str
    name_ru: str
    sort_order: int


@dataclass(frozen=True)
class Indicator:
    code: str
    name_ru: str
    area: str
    unit: str
    direction: str
    kind: str
    description_ru: str
    formula_ru: str
    source_ru: str
    target: float | None
    key: bool
    sort_order: int
    # None: published for every institution type
    inst_types: tuple[str, ...] | None = None
    outlier_check: bool = False
    breakdown: str = "none"

    @property
    def scale(self) -> float:
        """The factor applied to numerator / denominator (shares and per-100 values are × 100)."""
        return 100.0 if self.kind in ("share", "per100") else 1.0


def _read_yaml() -> dict[str, Any]:
    with open(CATALOG_YAML, encoding="utf-8") as handle:
        # the C loader when libyaml is there: the catalogue is read at every app start and build
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict) or "indicators" not in data:
        raise ValueError(f"{CATALOG_YAML}: expected a mapping with 'areas' and 'indicators'")
    return data


def _indicator(raw: dict[str, Any]) -> Indicator:
    code = raw.get("code", "?")
    checks = (("area", ALL_AREAS), ("direction", DIRECTIONS), ("kind", KINDS), ("breakdown", BREAKDOWNS))
    for name, allowed in checks:
        if raw.get(name) not in allowed:
            raise ValueError(f"indicator {code}: {name} must be one of {allowed}, not {raw.get(name)!r}")
    inst_types = raw.get("inst_types")
    if inst_types is not None:
        bad = set(inst_types) - set(INST_TYPES)
        if bad:
            raise ValueError(f"indicator {code}: unknown inst_types {sorted(bad)}")
    target = raw.get("target")
    return Indicator(
        code=str(code),
        name_ru=str(raw["name_ru"]),
        area=str(raw["area"]),
        unit=str(raw["unit"]),
        direction=str(raw["direction"]),
        kind=str(raw["kind"]),
        description_ru=str(raw["description_ru"]),
        formula_ru=str(raw["formula_ru"]),
        source_ru=str(raw["source_ru"]),
        target=None if target is None else float(target),
        key=bool(raw.get("key", False)),
        sort_order=int(raw["sort_order"]),
        inst_types=None if inst_types is None else tuple(str(t) for t in inst_types),
        outlier_check=bool(raw.get("outlier_check", False)),
        breakdown=str(raw["breakdown"]),
    )


@functools.lru_cache(maxsize=1)
def load_areas() -> tuple[Area, ...]:
    """The four areas (кадры, информатизация, инновационная деятельность, результаты) in display order."""
    areas = [
        Area(code=str(a["code"]), name_ru=str(a["name_ru"]), sort_order=int(a["sort_order"]))
        for a in _read_yaml().get("areas", [])
    ]
    if sorted(a.code for a in areas) != sorted(ALL_AREAS):
        raise ValueError(f"{CATALOG_YAML}: areas must be exactly {ALL_AREAS}")
    return tuple(sorted(areas, key=lambda a: a.sort_order))


@functools.lru_cache(maxsize=1)
def area_names() -> dict[str, str]:
    """{area code: Russian name} from the catalogue: the one home of «Кадры», «Информатизация»,
    «Инновационная деятельность» (pages, documents and the catalogue page all read it here)."""
    return {a.code: a.name_ru for a in load_areas()}


@functools.lru_cache(maxsize=1)
def _catalog() -> tuple[Indicator, ...]:
    indicators = [_indicator(raw) for raw in _read_yaml()["indicators"]]
    codes = [i.code for i in indicators]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"{CATALOG_YAML}: duplicate indicator codes {duplicates}")
    return tuple(sorted(indicators, key=lambda i: i.sort_order))


def load_catalog() -> list[Indicator]:
    """All indicators, ordered by `sort_order` (a new list each call; the items are immutable)."""
    return list(_catalog())


def indicator(code: str) -> Indicator:
    """One indicator by its code (KeyError if unknown)."""
    for item in _catalog():
        if item.code == code:
            return item
    raise KeyError(code)


def catalog_frame() -> pd.DataFrame:
    """The catalogue as a DataFrame with the columns of `mart.indicator_catalog` (a fresh copy each call)."""
    return _catalog_frame().copy()


@functools.lru_cache(maxsize=1)
def _catalog_frame() -> pd.DataFrame:
    area_names = {a.code: a.name_ru for a in load_areas()}
    rows = [
        {
            "indicator_code": i.code,
            "name_ru": i.name_ru,
            "area": i.area,
            "area_name_ru": area_names[i.area],
            "unit": i.unit,
            "direction": i.direction,
            "kind": i.kind,
            "description_ru": i.description_ru,
            "formula_ru": i.formula_ru,
            "source_ru": i.source_ru,
            "target": i.target,
            "key_indicator": i.key,
            "sort_order": i.sort_order,
            # comma-separated for outside tools; NULL = every type
            "inst_types": None if i.inst_types is None else ",".join(i.inst_types),
            "outlier_check": i.outlier_check,
            "breakdown": i.breakdown,
        }
        for i in _catalog()
    ]
    frame = pd.DataFrame(rows, columns=CATALOG_COLUMNS)
    frame["target"] = frame["target"].astype("float64")
    return frame

"""Comparing one institution with its municipality and with its peers: the data layer of «Сравнение» and of
the institution's passport.

Every function takes `(db_path, user, …)` like warehouse/queries.py and returns a DataFrame or a frozen
value; its SQL is in warehouse/sql/compare/*.sql, run through the read API (warehouse/read.py) with named
parameters; nothing here imports Streamlit. The definitions, fixed here once:

**Size.** An institution's size in a period is its pupil count (`core.ict.students`) of that period; an
institution that did not send the ict form that period keeps its latest earlier count (`size_period` says
which). Only *reporting* institutions of the period (those with any published indicator value) take part:
an institution that sent nothing does not move the band limits.

**Peer group.** The institutions of the same `inst_type`, in the same size band. The bands are terciles of
the type's reporting institutions, within the institution's municipality — or, when the warehouse holds
more than one municipality (region scale), within the whole region. Sorted by pupils, the n institutions
with a known size are cut into three equal parts: band = 1 + ⌊3 · (r − 1) / n⌋, where r is the rank by
pupils with ties sharing the lowest rank (equal pupil counts always fall into the same band). The group
includes the institution itself; an institution without a known size has no band and no peer group.

**Per indicator**, among the group members that have a value (the institution included):
- `peer_median` — the median of those values (the mean of the two middle values for an even count);
- `percentile` — the share of the *other* members whose value is worse than or equal to the institution's,
  by the indicator's direction (`up`: lower or equal is worse; `down`: higher or equal is worse), × 100:
  100 = nobody is better, 0 = everybody else is better. For indicators without a direction (`none`) it is
  the share of others with a lower or equal value (a position by size, not a judgement);
- `rank` of `rank_n` — 1 is the best; ties share the better rank (competition ranking 1, 2, 2, 4): rank =
  1 + the number of members strictly better. For `none`, 1 is the largest value.

**Small groups.** When fewer than `MIN_GROUP` (3) members have a value — always so in a group of fewer
than 3 institutions (`PeerGroup.too_small`), sometimes on one indicator when members sent no data for it —
the peer comparison is not made: the benchmark is the municipality's value for the institution's type
(`basis = 'municipality_type'`; `type_value` below: the mart's aggregate, summed numerators over summed
denominators), and the percentile and rank are taken among all institutions of the type in the
municipality (when at least 3 of them have a value; otherwise they are missing).

**The municipality's values** beside the institution: `municipality_value` (every type) and `type_value`
(its type) are the mart's aggregates — except for counts (`kind = count`: people, records), whose aggregate
is a total; there they are the average institution (the mean of the institutions' values), which is what
one institution compares with.

**Gaps.** `gap` = value − benchmark in the indicator's unit (percentage points for shares);
`favourable_gap` is the gap signed so that positive is good (`up`: gap, `down`: −gap; none for `none`).
Indicators in different units are put on one scale by `gap_score` = favourable_gap / the range (max − min)
of the comparison group (the peers, or the type in the municipality); a group without spread uses
max(|benchmark|, 1). Strengths and weaknesses are the directed indicators with the largest positive /
negative `gap_score` whose gap does not round to zero (|gap| ≥ 0.05).

**Change** since the previous period with published values: value − previous value; `change_assessment`
is `better` / `worse` / `same` by the direction (missing for `none` or a missing value).

**The results area** is compared by its whole-school rows (`subject = 'all'`, over every subject and grade);
the rows per subject or grade are the results page's. `EGE_MEAN_SCORE` has no such row (the scores of
different subjects are not comparable) and is left out. For a director, another institution's results value
from fewer than 5 results (warehouse/small_groups.py) is missing here: it is neither shown (`masked` TRUE in
the profile and side by side) nor counted in the peers' median, quartiles, range, percentile or rank, so no
statistic of the group is computed from it.

The passport's data-quality summary (`data_quality`) is only for users allowed to generate that
institution's passport: a director for their own institution, the other roles for any.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from auth.identity import User
from warehouse import catalog as indicator_catalog
from warehouse import queries, read
from warehouse.small_groups import mask_small_groups, sibling_codes

MIN_GROUP = 3
# a gap that prints as 0,0 is no strength nor weakness
MIN_SHOWN_GAP = 0.05
BANDS = 3
MAX_SIDE_BY_SIDE = 6
# results indicators without a row over all subjects (indicators.md): nothing to compare one school by
NOT_COMPARED = frozenset({"EGE_MEAN_SCORE"})
MIN_SIDE_BY_SIDE = 2
DIRECTED = ("up", "down")
Basis = Literal["peers", "municipality_type"]

PROFILE_COLUMNS = [
    "indicator_code",
    "name_ru",
    "area",
    "unit",
    "direction",
    "kind",
    "sort_order",
    "key_indicator",
    "value",
    "prev_value",
    "change",
    "change_assessment",
    "municipality_value",
    "type_value",
    "basis",
    "benchmark",
    "peer_n",
    "peer_median",
    "peer_min",
    "peer_q1",
    "peer_q3",
    "peer_max",
    "percentile",
    "rank",
    "rank_n",
    "gap",
    "favourable_gap",
    "gap_score",
    "assessment",
    "masked",
]


# ----------------------------------------------------------------------------------------- identification
@dataclass(frozen=True)
class Institution:
    inst_id: str
    name: str
    short_name: str
    inst_type: str
    municipality: str
    locality: str
    address: str | None


def institution_info(db_path: str | os.PathLike[str], user: User, inst_id: str) -> Institution | None:
    """The registry row of one institution, or None if there is no such institution."""
    rows = read.rows(db_path, "compare/institution", inst_id=inst_id)
    if not rows:
        return None
    inst_id_, name, short_name, inst_type, municipality, locality, address = rows[0]
    return Institution(
        inst_id=str(inst_id_),
        name=str(name),
        short_name=str(short_name),
        inst_type=str(inst_type),
        municipality=str(municipality),
        locality=str(locality),
        address=None if address is None else str(address),
    )


def is_region_scale(db_path: str | os.PathLike[str], user: User) -> bool:
    """More than one municipality in the registry: size bands are cut over the whole region."""
    return int(read.scalar(db_path, "compare/municipality_count")) > 1


def previous_period(db_path: str | os.PathLike[str], user: User, period: str) -> str | None:
    """The latest period with published values before `period`."""
    earlier = [p for p in queries.list_periods(db_path, user) if p < period]
    return earlier[-1] if earlier else None


# ----------------------------------------------------------------------------------------- sizes, bands
def reporting_sizes(
    db_path: str | os.PathLike[str],
    user: User,
    period: str,
    inst_type: str | None = None,
    municipality: str | None = None,
) -> pd.DataFrame:
    """Reporting institutions of `period` with their size: inst_id, short_name, inst_type, municipality,
    students (NULL when the institution never sent the ict form up to `period`), size_period."""
    frame = read.frame(
        db_path,
        "compare/reporting_sizes",
        period=period,
        municipality=municipality,
        inst_type=inst_type,
        inst_id=None,
    )
    frame["students"] = pd.to_numeric(frame["students"], errors="coerce").astype("float64")
    return frame


def size_bands(sizes: pd.DataFrame, *, by_region: bool) -> pd.DataFrame:
    """Tercile bands of size within each type (and municipality, unless `by_region`).

    `sizes` has inst_id, inst_type, municipality, students. Returns a copy with `band` (1 = smallest, NULL
    without a size), `band_n` (institutions in the band), `band_min`/`band_max` (its pupil range) and `rank_n`
    (institutions with a size in the partition). band = 1 + ⌊3 · (r − 1) / n⌋, r = rank by pupils, ties
    sharing the lowest rank.
    """
    out = sizes.copy()
    keys = ["inst_type"] if by_region else ["inst_type", "municipality"]
    known = out["students"].notna()
    out["band"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    if known.any():
        part = out.loc[known]
        rank = part.groupby(keys)["students"].rank(method="min").astype("int64")
        n = part.groupby(keys)["students"].transform("count").astype("int64")
        out.loc[known, "band"] = (1 + (BANDS * (rank - 1)) // n).astype("int64")
    group = [*keys, "band"]
    banded = out.loc[known]
    stats = banded.groupby(group, dropna=True)["students"].agg(band_n="count", band_min="min", band_max="max")
    out = out.merge(stats.reset_index(), on=group, how="left")
    out["band_n"] = out["band_n"].astype("Int64")
    return out


@dataclass(frozen=True)
class PeerGroup:
    """The institution's peer group in a period (`members` includes the institution itself)."""

    inst_id: str
    inst_type: str
    municipality: str
    period: str
    scope: Literal["municipality", "region"]
    students: float | None
    size_period: str | None
    band: int | None
    size_min: float | None
    size_max: float | None
    members: tuple[str, ...] = field(default=())
    # reporting institutions of the type in the scope that have a size (the population cut into bands)
    population: int = 0

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def too_small(self) -> bool:
        return self.size < MIN_GROUP


def _sizes_frame(db_path: str | os.PathLike[str], user: User, inst: Institution, period: str) -> pd.DataFrame:
    region = is_region_scale(db_path, user)
    sizes = reporting_sizes(db_path, user, period, inst.inst_type, None if region else inst.municipality)
    return size_bands(sizes, by_region=region)


def peer_group(db_path: str | os.PathLike[str], user: User, inst_id: str, period: str) -> PeerGroup:
    """The size band of the institution's type it falls into (see the module's docstring)."""
    inst = institution_info(db_path, user, inst_id)
    if inst is None:
        raise KeyError(inst_id)
    return _peer_group(db_path, user, inst, period, _sizes_frame(db_path, user, inst, period))


def _peer_group(
    db_path: str | os.PathLike[str], user: User, inst: Institution, period: str, banded: pd.DataFrame
) -> PeerGroup:
    scope: Literal["municipality", "region"] = "region" if is_region_scale(db_path, user) else "municipality"
    population = int(banded["students"].notna().sum())
    own = banded[banded["inst_id"] == inst.inst_id]
    if own.empty or pd.isna(own.iloc[0]["band"]):
        row = own.iloc[0] if not own.empty else None
        return PeerGroup(
            inst.inst_id,
            inst.inst_type,
            inst.municipality,
            period,
            scope,
            students=None,
            size_period=None if row is None or pd.isna(row["size_period"]) else str(row["size_period"]),
            band=None,
            size_min=None,
            size_max=None,
            members=(),
            population=population,
        )
    row = own.iloc[0]
    band = int(row["band"])
    members = banded[banded["band"] == band].sort_values(["students", "inst_id"])
    return PeerGroup(
        inst.inst_id,
        inst.inst_type,
        inst.municipality,
        period,
        scope,
        students=float(row["students"]),
        size_period=str(row["size_period"]),
        band=band,
        size_min=float(row["band_min"]),
        size_max=float(row["band_max"]),
        members=tuple(str(m) for m in members["inst_id"]),
        population=population,
    )


def peer_members(db_path: str | os.PathLike[str], user: User, inst_id: str, period: str) -> pd.DataFrame:
    """The members of the institution's peer group: inst_id, short_name, municipality, students,
    size_period, is_self — smallest first."""
    inst = institution_info(db_path, user, inst_id)
    if inst is None:
        raise KeyError(inst_id)
    banded = _sizes_frame(db_path, user, inst, period)
    group = _peer_group(db_path, user, inst, period, banded)
    rows = banded[banded["inst_id"].isin(list(group.members))].sort_values(["students", "inst_id"])
    rows = rows[["inst_id", "short_name", "municipality", "students", "size_period"]].reset_index(drop=True)
    rows["is_self"] = rows["inst_id"] == inst_id
    return rows


# ----------------------------------------------------------------------------------------- statistics
def position_stats(values: pd.Series, own_id: str, direction: str) -> dict[str, float | int | None]:
    """Median, quartiles, range, percentile and rank of `own_id` among `values` (index = inst_id).

    Missing values are left out. Percentile and rank are missing when the institution has no value or is
    not among `values`; the percentile also when there is nobody else to compare with.
    """
    data = values.dropna().astype("float64")
    out: dict[str, float | int | None] = {
        "n": len(data),
        "median": None,
        "min": None,
        "q1": None,
        "q3": None,
        "max": None,
        "percentile": None,
        "rank": None,
    }
    if data.empty:
        return out
    arr = data.to_numpy()
    out.update(
        median=float(np.median(arr)),
        min=float(arr.min()),
        q1=float(np.percentile(arr, 25)),
        q3=float(np.percentile(arr, 75)),
        max=float(arr.max()),
    )
    if own_id not in data.index:
        return out
    # values come from the same formulas; rounding keeps equal fractions equal (2/6 and 1/3)
    rounded = np.round(arr, 9)
    own = round(float(data.loc[own_id]), 9)
    if direction == "down":
        better = int((rounded < own).sum())
        worse_or_equal = int((rounded >= own).sum()) - 1
    else:
        better = int((rounded > own).sum())
        worse_or_equal = int((rounded <= own).sum()) - 1
    others = len(arr) - 1
    out["rank"] = 1 + better
    out["percentile"] = worse_or_equal / others * 100 if others > 0 else None
    return out


def _assess(change: float | None, direction: str) -> str | None:
    if change is None or direction not in DIRECTED:
        return None
    if round(change, 9) == 0:
        return "same"
    good = change > 0 if direction == "up" else change < 0
    return "better" if good else "worse"


def _float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return None
    return float(value)


# ----------------------------------------------------------------------------------------- the profile
def applies_to(code: str, inst_type: str) -> bool:
    """Whether the catalogue publishes the indicator for this type (ICT_EJOURNAL: schools only)."""
    try:
        types = indicator_catalog.indicator(code).inst_types
    except KeyError:
        return True
    return types is None or inst_type in types


def _applicable_codes(frame: pd.DataFrame, inst_type: str) -> pd.DataFrame:
    return frame[[applies_to(str(code), inst_type) for code in frame["indicator_code"]]]


def _institution_values(
    db_path: str | os.PathLike[str], user: User, period: str, inst_ids: Sequence[str]
) -> pd.DataFrame:
    """inst_id, indicator_code, value, masked of the institutions in `period` (whole-school rows), another
    institution's small results groups NULL for a director."""
    frame = read.frame(db_path, "compare/member_values", period=period, inst_ids=list(inst_ids))
    return mask_small_groups(frame, user)[["inst_id", "indicator_code", "value", "masked"]]


def _type_in_municipality(
    db_path: str | os.PathLike[str], user: User, period: str, inst: Institution
) -> pd.DataFrame:
    frame = read.frame(
        db_path,
        "compare/type_values",
        period=period,
        municipality=inst.municipality,
        inst_type=inst.inst_type,
    )
    return mask_small_groups(frame, user)[["inst_id", "indicator_code", "value", "masked"]]


def _municipality_values(db_path: str | os.PathLike[str], period: str, inst: Institution) -> pd.DataFrame:
    """The municipality's values for every type (`all_*`) and for the institution's type (`type_*`): the
    mart's aggregate (`*_value`) and the average institution (`*_mean`, what a count compares with)."""
    return read.frame(
        db_path,
        "compare/municipality_values",
        period=period,
        municipality=inst.municipality,
        inst_type=inst.inst_type,
    )


def institution_profile(
    db_path: str | os.PathLike[str], user: User, inst_id: str, period: str
) -> pd.DataFrame:
    """One row per indicator (catalogue order) for the institution in `period`: its value, the previous
    period's and the change, the municipality's value (all types) and its type's, the benchmark (peer
    median, or the type's municipal value for a small group), the peers' range and quartiles, percentile,
    rank and the gap. Columns: PROFILE_COLUMNS. Definitions: the module's docstring."""
    inst = institution_info(db_path, user, inst_id)
    if inst is None:
        raise KeyError(inst_id)
    cat = queries.indicator_catalog(db_path, user)
    cat = _applicable_codes(cat[~cat["indicator_code"].isin(NOT_COMPARED)], inst.inst_type)
    banded = _sizes_frame(db_path, user, inst, period)
    group = _peer_group(db_path, user, inst, period, banded)
    prev = previous_period(db_path, user, period)

    peer_vals = _institution_values(db_path, user, period, list(group.members) or [inst_id])
    type_vals = _type_in_municipality(db_path, user, period, inst)
    own_now = _institution_values(db_path, user, period, [inst_id])
    own_prev = _institution_values(db_path, user, prev, [inst_id]) if prev else own_now.iloc[0:0]
    agg = _municipality_values(db_path, period, inst).set_index("indicator_code")
    now = dict(zip(own_now["indicator_code"], own_now["value"], strict=True))
    before = dict(zip(own_prev["indicator_code"], own_prev["value"], strict=True))
    hidden = set(own_now.loc[own_now["masked"], "indicator_code"])

    rows = []
    for info in cat.to_dict("records"):
        code = str(info["indicator_code"])
        direction = str(info["direction"])
        value = _float(now.get(code))
        prev_value = _float(before.get(code))
        change = None if value is None or prev_value is None else value - prev_value
        # a count's aggregate is a total: an institution compares with the average institution
        suffix = "mean" if info["kind"] == "count" else "value"
        municipality_value = _float(agg[f"all_{suffix}"].get(code)) if code in agg.index else None
        type_value = _float(agg[f"type_{suffix}"].get(code)) if code in agg.index else None

        members = peer_vals[peer_vals["indicator_code"] == code].set_index("inst_id")["value"]
        members = members[members.index.isin(list(group.members))]
        stats = position_stats(members, inst_id, direction)
        basis: Basis = "peers"
        benchmark = stats["median"]
        peer = stats
        if int(stats["n"] or 0) < MIN_GROUP:
            basis = "municipality_type"
            benchmark = type_value
            wider = type_vals[type_vals["indicator_code"] == code].set_index("inst_id")["value"]
            peer = position_stats(wider, inst_id, direction)
            if int(peer["n"] or 0) < MIN_GROUP:
                peer = {**peer, "percentile": None, "rank": None}
        gap = None if value is None or benchmark is None else value - float(benchmark)
        favourable = None
        if gap is not None and direction in DIRECTED:
            favourable = gap if direction == "up" else -gap
        score = None
        if favourable is not None and benchmark is not None:
            spread = (peer["max"] or 0.0) - (peer["min"] or 0.0)
            score = favourable / (spread if spread > 0 else max(abs(float(benchmark)), 1.0))
        rows.append(
            {
                "indicator_code": code,
                "name_ru": info["name_ru"],
                "area": info["area"],
                "unit": info["unit"],
                "direction": direction,
                "kind": info["kind"],
                "sort_order": info["sort_order"],
                "key_indicator": bool(info["key_indicator"]),
                "value": value,
                "prev_value": prev_value,
                "change": change,
                "change_assessment": _assess(change, direction),
                "municipality_value": municipality_value,
                "type_value": type_value,
                "basis": basis,
                "benchmark": None if benchmark is None else float(benchmark),
                "peer_n": int(peer["n"] or 0),
                "peer_median": stats["median"] if basis == "peers" else None,
                "peer_min": peer["min"],
                "peer_q1": peer["q1"],
                "peer_q3": peer["q3"],
                "peer_max": peer["max"],
                "percentile": peer["percentile"],
                "rank": peer["rank"],
                "rank_n": int(peer["n"] or 0) if peer["rank"] is not None else None,
                "gap": gap,
                "favourable_gap": favourable,
                "gap_score": score,
                "assessment": _assess(favourable if direction in DIRECTED else None, "up"),
                "masked": code in hidden,
            }
        )
    frame = pd.DataFrame(rows, columns=PROFILE_COLUMNS)
    for col in (
        "value",
        "prev_value",
        "change",
        "municipality_value",
        "type_value",
        "benchmark",
        "peer_median",
        "peer_min",
        "peer_q1",
        "peer_q3",
        "peer_max",
        "percentile",
        "gap",
        "favourable_gap",
        "gap_score",
    ):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    for col in ("rank", "rank_n", "peer_n"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Int64")
    frame["masked"] = frame["masked"].astype(bool)
    return frame


def strengths_weaknesses(profile: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The indicators with the largest favourable (`strength`) and unfavourable (`weakness`) gaps to the
    benchmark, by `gap_score`, at most `n` of each; indicators without a direction, and gaps that round to
    zero at one decimal (|gap| < 0.05), are left out.

    Columns: side (strength / weakness), indicator_code, name_ru, unit, value, benchmark, basis, gap,
    favourable_gap, gap_score — strengths first (largest first), then weaknesses (worst first).
    """
    cols = [
        "side",
        "indicator_code",
        "name_ru",
        "area",
        "unit",
        "value",
        "benchmark",
        "basis",
        "gap",
        "favourable_gap",
        "gap_score",
    ]
    data = profile[profile["direction"].isin(DIRECTED) & profile["gap_score"].notna()].copy()
    data = data[data["gap"].abs() >= MIN_SHOWN_GAP]
    good = data[data["favourable_gap"] > 0].sort_values(
        ["gap_score", "sort_order"], ascending=[False, True], kind="stable"
    )
    bad = data[data["favourable_gap"] < 0].sort_values(
        ["gap_score", "sort_order"], ascending=[True, True], kind="stable"
    )
    good = good.head(n).assign(side="strength")
    bad = bad.head(n).assign(side="weakness")
    return pd.concat([good, bad], ignore_index=True)[cols]


# ----------------------------------------------------------------------------------------- side by side
def side_by_side(
    db_path: str | os.PathLike[str],
    user: User,
    inst_ids: Sequence[str],
    codes: Sequence[str],
    period: str,
) -> pd.DataFrame:
    """The chosen institutions (in the given order, unknown ids left out) with their values of `codes` in
    `period`, long format as `queries.institution_values`: inst_id, short_name, name, inst_type,
    municipality, locality, indicator_code, numerator, denominator, value (a row with NULL code for an
    institution without any of the values), masked (another institution's small results group, for a
    director: value NULL). The results area gives its rows over all subjects."""
    ids = [str(i) for i in inst_ids][:MAX_SIDE_BY_SIDE]
    wanted = [str(c) for c in codes]
    frame = read.frame(
        db_path, "compare/side_by_side", inst_ids=ids, period=period, codes=sibling_codes(wanted)
    )
    frame = mask_small_groups(frame, user)
    keep = frame["indicator_code"].isna() | frame["indicator_code"].isin(wanted)
    return frame[keep].drop(columns=["period", "subject", "grade"]).reset_index(drop=True)


# ----------------------------------------------------------------------------------------- trends
def institution_trends(
    db_path: str | os.PathLike[str], user: User, inst_id: str, codes: Sequence[str]
) -> pd.DataFrame:
    """The institution's values of `codes` over every period beside its municipality's value for its type:
    period, indicator_code, value, type_value."""
    inst = institution_info(db_path, user, inst_id)
    if inst is None:
        raise KeyError(inst_id)
    # a director's view of another institution: its small results groups are missing (queries masks them)
    own = queries.institution_series(db_path, user, inst_id, codes)[["period", "indicator_code", "value"]]
    city = queries.aggregate_series(db_path, user, codes, inst.municipality, inst.inst_type)
    city = city[["period", "indicator_code", "value"]].rename(columns={"value": "type_value"})
    frame = own.merge(city, on=["period", "indicator_code"], how="outer")
    frame = frame[frame["period"].isin(sorted(set(own["period"])))] if not own.empty else frame.iloc[0:0]
    return frame.sort_values(["indicator_code", "period"]).reset_index(drop=True)


# ----------------------------------------------------------------------------------------- access
def may_generate_passport(user: User, inst_id: str) -> bool:
    """interfaces.md: a director generates their own institution's passport only; other roles any."""
    return user.role != "director" or user.inst_id == inst_id


def require_passport_access(user: User, inst_id: str) -> None:
    if not may_generate_passport(user, inst_id):
        raise PermissionError(f"user {user.login!r} may not see the passport of {inst_id!r}")


# ----------------------------------------------------------------------------------------- data quality
@dataclass(frozen=True)
class DataQuality:
    """The state of one institution's submissions (no raw values: counts, rules, files, warnings).

    submissions: period, staff_rows, pedagogical_staff, ict_rows, innovation_rows, quarantined_rows,
                 warnings — every period up to the chosen one;
    loads:       the files that brought or quarantined this institution's rows of the period: loaded_at,
                 source_file, dataset, status, rows_loaded, rows_quarantined (this institution's rows);
    quarantine:  dataset, column_name, rule, explanation, rows — the period's quarantined rows by rule;
    warnings:    dataset, rule, message_ru — the period's warnings.
    """

    inst_id: str
    period: str
    submissions: pd.DataFrame
    loads: pd.DataFrame
    quarantine: pd.DataFrame
    warnings: pd.DataFrame


def data_quality(db_path: str | os.PathLike[str], user: User, inst_id: str, period: str) -> DataQuality:
    """The data-quality state of the institution's submissions; PermissionError for a director of another
    institution (the check is here, whatever page or command calls it)."""
    require_passport_access(user, inst_id)
    submissions = read.frame(db_path, "compare/passport_submissions", inst_id=inst_id, period=period)
    loads = read.frame(db_path, "compare/passport_loads", inst_id=inst_id, period=period)
    quarantine = read.frame(db_path, "compare/passport_quarantine", inst_id=inst_id, period=period)
    quarantine.insert(
        3,
        "explanation",
        [
            rule_explanation(d, r, c)
            for d, r, c in zip(
                quarantine["dataset"], quarantine["rule"], quarantine["column_name"], strict=True
            )
        ],
    )
    warnings = read.frame(db_path, "compare/passport_warnings", inst_id=inst_id, period=period)
    return DataQuality(inst_id, period, submissions, loads, quarantine, warnings)


EXPECTATIONS_DIR = Path(__file__).resolve().parent.parent / "expectations"


@functools.lru_cache(maxsize=1)
def _expectation_texts() -> dict[tuple[str, str, str | None], str]:
    """(dataset, rule, column) → the Russian explanation of the expectation suites (read as JSON, without
    great_expectations: this runs on the dashboards' path)."""
    texts: dict[tuple[str, str, str | None], str] = {}
    for path in sorted(EXPECTATIONS_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data.get("expectations", []):
            meta = item.get("meta", {})
            if "rule" in meta and "message_ru" in meta:
                texts[(path.stem, str(meta["rule"]), meta.get("column"))] = str(meta["message_ru"])
                texts.setdefault((path.stem, str(meta["rule"]), None), str(meta["message_ru"]))
    return texts


# rules of the loader itself (etl/rules.py, the normaliser), in words without the row's values
_LOADER_RULES = {
    "unknown_institution": "организации с таким кодом нет в справочнике",
    "duplicate_key": "повтор ключевых полей строки",
    "foreign_institution": "данные чужой организации",
}


def rule_explanation(dataset: str, rule: str, column: str | None) -> str:
    """The rule a quarantined row broke, in Russian (no values of the row)."""
    from ru import labels as etl_messages  # the parse rules' explanations (their home is ru/labels.py)

    texts = _expectation_texts()
    for key in ((dataset, rule, column), (dataset, rule, None)):
        if key in texts:
            return texts[key]
    if rule in etl_messages.PARSE_EXPLANATIONS:
        return etl_messages.PARSE_EXPLANATIONS[rule]
    return _LOADER_RULES.get(rule, rule)


# every public function, by name (the page's cache wrapper calls through this allow-list)
QUERIES = {
    f.__name__: f
    for f in (
        institution_info,
        is_region_scale,
        previous_period,
        reporting_sizes,
        peer_group,
        peer_members,
        institution_profile,
        side_by_side,
        institution_trends,
        data_quality,
    )
}

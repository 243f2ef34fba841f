"""Small groups (interfaces.md, «Roles and what each may see»): a results value of one institution computed
from fewer than 5 results (one subject, one grade) is shown to a director of ANOTHER institution as
«менее 5», never the number. Admin, head and methodist see every value; a director sees their own
institution's values; aggregates (municipality, region) are never masked.

The rule is applied here, in the read layer, on every frame of institution-level results values before it
leaves the query functions (warehouse/results.py), so no page, export, link or crafted parameter can reach the
number. A masked row keeps its place with `value`, `numerator` and `denominator` NULL and `masked` TRUE; the
views render it as «менее 5».

The size of the group a value is computed from ("results"):
  - a share or a mean: its denominator (the results it is over);
  - a count of results (participants of a subject): the count itself;
  - `EGE_100`: the ЕГЭ results with a score of the subject (the denominator of `EGE_HIGH_SCORE`);
  - `OLY_MUNICIPAL_WINNERS`: the municipal-stage results of the subject (`OLY_MUNICIPAL_PARTICIPANTS`);
  - `OLY_SCHOOL_PER_100`: the school-stage participants (its numerator; the denominator is pupils).
A size that cannot be established (a sibling row missing from the frame) counts as small: the rule errs on
the side of hiding.
"""

from __future__ import annotations

import pandas as pd

from auth.identity import User

SMALL_GROUP = 5
SMALL_GROUP_LABEL = "менее 5"

# the results area's codes (indicators.md, «Results»), by how the size of their group is found
_BY_DENOMINATOR = (
    "EGE_MEAN_SCORE",
    "EGE_HIGH_SCORE",
    "GIA11_NOT_PASSED",
    "GIA9_MEAN_MARK",
    "GIA9_SUCCESS",
    "GIA9_QUALITY",
    "VPR_SUCCESS",
    "VPR_QUALITY",
    "VPR_CONFIRMED",
    "VPR_BELOW_JOURNAL",
    "VPR_ABOVE_JOURNAL",
    "OLY_MUNICIPAL_EFFECTIVENESS",
)
_BY_NUMERATOR = (
    "EGE_PARTICIPANTS",
    "GIA9_PARTICIPANTS",
    "VPR_PARTICIPANTS",
    "OLY_MUNICIPAL_PARTICIPANTS",
    "OLY_REGIONAL_PARTICIPANTS",
    "OLY_SCHOOL_PER_100",
)
# code -> (sibling code, the sibling's column that is the size)
_BY_SIBLING = {
    "EGE_100": ("EGE_HIGH_SCORE", "denominator"),
    "OLY_MUNICIPAL_WINNERS": ("OLY_MUNICIPAL_PARTICIPANTS", "numerator"),
}
RESULT_CODES = frozenset((*_BY_DENOMINATOR, *_BY_NUMERATOR, *_BY_SIBLING))

_KEY = ["period", "inst_id", "subject", "grade"]


def sibling_codes(codes: list[str] | tuple[str, ...]) -> list[str]:
    """The codes a query must read besides `codes` so that the size of every group is known."""
    extra = [_BY_SIBLING[c][0] for c in codes if c in _BY_SIBLING]
    return list(dict.fromkeys([*codes, *extra]))


def group_sizes(frame: pd.DataFrame) -> pd.Series:
    """The number of results each row's value is computed from (NaN where it cannot be established, and
    for rows that are not results indicators)."""
    code = frame["indicator_code"]
    sizes = pd.Series(float("nan"), index=frame.index, dtype="float64")
    numerator = pd.to_numeric(frame["numerator"], errors="coerce")
    denominator = pd.to_numeric(frame["denominator"], errors="coerce")
    sizes = sizes.mask(code.isin(_BY_DENOMINATOR), denominator)
    sizes = sizes.mask(code.isin(_BY_NUMERATOR), numerator)
    # one key per (period, inst_id, subject, grade), as text, so that a NULL grade matches a NULL grade (NaN
    # never equals NaN) and 5 matches 5.0
    grades = ["" if pd.isna(g) else str(int(g)) for g in frame["grade"]]
    keys = pd.Series(
        [
            f"{p}|{i}|{s}|{g}"
            for p, i, s, g in zip(frame["period"], frame["inst_id"], frame["subject"], grades, strict=True)
        ],
        index=frame.index,
        dtype="object",
    )
    for target, (sibling, column) in _BY_SIBLING.items():
        rows = code == target
        if not rows.any():
            continue
        source = numerator if column == "numerator" else denominator
        of_sibling = code == sibling
        lookup = dict(zip(keys[of_sibling], source[of_sibling], strict=True))
        sizes = sizes.mask(rows, keys.map(lookup).astype("float64"))
    return sizes


def hides(user: User, inst_id: object) -> bool:
    """Whether `user` may not see the small groups of institution `inst_id`."""
    return user.role == "director" and inst_id != user.inst_id


def mask_small_groups(frame: pd.DataFrame, user: User) -> pd.DataFrame:
    """`frame` (columns period, inst_id, indicator_code, subject, grade, numerator, denominator, value; rows
    of other levels have inst_id NULL) with the small groups of other institutions hidden from a director.

    Adds `masked` (bool). Rows without an inst_id (aggregates) and codes outside the results area are never
    masked. For other roles nothing is hidden and `masked` is FALSE everywhere."""
    out = frame.copy()
    out["masked"] = False
    if out.empty or user.role != "director":
        return out
    for column in ("period", "subject", "grade"):
        if column not in out.columns:
            out[column] = None
    sizes = group_sizes(out)
    results = out["indicator_code"].isin(RESULT_CODES)
    others = out["inst_id"].notna() & (out["inst_id"] != user.inst_id)
    small = ~(sizes >= SMALL_GROUP)  # NaN (unknown) counts as small
    hide = results & others & small
    for column in ("numerator", "denominator", "value"):
        if column in out.columns:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64").mask(hide)
    out["masked"] = hide
    return out

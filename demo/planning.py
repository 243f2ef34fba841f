"""The demo's planning data: mentors of young specialists (the staff file's `mentor_staff_id`) and the needs
survey (`staff_needs`) of the latest period.

Drawn from a random stream of their own (`planning_rng`), so the other demo files stay byte-identical for a
seed; the staff files differ only by the new mentor column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from etl import contract as c

Arr = NDArray[Any]
YEAR = 365.25
MENTORED_SHARE = 0.85  # most young specialists have a mentor, a few do not
SURVEYED_SHARE = 0.88  # most pedagogical staff answer the survey
EXPERIENCED_YEARS = 10  # a mentor is a pedagogical worker with at least this many years of service
NEEDS = tuple(c.NEEDS)
FORMS = tuple(c.NEED_FORMS)
# the chance of naming each need (in NEEDS order) by the kind of post: subject teachers think of the ФГОС,
# functional literacy and the ГИА; preschool teachers of upbringing and inclusion; specialists of psychology
_N = {n: i for i, n in enumerate(NEEDS)}


def _row(**chances: float) -> list[float]:
    out = [0.04] * len(NEEDS)
    for name, chance in chances.items():
        out[_N[name]] = chance
    return out


NEED_CHANCES = {
    "teacher": _row(
        fgos=0.35, functional_literacy=0.45, digital=0.3, gia_preparation=0.35, subject_content=0.25,
        assessment=0.25, inclusive=0.15, gifted=0.12, upbringing=0.08,
    ),
    "preschool": _row(fgos=0.35, upbringing=0.3, inclusive=0.35, psychology=0.25, digital=0.2, assessment=0.1),
    "specialist": _row(inclusive=0.5, psychology=0.45, digital=0.15, fgos=0.1),
    "additional": _row(gifted=0.35, digital=0.35, upbringing=0.3, psychology=0.15),
    "other": _row(upbringing=0.35, digital=0.3, fgos=0.2, management=0.15, psychology=0.15),
}  # fmt: skip
POSITION_GROUP = {
    "teacher": "teacher",
    "preschool_teacher": "preschool",
    "senior_preschool_teacher": "preschool",
    "music_director": "preschool",
    "pe_instructor": "preschool",
    "psychologist": "specialist",
    "social_pedagogue": "specialist",
    "speech_therapist": "specialist",
    "defectologist": "specialist",
    "tutor": "specialist",
    "additional_teacher": "additional",
}
# the preferred form: courses first, then seminars and self-study
FORM_WEIGHTS = np.array([0.5, 0.25, 0.08, 0.12, 0.05])


def planning_rng(seed: int, scale_index: int) -> np.random.Generator:
    """A random stream apart from the generator's nine, so that adding planning data changes no other file."""
    return np.random.default_rng(np.random.SeedSequence([seed, scale_index, 8]))


def _pedagogical(cols: dict[str, Arr]) -> Arr:
    position = cols["position"]
    return ~np.isin(position, ["head", "deputy_head"]) & np.isin(cols["employment"], ["main", "internal"])


def _age_years(cols: dict[str, Arr], day: float) -> Arr:
    birth = cols["birth_date"].astype("datetime64[D]").astype(np.int64).astype(float)
    return (day - birth) / YEAR


def add_mentors(rng: np.random.Generator, cols: dict[str, Arr], day: float) -> dict[str, Arr]:
    """The staff file's `mentor_staff_id`: for most young specialists (under 35, under 3 years) an
    experienced pedagogical worker of the same institution; empty for everyone else."""
    n = len(cols["inst_id"])
    ped = _pedagogical(cols)
    exp = np.asarray(cols["ped_experience_years"], dtype=float)
    young = ped & (_age_years(cols, day) < 35) & (exp < 3)
    candidates = np.flatnonzero(ped & (cols["employment"] == "main") & (exp >= EXPERIENCED_YEARS))
    inst_codes, inst_index = np.unique(cols["inst_id"].astype(str), return_inverse=True)
    order = candidates[np.argsort(inst_index[candidates], kind="stable")]
    counts = np.bincount(inst_index[order], minlength=len(inst_codes))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    mentees = np.flatnonzero(young)
    u_mentored, u_pick = rng.random(len(mentees)), rng.random(len(mentees))
    mentee_inst = inst_index[mentees]
    ok = (u_mentored < MENTORED_SHARE) & (counts[mentee_inst] > 0)
    pick = starts[mentee_inst] + np.floor(u_pick * counts[mentee_inst]).astype(np.int64)
    mentor_pos = np.full(n, -1, dtype=np.int64)
    mentor_pos[mentees[ok]] = order[pick[ok]]
    staff_ids = (
        pa.array(cols["staff_id"], pa.string())
        if not isinstance(cols["staff_id"], pa.Array)
        else cols["staff_id"]
    )
    taken = staff_ids.take(pa.array(np.maximum(mentor_pos, 0)))
    mentor = pa.array(np.where(mentor_pos >= 0, taken.to_numpy(zero_copy_only=False), None), pa.string())
    return {**cols, "mentor_staff_id": mentor}


def needs_survey(rng: np.random.Generator, cols: dict[str, Arr]) -> dict[str, Arr]:
    """The needs survey of one staff file: most pedagogical staff name one to a few needs (at least one),
    with a preferred form each. One row per person per need."""
    ped = np.flatnonzero(_pedagogical(cols))
    answered = ped[rng.random(len(ped)) < SURVEYED_SHARE]
    groups = np.array([POSITION_GROUP.get(str(p), "other") for p in cols["position"][answered]], dtype=object)
    chances = np.vstack([np.array(NEED_CHANCES[g]) for g in NEED_CHANCES])
    group_index = np.array([list(NEED_CHANCES).index(g) for g in groups], dtype=np.int64)
    draws = rng.random((len(answered), len(NEEDS))) < chances[group_index]
    # nobody who answered names nothing: their likeliest need
    none = ~draws.any(axis=1)
    draws[none, chances[group_index[none]].argmax(axis=1)] = True
    person, need = np.nonzero(draws)
    rows = answered[person]
    form = rng.choice(len(FORMS), size=len(rows), p=FORM_WEIGHTS / FORM_WEIGHTS.sum())
    staff_ids = cols["staff_id"]
    ids = staff_ids.take(pa.array(rows)) if isinstance(staff_ids, pa.Array) else staff_ids[rows]
    return {
        "period": cols["period"][rows],
        "inst_id": cols["inst_id"][rows],
        "staff_id": ids,
        "need": np.array(NEEDS, dtype=object)[need],
        "form": np.array(FORMS, dtype=object)[form],
    }

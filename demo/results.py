"""The demo's results of education (data contract, datasets 5–7): ГИА-11 (ЕГЭ, ГВЭ-11), ГИА-9 (ОГЭ, ГВЭ-9),
ВПР in grades 4–8 with journal marks, and the four stages of the olympiad, for every school and period.

Drawn from a random stream of their own (`generate` seeds it apart from the other datasets' streams), so the
staff, ICT and innovation files of a seed stay byte for byte what they were. Files come as the real ones do:
one ЕГЭ subject per XLSX with title rows (РЦОИ), the ГИА-9 of the whole territory in one Windows-1251 CSV, ВПР
one XLSX per grade (ФИС ОКО), the olympiad one XLSX per stage. The city has three planted cases: a school with
persistently low results, a class (one school, subject, grade) whose journal marks are inflated, and a basic
school (no grade 11) whose groups are tiny (fewer than 5). The region gets the last period only (for the
benchmarks); the country none yet. The rows are drawn a group at a time (a school's subject, grade or stage) with
numpy, never row by row; the marks' cut points are the normal's exact quantiles (they were estimated from
200,000 draws per call, which made the region take minutes and moved the city's stream).
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from etl import contract as c

Arr = np.ndarray

# national-like means and spreads of the ЕГЭ test score (ФИПИ's yearly reports give means near these)
EGE_MEANS = {
    "russian": (68, 14),
    "math_profile": (55, 17),
    "social_studies": (56, 15),
    "physics": (55, 15),
    "chemistry": (55, 19),
    "biology": (52, 16),
    "history": (56, 17),
    "informatics": (58, 19),
    "english": (66, 17),
    "literature": (60, 16),
    "geography": (57, 14),
}
# the share of graduates choosing each elective (a graduate takes about two)
ELECTIVES = {
    "social_studies": 0.45,
    "physics": 0.2,
    "chemistry": 0.12,
    "biology": 0.18,
    "history": 0.12,
    "informatics": 0.2,
    "english": 0.12,
    "literature": 0.06,
    "geography": 0.04,
}
OGE_ELECTIVES = ("social_studies", "biology", "geography", "informatics", "chemistry", "physics", "english")
VPR_SUBJECTS = {
    4: ("russian", "math", "world"),
    5: ("russian", "math", "history", "biology"),
    6: ("russian", "math", "history", "biology"),
    7: ("russian", "math", "physics", "social_studies"),
    8: ("russian", "math", "chemistry", "geography"),
}
OLYMPIAD_SUBJECTS = (
    "Математика",
    "Русский язык",
    "Физика",
    "Химия",
    "Биология",
    "История",
    "Обществознание",
    "Английский язык",
    "Информатика",
    "Литература",
)
MARK_SHARES = np.array([0.06, 0.34, 0.39, 0.21])  # marks 2, 3, 4, 5 of ОГЭ and ВПР (about the national ones)
BASE_MATH_SHARES = np.array([0.03, 0.25, 0.4, 0.32])
PRIMARY_OF_TEST = 0.6  # a primary score is about 0.6 of the test score (only for the files' look)


@functools.lru_cache(maxsize=8)
def _cuts(shares: tuple[float, ...]) -> Arr:
    """The standard normal's quantiles at the shares' cumulative sums (exact, drawn from no stream)."""
    normal = statistics.NormalDist()
    return np.array([normal.inv_cdf(q) for q in np.cumsum(shares)[:-1]])


def _marks(rng: np.random.Generator, shift: Arr, shares: Arr = MARK_SHARES) -> Arr:
    """Marks 2–5 with the given shares, moved down (shift < 0) or up for a school: a latent normal cut at
    the shares' quantiles."""
    latent = rng.standard_normal(len(shift)) + shift
    return 2 + np.searchsorted(_cuts(tuple(float(x) for x in shares)), latent)


def _scores(rng: np.random.Generator, subject: str, shift: Arr) -> Arr:
    mean, sd = EGE_MEANS[subject]
    raw = mean + shift * sd * 0.5 + rng.normal(0, sd, len(shift))
    scores = np.clip(np.rint(raw), 6, 100)
    # a 100 is rare: most results above 98 end at 94–99
    top = scores >= 99
    scores[top] = np.where(rng.random(int(top.sum())) < 0.25, 100, rng.integers(94, 100, int(top.sum())))
    return scores


class _Rows:
    """Columns of one dataset, appended a group of rows (one school, subject …) at a time: a column's value
    is an array of the group's rows or one value for all of them (repeated only when the columns are built)."""

    def __init__(self, dataset: c.Dataset) -> None:
        self.dataset = dataset
        self.counts: list[int] = []
        self.parts: dict[str, list[Any]] = {col.name: [] for col in dataset.columns}

    def add(self, n: int, **values: Any) -> None:
        self.counts.append(n)
        for col in self.dataset.columns:
            self.parts[col.name].append(values.get(col.name))

    def columns(self) -> dict[str, Arr]:
        counts = np.array(self.counts, dtype=np.int64)
        out: dict[str, Arr] = {}
        for col in self.dataset.columns:
            parts = self.parts[col.name]
            numeric = col.kind in (c.INT, c.NUMBER)
            dtype = "float64" if numeric else object
            if not any(isinstance(p, np.ndarray) for p in parts):
                # one value per group (period, school, subject): repeated group by group at once
                out[col.name] = np.repeat(np.array(parts, dtype=dtype), counts)
                continue
            out[col.name] = (
                np.concatenate(
                    [
                        np.asarray(p, dtype=dtype)
                        if isinstance(p, np.ndarray)
                        else np.full(n, p, dtype=dtype)
                        for p, n in zip(parts, self.counts, strict=True)
                    ]
                )
                if parts
                else np.array([], dtype=dtype)
            )
        return out


def simulate(
    rng: np.random.Generator,
    inst_ids: Sequence[str],
    pupils: Arr,
    periods: Sequence[str],
    planted: dict[str, str] | None = None,
) -> dict[str, dict[str, Arr]]:
    """The results of schools `inst_ids` (with `pupils` each) in `periods`: columns of exam_results,
    vpr_results and olympiad. `planted`: {"low": inst_id, "inflated": inst_id, "basic": inst_id}."""
    planted = planted or {}
    exam, vpr, oly = _Rows(c.EXAM_RESULTS), _Rows(c.VPR_RESULTS), _Rows(c.OLYMPIAD)
    effect = rng.normal(0, 0.35, len(inst_ids))
    for i, inst in enumerate(inst_ids):
        if inst == planted.get("low"):
            effect[i] = -1.4
    for period in periods:
        for i, inst in enumerate(inst_ids):
            shift_value = effect[i] + rng.normal(0, 0.08)
            cohort = max(1.0, pupils[i] / 11)
            basic = inst == planted.get("basic")
            n11 = 0 if basic else int(rng.poisson(cohort * 0.75))
            n9 = int(rng.integers(2, 5)) if basic else int(rng.poisson(cohort * 0.95))
            serial = 0

            def pid(prefix: str, n: int, _inst: str = inst, _period: str = period) -> Arr:
                nonlocal serial
                numbers = np.char.zfill(np.arange(serial, serial + n).astype(str), 4)
                serial += n
                return np.char.add(f"{prefix}{_period[:4]}-{_inst}-", numbers).astype(object)

            # ГИА-11: every graduate writes Russian and one level of mathematics, and about two electives
            if n11:
                shift = np.full(n11, shift_value)
                gve = rng.random(n11) < 0.015
                ege_n = int((~gve).sum())
                exam.add(
                    ege_n,
                    period=period,
                    inst_id=inst,
                    exam="ege",
                    grade=11,
                    subject="russian",
                    participant_id=pid("Е", ege_n),
                    score=(s := _scores(rng, "russian", shift[:ege_n])),
                    primary_score=np.rint(s * PRIMARY_OF_TEST),
                )
                profile = rng.random(ege_n) < 0.55
                for subject, n in (
                    ("math_profile", int(profile.sum())),
                    ("math_base", int((~profile).sum())),
                ):
                    if not n:
                        continue
                    if subject == "math_profile":
                        s = _scores(rng, subject, shift[:n])
                        exam.add(n, period=period, inst_id=inst, exam="ege", grade=11, subject=subject,
                                 participant_id=pid("Е", n), score=s, primary_score=np.rint(s * 0.3))  # fmt: skip
                    else:
                        exam.add(n, period=period, inst_id=inst, exam="ege", grade=11, subject=subject,
                                 participant_id=pid("Е", n), mark=_marks(rng, shift[:n], BASE_MATH_SHARES))  # fmt: skip
                for subject, share in ELECTIVES.items():
                    n = int(rng.binomial(ege_n, share))
                    if n:
                        s = _scores(rng, subject, shift[:n])
                        exam.add(n, period=period, inst_id=inst, exam="ege", grade=11, subject=subject,
                                 participant_id=pid("Е", n), score=s, primary_score=np.rint(s * 0.55))  # fmt: skip
                gve_n = int(gve.sum())
                for subject in ("russian", "math") if gve_n else ():
                    exam.add(gve_n, period=period, inst_id=inst, exam="gve", grade=11, subject=subject,
                             participant_id=pid("Г", gve_n), mark=_marks(rng, shift[:gve_n]))  # fmt: skip
            # ГИА-9: Russian, mathematics and two electives (ОГЭ); a few write ГВЭ-9
            if n9:
                shift = np.full(n9, shift_value)
                gve = rng.random(n9) < 0.02
                oge_n, gve_n = int((~gve).sum()), int(gve.sum())
                for subject in ("russian", "math"):
                    exam.add(oge_n, period=period, inst_id=inst, exam="oge", grade=9, subject=subject,
                             participant_id=pid("О", oge_n), mark=_marks(rng, shift[:oge_n]))  # fmt: skip
                    if gve_n:
                        exam.add(gve_n, period=period, inst_id=inst, exam="gve", grade=9, subject=subject,
                                 participant_id=pid("Г", gve_n), mark=_marks(rng, shift[:gve_n] - 0.8))  # fmt: skip
                choices = rng.choice(len(OGE_ELECTIVES), size=(oge_n, 2))
                for k, subject in enumerate(OGE_ELECTIVES):
                    n = int((choices == k).any(axis=1).sum())
                    if n:
                        exam.add(n, period=period, inst_id=inst, exam="oge", grade=9, subject=subject,
                                 participant_id=pid("О", n), mark=_marks(rng, shift[:n]))  # fmt: skip
            # ВПР in grades 4–8, with the journal mark of the term before (sometimes missing)
            for grade, subjects in VPR_SUBJECTS.items():
                n = int(rng.integers(1, 5)) if basic else int(rng.poisson(cohort * 0.9))
                for subject in subjects:
                    if not n:
                        continue
                    mark = _marks(rng, np.full(n, shift_value))
                    step = rng.choice([-1, 0, 1], size=n, p=[0.1, 0.65, 0.25])  # journal = mark + step
                    if inst == planted.get("inflated") and subject == "math" and grade == 6:
                        step = rng.choice([0, 1, 2], size=n, p=[0.25, 0.55, 0.2])
                    journal = np.clip(mark + step, 2, 5).astype(object)
                    journal[rng.random(n) < 0.03] = None
                    vpr.add(n, period=period, inst_id=inst, grade=grade, subject=subject,
                            participant_id=pid("В", n), mark=mark, journal_mark=journal,
                            primary_score=np.rint(mark * 3.5 + rng.integers(-2, 3, n)))  # fmt: skip
            # the olympiad: a third of the pupils of grades 5–11 write the school stage in 1–3 subjects;
            # the best go on to the municipal stage, a few to the regional one, rarely to the final
            takers = int(rng.binomial(int(pupils[i] * 7 / 11), 0.33))
            ids = pid("Ш", takers)
            grades = rng.integers(5, 12, takers)
            per_taker = rng.integers(1, 4, takers)
            who = np.repeat(np.arange(takers), per_taker)
            # 1–3 different subjects each (a random offset walk over the list never repeats within 3)
            first = rng.integers(0, len(OLYMPIAD_SUBJECTS), takers)
            step = np.concatenate([np.arange(k) for k in per_taker]) if takers else np.array([], dtype=int)
            subject_index = (first[who] + step * 3) % len(OLYMPIAD_SUBJECTS)
            names = np.array(OLYMPIAD_SUBJECTS, dtype=object)[subject_index]
            sloppy = rng.random(len(who)) < 0.05  # «математика » as some protocols spell it
            written = np.where(
                sloppy, np.char.add(np.char.lower(names.astype(str)), " ").astype(object), names
            )
            strength = rng.normal(shift_value, 1, len(who))
            funnel = [("school", strength, grades[who] >= 5, 50, 18, (1.6, 1.0))]
            municipal = strength + rng.normal(0, 0.5, len(who))
            funnel.append(
                ("municipal", municipal, (grades[who] >= 7) & (strength >= 1.1), 40, 15, (2.3, 1.6))
            )
            regional = municipal + rng.normal(0, 0.5, len(who))
            at_regional = funnel[1][2] & (grades[who] >= 9) & (municipal >= 2.2)
            funnel.append(("regional", regional, at_regional, 30, 14, (9.0, 2.9)))
            funnel.append(("final", regional, at_regional & (regional > 3.2), 20, 12, (9.0, 9.0)))
            for stage, level, keep, base, spread, (win, prize) in funnel:
                n = int(keep.sum())
                if not n:
                    continue
                lv = level[keep]
                status = np.where(lv > win, "winner", np.where(lv > prize, "prize_winner", "participant"))
                oly.add(n, period=period, inst_id=inst, stage=stage, subject=written[keep],
                        grade=grades[who][keep], participant_id=ids[who][keep],
                        score=np.clip(np.rint(base + spread * lv), 0, 100), status=status.astype(object))  # fmt: skip
    return {"exam_results": exam.columns(), "vpr_results": vpr.columns(), "olympiad": oly.columns()}


# ----------------------------------------------------------------------------------------- files
def _rows_of(cols: dict[str, Arr], keep: Arr) -> dict[str, Arr]:
    return {name: values[keep] for name, values in cols.items()}


def write_files(
    rng: np.random.Generator,
    scale: str,
    inst: Any,
    years: Sequence[int],
    out_dir: Path,
    place: str,
    fmt: str,
) -> list[Path]:
    """Simulate the results of the schools of `inst` (demo.generator.Institutions) and write them as the
    real files come; return the paths in load order (ГИА, ВПР, olympiad; periods in order)."""
    from demo import generator as g  # the writers and styles of the other datasets' files

    school = np.flatnonzero(inst.kind == g.SCHOOL)
    pupils = np.maximum(inst.size[school] * inst.students_per_staff[school], 40.0)
    inst_ids = [str(x) for x in inst.inst_id[school]]
    if scale != "city":
        years = years[-1:]
    planted: dict[str, str] = {}
    if scale == "city" and len(school) >= 3:
        by_size = np.argsort(pupils, kind="stable")
        planted = {
            "basic": inst_ids[int(by_size[0])],
            "low": inst_ids[int(by_size[len(by_size) // 3])],
            "inflated": inst_ids[int(by_size[-1])],
        }
        pupils[by_size[0]] = 60.0
    periods = [g.period_of(y) for y in years]
    data = simulate(rng, inst_ids, pupils, periods, planted)
    # the city's files come as the real ones do (XLSX protocols); the region's in the format asked for, like its
    # other files, so that the benchmark's read_csv baseline reads them too
    xlsx = fmt == "xlsx" or scale == "city"
    style = g.Style() if scale == "city" else g.BULK_STYLE
    paths: list[Path] = []

    def write(
        stem: str, dataset: c.Dataset, cols: dict[str, Arr], year: int, kind: str, titles: list[str]
    ) -> None:
        rows = len(cols[dataset.columns[0].name])
        if not rows:
            return
        if kind == "xlsx" and rows <= g.XLSX_MAX_ROWS:
            path = out_dir / f"{stem}.xlsx"
            g.write_xlsx(path, dataset, cols, style, titles)
        else:
            path = out_dir / f"{stem}.csv"
            g.write_csv(path, dataset, cols, g.Style(encoding="cp1251") if kind == "cp1251" else style)
        paths.append(path)

    exam, vpr, oly = data["exam_results"], data["vpr_results"], data["olympiad"]
    for year, period in zip(years, periods, strict=True):
        span = f"{year}-{year + 1}"
        of_year = exam["period"] == period
        # РЦОИ: one ЕГЭ subject per file, with title rows; ГВЭ-11 in a file of its own
        for subject in sorted(set(exam["subject"][of_year & (exam["exam"] == "ege")])):
            keep = of_year & (exam["exam"] == "ege") & (exam["subject"] == subject)
            name = c.EXAM_SUBJECTS[subject][0]
            titles = [f"Результаты ЕГЭ по предмету «{name}» за {period} учебный год", f"{place}"]
            write(
                f"ege_{subject}_{span}",
                c.EXAM_RESULTS,
                _rows_of(exam, keep),
                year,
                "xlsx" if xlsx else "csv",
                titles,
            )
        keep = of_year & (exam["exam"] == "gve") & (exam["grade"] == 11)
        write(f"gve11_{span}", c.EXAM_RESULTS, _rows_of(exam, keep), year, "xlsx" if xlsx else "csv",
              [f"Результаты ГВЭ-11 за {period} учебный год", place])  # fmt: skip
        # the ГИА-9 of the whole territory in one Windows-1251 CSV
        keep = of_year & (exam["grade"] == 9)
        write(f"gia9_{span}", c.EXAM_RESULTS, _rows_of(exam, keep), year, "cp1251", [])
    for year, period in zip(years, periods, strict=True):
        span = f"{year}-{year + 1}"
        for grade in VPR_SUBJECTS:
            keep = (vpr["period"] == period) & (vpr["grade"] == grade)
            write(f"vpr_{grade}_{span}", c.VPR_RESULTS, _rows_of(vpr, keep), year, "xlsx" if xlsx else "csv",
                  [f"Результаты ВПР, {grade} класс, {period} учебный год", place])  # fmt: skip
    for year, period in zip(years, periods, strict=True):
        span = f"{year}-{year + 1}"
        for stage, labels in c.STAGES.items():
            keep = (oly["period"] == period) & (oly["stage"] == stage)
            write(f"olympiad_{stage}_{span}", c.OLYMPIAD, _rows_of(oly, keep), year, "xlsx" if xlsx else "csv",
                  [f"Протокол: {labels[1]} всероссийской олимпиады школьников, {period} учебный год", place])  # fmt: skip
    return paths

"""Settings of the methodology that a municipality may change.

They are stored in `meta.settings` so that the SQL models read the same values as the Python code.
Defaults follow ../shared/spec: reporting date 20 September, connectivity targets 100/50 Mbit/s, young
specialist under 35 with under 3 years of experience, the ЕГЭ minimum scores of 2022–2025. Override with
environment variables `IMC_<KEY>` (e.g. `IMC_REPORT_MONTH_DAY=10-01`, `IMC_EGE_MIN_SCORE_RUSSIAN=25`) when
building a warehouse. A setting that differs by period (a new ЕГЭ minimum from one year on) is a row of
`meta.period_settings` (period, key, value), which wins over `meta.settings` for that period only; the models
read the effective value per period through `staging.stg_period_settings`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping

import duckdb

EGE_MIN_SCORE_PREFIX = "ege_min_score_"
EGE_MIN_SCORES: dict[str, int] = {
    "russian": 24,
    "math_profile": 27,
    "physics": 36,
    "chemistry": 36,
    "informatics": 40,
    "biology": 36,
    "history": 32,
    "geography": 37,
    "social_studies": 42,
    "literature": 32,
    "english": 22,
    "german": 22,
    "french": 22,
    "spanish": 22,
    "chinese": 17,
}

DEFAULTS: dict[str, str] = {
    # reporting date (дата среза) of period YYYY/YYYY+1 is this day of YYYY
    "report_month_day": "09-20",
    "speed_target_urban_mbps": "100",
    "speed_target_rural_mbps": "50",
    "young_specialist_max_age": "35",
    "young_specialist_max_experience": "3",
    # categories assigned before this date keep a five-year term; later ones are indefinite
    "indefinite_category_from": "2023-09-01",
    "category_term_years": "5",
    "training_interval_years": "3",
    "yoy_warning_share": "0.33",
    "outlier_z": "3.5",
    "max_file_mb": "200",
    # the ЕГЭ minimum scores (минимальное количество баллов; Рособрнадзор, in force for 2022–2025), one key per
    # subject: an ЕГЭ result below it is "not passed". A year whose minimum differs gets a row in
    # meta.period_settings (set_period_setting below) instead of a change here
    **{f"{EGE_MIN_SCORE_PREFIX}{subject}": str(score) for subject, score in EGE_MIN_SCORES.items()},
    # mart.result_flags thresholds (indicators.md, «Flags that need attention»; rules of this project)
    "flag_low_results_min_share": "10",  # %, the school's share of unsatisfactory results at least
    "flag_low_results_ratio": "2",  # … and at least this many times the share over all schools
    "flag_low_results_min_rows": "20",  # ГИА and ВПР rows the school needs for the flag
    "flag_persistent_lookback": "2",  # low_results in one of this many periods before makes it persistent
    "flag_journal_gap_min_share": "50",  # %, VPR_BELOW_JOURNAL of one subject and grade at least
    "flag_journal_gap_min_rows": "20",  # ВПР rows with a journal mark of that subject and grade
    "flag_vpr_outlier_min_pp": "30",  # VPR_QUALITY above all schools' by at least this many points
    "flag_vpr_outlier_min_rows": "20",  # ВПР rows of the school in that subject and grade
    "flag_vpr_outlier_min_schools": "5",  # schools that wrote that subject and grade
}

PERIOD_RE = re.compile(r"^(\d{4})/(\d{4})$")


def current_settings(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Defaults, then IMC_<KEY> environment variables, then explicit overrides."""
    values = dict(DEFAULTS)
    for key in DEFAULTS:
        env = os.environ.get(f"IMC_{key.upper()}")
        if env:
            values[key] = env
    if overrides:
        values.update(overrides)
    return values


def write_settings(con: duckdb.DuckDBPyConnection, settings: Mapping[str, str]) -> None:
    con.execute("DELETE FROM meta.settings")
    con.executemany(
        "INSERT INTO meta.settings (key, value) VALUES (?, ?)", [[k, str(v)] for k, v in settings.items()]
    )


def read_settings(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    values = dict(DEFAULTS)
    values.update(dict(con.execute("SELECT key, value FROM meta.settings").fetchall()))
    return values


def set_period_setting(con: duckdb.DuckDBPyConnection, period: str, key: str, value: str | None) -> None:
    """Override a setting for one period (meta.period_settings), e.g. a year's ЕГЭ minimum score of a
    subject: `set_period_setting(con, "2025/2026", "ege_min_score_informatics", "44")`. `None` removes the
    override (the period follows meta.settings again). The marts read it at their next build."""
    if key not in DEFAULTS:
        raise KeyError(key)
    if not PERIOD_RE.match(period):
        raise ValueError(f"not a normalised period: {period!r}")
    con.execute("DELETE FROM meta.period_settings WHERE period = ? AND key = ?", [period, key])
    if value is not None:
        con.execute(
            "INSERT INTO meta.period_settings (period, key, value) VALUES (?, ?, ?)", [period, key, value]
        )


def period_settings(con: duckdb.DuckDBPyConnection, period: str) -> dict[str, str]:
    """The settings that apply to `period`: meta.settings, then that period's overrides."""
    values = read_settings(con)
    rows = con.execute("SELECT key, value FROM meta.period_settings WHERE period = ?", [period]).fetchall()
    values.update(dict(rows))
    return values


def ege_min_scores(settings: Mapping[str, str]) -> dict[str, int]:
    """subject → the ЕГЭ minimum score, from a settings mapping (current_settings, period_settings …)."""
    return {s: int(float(settings[EGE_MIN_SCORE_PREFIX + s])) for s in EGE_MIN_SCORES}


def reporting_date(period: str, settings: Mapping[str, str] | None = None) -> dt.date:
    """20 September (by default) of the first year of `YYYY/YYYY+1`."""
    match = PERIOD_RE.match(period)
    if not match:
        raise ValueError(f"not a normalised period: {period!r}")
    month, day = (int(x) for x in (settings or DEFAULTS)["report_month_day"].split("-"))
    return dt.date(int(match.group(1)), month, day)

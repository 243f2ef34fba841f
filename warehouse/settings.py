"""Settings of the methodology that a municipality may change.

They are stored in `meta.settings` so that the SQL models read the same values as the Python code.
Defaults follow ../shared/spec: reporting date 20 September, connectivity targets 100/50 Mbit/s, young
specialist under 35 with under 3 years of experience. Override with environment variables `IMC_<KEY>`
(e.g. `IMC_REPORT_MONTH_DAY=10-01`) when building a warehouse.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping

import duckdb

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


def reporting_date(period: str, settings: Mapping[str, str] | None = None) -> dt.date:
    """20 September (by default) of the first year of `YYYY/YYYY+1`."""
    match = PERIOD_RE.match(period)
    if not match:
        raise ValueError(f"not a normalised period: {period!r}")
    month, day = (int(x) for x in (settings or DEFAULTS)["report_month_day"].split("-"))
    return dt.date(int(match.group(1)), month, day)

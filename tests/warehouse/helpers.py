"""Hand-written core rows for the warehouse tests, inserted with bound parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

Row = Mapping[str, Any]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Row]) -> None:
    """INSERT each row into `table` (an identifier from the tests themselves, never from data)."""
    for row in rows:
        columns = list(row)
        placeholders = ", ".join("?" for _ in columns)
        con.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", [row[c] for c in columns]
        )


def derived_valid_until(category: str, category_date: dt.date | None) -> dt.date | None:
    """What the loader stores when the file gives no validity: pre-01.09.2023 highest/first + 5 years."""
    if category in ("highest", "first") and category_date is not None and category_date < dt.date(2023, 9, 1):
        return category_date.replace(year=category_date.year + 5)
    return None


def institution(inst_id: str, inst_type: str, municipality: str, locality: str = "urban") -> dict[str, Any]:
    return {
        "inst_id": inst_id,
        "name": f"Организация {inst_id}",
        "short_name": inst_id,
        "inst_type": inst_type,
        "municipality": municipality,
        "locality": locality,
        "address": None,
        "batch_id": "b-registry",
    }


def insert_institutions(con: duckdb.DuckDBPyConnection, *registry: tuple[str, ...]) -> None:
    """The registry rows `institution(*spec)` for each (inst_id, inst_type, municipality[, locality])."""
    insert_rows(con, "core.institutions", [institution(*spec) for spec in registry])


def staff(period: str, inst_id: str, staff_id: str, **values: Any) -> dict[str, Any]:
    """A staff row: a main-post teacher with no category, unless `values` say otherwise.

    `category_valid_until` is derived as the loader derives it, unless given explicitly (then it is
    marked as given).
    """
    row: dict[str, Any] = {
        "period": period,
        "inst_id": inst_id,
        "staff_id": staff_id,
        "full_name": f"Педагог {staff_id}",
        "position": "teacher",
        "employment": "main",
        "gender": "Ж",
        "birth_date": dt.date(1980, 1, 1),
        "education_level": "higher",
        "pedagogical_education": True,
        "category": "none",
        "category_date": None,
        "last_training_date": None,
        "ict_training": False,
        "ped_experience_years": 10.0,
        "total_experience_years": None,
        "subject": None,
        "batch_id": f"b-staff-{inst_id}-{period[:4]}",
    }
    row.update(values)
    if "category_valid_until" in values:
        row["category_valid_until_given"] = True
    else:
        row["category_valid_until"] = derived_valid_until(row["category"], row["category_date"])
        row["category_valid_until_given"] = False
    return row


def ict(period: str, inst_id: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "period": period,
        "inst_id": inst_id,
        "students": 100,
        "computers_total": 10,
        "computers_learning": 10,
        "computers_internet": 10,
        "computers_learning_internet": 10,
        "classrooms_total": 10,
        "classrooms_workstation": 10,
        "interactive_boards": 1,
        "internet_speed_mbps": 100.0,
        "e_journal": True,
        "distance_learning": True,
        "batch_id": f"b-ict-{inst_id}-{period[:4]}",
    }
    row.update(values)
    return row


def innovation(
    period: str, inst_id: str, record_id: str, activity_type: str, level: str = "institution", **values: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "period": period,
        "inst_id": inst_id,
        "record_id": record_id,
        "activity_type": activity_type,
        "level": level,
        "title": f"Запись {record_id}",
        "event_date": None,
        "participants": 1,
        "result": None,
        "staff_id": None,
        "batch_id": f"b-innovation-{inst_id}-{period[:4]}",
    }
    row.update(values)
    return row


def indicator_row(
    con: duckdb.DuckDBPyConnection,
    code: str,
    level: str,
    *,
    period: str = "2024/2025",
    inst_id: str | None = None,
    municipality: str | None = None,
    inst_type: str | None = None,
) -> tuple[float | None, float | None, float | None]:
    """(numerator, denominator, value) of exactly one row of mart.indicator_values."""
    rows = con.execute(
        """
        SELECT numerator, denominator, value
        FROM mart.indicator_values
        WHERE period = ? AND indicator_code = ? AND level = ?
          AND inst_id IS NOT DISTINCT FROM ?
          AND municipality IS NOT DISTINCT FROM ?
          AND (? IS NULL OR inst_type = ?)
        """,
        [period, code, level, inst_id, municipality, inst_type, inst_type],
    ).fetchall()
    assert len(rows) == 1, f"{code} {level} {inst_id} {municipality} {inst_type}: {rows}"
    numerator, denominator, value = rows[0]
    return numerator, denominator, value


def inst_value(con: duckdb.DuckDBPyConnection, code: str, inst_id: str, period: str = "2024/2025") -> Any:
    """(numerator, denominator, value) of an institution row; municipality is the institution's own."""
    rows = con.execute(
        """
        SELECT numerator, denominator, value
        FROM mart.indicator_values
        WHERE period = ? AND indicator_code = ? AND level = 'institution' AND inst_id = ?
        """,
        [period, code, inst_id],
    ).fetchall()
    assert len(rows) == 1, f"{code} {inst_id}: {rows}"
    return rows[0]

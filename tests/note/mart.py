"""What a number of a note should read, recomputed from the warehouse with the tests' own SQL.

A note's `Num` says which mart row (or which count) it prints; this module looks that up directly in the
DuckDB file — not through the query layer the note uses — and prints it with the dashboards' formats
(ru/fmt.py). A note is right when every `Num.text` equals `expected_text(con, num.ref)`.
"""

from __future__ import annotations

from typing import Any

import duckdb

from reports.note import Point, Ref
from ru import fmt

DATASET_TABLES = {
    "staff": "core.staff",
    "ict": "core.ict",
    "innovation": "core.innovation",
    "exam_results": "core.exam_results",
    "vpr_results": "core.vpr_results",
    "olympiad": "core.olympiad",
}


def catalog_row(con: duckdb.DuckDBPyConnection, code: str) -> tuple[str, float | None, str]:
    row = con.execute(
        "SELECT unit, target, direction FROM mart.indicator_catalog WHERE indicator_code = ?", [code]
    ).fetchone()
    assert row is not None, code
    return row[0], row[1], row[2]


def mart_value(con: duckdb.DuckDBPyConnection, point: Point) -> float | None:
    rows = con.execute(
        """
        SELECT value FROM mart.indicator_values
        WHERE indicator_code = ? AND period = ? AND level = ? AND inst_type = ?
          AND municipality IS NOT DISTINCT FROM ? AND inst_id IS NOT DISTINCT FROM ?
          AND subject IS NOT DISTINCT FROM ? AND grade IS NOT DISTINCT FROM ?
        """,
        [
            point.code,
            point.period,
            point.level,
            point.inst_type,
            point.municipality,
            point.inst_id,
            point.subject,
            point.grade,
        ],
    ).fetchall()
    assert len(rows) == 1, f"{point}: {len(rows)} rows in mart.indicator_values"
    return rows[0][0]


def _scope(prefix: str = "i") -> str:
    return (
        f"(?::VARCHAR IS NULL OR {prefix}.municipality = ?) AND (?::VARCHAR IS NULL OR {prefix}.inst_type = ?) "
        f"AND (?::VARCHAR IS NULL OR {prefix}.inst_id = ?)"
    )


def _pairs(*values: Any) -> list[Any]:
    out: list[Any] = []
    for v in values:
        out += [v, v]
    return out


def count(con: duckdb.DuckDBPyConnection, what: str, args: tuple[Any, ...]) -> int:
    if what == "registry":
        mun, inst_type, inst_id = args
        sql = f"SELECT count(*) FROM core.institutions i WHERE {_scope()}"
        return con.execute(sql, _pairs(mun, inst_type, inst_id)).fetchone()[0]
    if what == "submitted":
        dataset, period, mun, inst_type, inst_id = args
        table = DATASET_TABLES[dataset]
        sql = (
            f"SELECT count(DISTINCT d.inst_id) FROM {table} d JOIN core.institutions i USING (inst_id) "
            f"WHERE d.period = ? AND {_scope()}"
        )
        return con.execute(sql, [period, *_pairs(mun, inst_type, inst_id)]).fetchone()[0]
    if what in ("above", "below"):
        code, period, mun, inst_type = args
        op = ">" if what == "above" else "<"
        sql = f"""
            SELECT count(*) FROM mart.indicator_values i
            JOIN mart.indicator_values a
              ON a.level = 'municipality' AND a.municipality = i.municipality AND a.inst_type = i.inst_type
             AND a.period = i.period AND a.indicator_code = i.indicator_code
            WHERE i.level = 'institution' AND i.indicator_code = ? AND i.period = ? AND i.municipality = ?
              AND (?::VARCHAR IS NULL OR i.inst_type = ?) AND i.value {op} a.value
        """
        return con.execute(sql, [code, period, mun, inst_type, inst_type]).fetchone()[0]
    if what == "target_missed":
        code, period, mun, inst_type = args
        _, target, direction = catalog_row(con, code)
        op = ">" if direction == "down" else "<"
        sql = f"""
            SELECT count(*) FROM mart.indicator_values i
            WHERE i.level = 'institution' AND i.indicator_code = ? AND i.period = ? AND i.municipality = ?
              AND (?::VARCHAR IS NULL OR i.inst_type = ?) AND i.value {op} ?
        """
        return con.execute(sql, [code, period, mun, inst_type, inst_type, target]).fetchone()[0]
    if what == "quarantined":
        period, mun, inst_type, inst_id = args
        sql = f"""
            SELECT count(*) FROM (
                SELECT DISTINCT q.batch_id, q.source_file, q.row_number
                FROM dq.quarantine q JOIN core.institutions i USING (inst_id)
                WHERE q.period = ? AND {_scope()}
            )
        """
        return con.execute(sql, [period, *_pairs(mun, inst_type, inst_id)]).fetchone()[0]
    if what == "unknown_institution":
        (period,) = args
        sql = """
            SELECT count(*) FROM (
                SELECT DISTINCT batch_id, source_file, row_number FROM dq.quarantine
                WHERE period = ? AND (inst_id IS NULL OR inst_id NOT IN (SELECT inst_id FROM core.institutions))
            )
        """
        return con.execute(sql, [period]).fetchone()[0]
    if what == "warnings":
        period, mun, inst_type, inst_id = args
        sql = f"""
            SELECT count(*) FROM dq.warnings w JOIN core.institutions i USING (inst_id)
            WHERE w.period = ? AND {_scope()}
        """
        return con.execute(sql, [period, *_pairs(mun, inst_type, inst_id)]).fetchone()[0]
    if what in ("young", "young_with_mentor", "young_without_mentor"):
        period, mun, inst_type, inst_id = args
        # a mentor counts when they are a person of P of the same institution and period
        has_mentor = """EXISTS (SELECT 1 FROM mart.staff_person m WHERE m.period = s.period
                        AND m.inst_id = s.inst_id AND m.staff_id = s.mentor_staff_id)"""
        condition = {
            "young": "TRUE",
            "young_with_mentor": has_mentor,
            "young_without_mentor": f"NOT {has_mentor}",
        }
        sql = f"""
            SELECT count(*) FROM mart.staff_person s JOIN core.institutions i USING (inst_id)
            WHERE s.period = ? AND s.is_young_specialist AND {condition[what]} AND {_scope()}
        """
        return con.execute(sql, [period, *_pairs(mun, inst_type, inst_id)]).fetchone()[0]
    if what == "need_people":
        period, mun, inst_type, inst_id, need, form = args
        # people of P who named the need (in the form, when one is given); a needs row without a staff row
        # counts nowhere
        sql = f"""
            SELECT count(DISTINCT (n.inst_id, n.staff_id)) FROM core.staff_needs n
            JOIN mart.staff_person s ON s.period = n.period AND s.inst_id = n.inst_id AND s.staff_id = n.staff_id
            JOIN core.institutions i ON i.inst_id = n.inst_id
            WHERE n.period = ? AND n.need = ? AND (?::VARCHAR IS NULL OR n.form = ?) AND {_scope()}
        """
        return con.execute(sql, [period, need, form, form, *_pairs(mun, inst_type, inst_id)]).fetchone()[0]
    raise AssertionError(f"unknown count {what!r}")


def flag_message(con: duckdb.DuckDBPyConnection, args: tuple[Any, ...]) -> str:
    """The message of one mart.result_flags row: args = (period, inst_id, flag, subject, grade)."""
    rows = con.execute(
        """
        SELECT message_ru FROM mart.result_flags
        WHERE period = ? AND inst_id = ? AND flag = ?
          AND subject IS NOT DISTINCT FROM ? AND grade IS NOT DISTINCT FROM ?
        """,
        list(args),
    ).fetchall()
    assert len(rows) == 1, f"{args}: {len(rows)} rows in mart.result_flags"
    return rows[0][0]


def expected_text(con: duckdb.DuckDBPyConnection, ref: Ref) -> str:
    """The text a number with this reference must have: the mart's value as the dashboards print it."""
    if ref.kind == "flag":
        return flag_message(con, ref.args)
    if ref.kind == "count":
        return fmt.integer(count(con, ref.what, ref.args))
    if ref.kind == "target":
        unit, target, _ = catalog_row(con, ref.what)
        return fmt.value(target, unit)
    assert ref.point is not None
    unit, _, _ = catalog_row(con, ref.point.code)
    if ref.kind == "value":
        return fmt.value(mart_value(con, ref.point), unit)
    if ref.kind == "number":
        value = mart_value(con, ref.point)
        return fmt.number(value, fmt.decimals_for(value, unit))
    if ref.kind == "delta":
        assert ref.base is not None
        text = fmt.delta(mart_value(con, ref.point), mart_value(con, ref.base), unit)
        assert text is not None
        bare = text.removesuffix(fmt.unit_suffix(unit, 1)).removesuffix(fmt.unit_suffix(unit))
        return bare if ref.what == "bare" else text
    raise AssertionError(f"unknown reference kind {ref.kind!r}")

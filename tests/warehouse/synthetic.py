"""A synthetic warehouse of any size, generated in SQL: for timing the build and for invariant checks.

Not realistic data (the demo generator in etl/ is): random values within the contract's ranges, enough to
exercise every branch of the models at region or country scale in a second or two.
"""

from __future__ import annotations

import duckdb

_INSTITUTIONS = """
INSERT INTO core.institutions (inst_id, name, short_name, inst_type, municipality, locality, address, batch_id)
SELECT
    'I' || lpad(CAST(i AS VARCHAR), 6, '0'),
    'Организация ' || i,
    'ОО ' || i,
    CASE WHEN i % 10 < 5 THEN 'school' WHEN i % 10 < 8 THEN 'preschool' ELSE 'additional' END,
    'Муниципалитет ' || (i % $municipalities),
    CASE WHEN i % 3 = 0 THEN 'rural' ELSE 'urban' END,
    NULL,
    'B-registry'
FROM range($institutions) AS t (i)
"""

_STAFF = """
INSERT INTO core.staff
SELECT
    p.period,
    'I' || lpad(CAST(s // $staff_per_inst AS VARCHAR), 6, '0') AS inst_id,
    'S' || s AS staff_id,
    NULL AS full_name,
    CASE WHEN s % $staff_per_inst = 0 THEN 'head' WHEN s % 17 = 0 THEN 'deputy_head' ELSE 'teacher' END,
    CASE WHEN s % 23 = 0 THEN 'external' WHEN s % 11 = 0 THEN 'internal' ELSE 'main' END,
    CASE WHEN s % 5 = 0 THEN 'М' ELSE 'Ж' END,
    DATE '1955-01-01' + CAST(floor(random() * 17000) AS INTEGER) AS birth_date,
    CASE WHEN random() < 0.8 THEN 'higher' ELSE 'secondary_vocational' END,
    random() < 0.85,
    c.category,
    c.category_date,
    CASE
        WHEN c.category IN ('highest', 'first') AND c.category_date < DATE '2023-09-01'
            THEN CAST(c.category_date + INTERVAL 5 YEAR AS DATE)
    END AS category_valid_until,
    FALSE,
    CASE WHEN random() < 0.9 THEN DATE '2018-01-01' + CAST(floor(random() * 2300) AS INTEGER) END,
    random() < 0.6,
    floor(random() * 40),
    NULL,
    NULL,
    'B-staff-' || p.period,
    NULL AS mentor_staff_id
FROM range($institutions * $staff_per_inst) AS t (s)
CROSS JOIN (SELECT unnest($periods) AS period) AS p
CROSS JOIN LATERAL (
    SELECT
        CASE CAST(floor(random() * 6) AS INTEGER)
            WHEN 0 THEN 'highest' WHEN 1 THEN 'first' WHEN 2 THEN 'compliance' WHEN 3 THEN 'none'
            WHEN 4 THEN 'first' ELSE 'highest'
        END AS category,
        DATE '2016-01-01' + CAST(floor(random() * 2800) AS INTEGER) AS category_date
) AS c
"""

_ICT = """
INSERT INTO core.ict
SELECT
    p.period,
    'I' || lpad(CAST(i AS VARCHAR), 6, '0'),
    students,
    computers_total,
    computers_learning,
    least(computers_internet, computers_total),
    least(computers_learning, computers_internet),
    classrooms_total,
    CAST(floor(random() * (classrooms_total + 1)) AS BIGINT),
    CAST(floor(random() * 30) AS BIGINT),
    CAST(floor(random() * 200) AS DOUBLE),
    random() < 0.9,
    random() < 0.5,
    'B-ict-' || p.period
FROM range($institutions) AS t (i)
CROSS JOIN (SELECT unnest($periods) AS period) AS p
CROSS JOIN LATERAL (
    SELECT
        CAST(100 + floor(random() * 900) AS BIGINT) AS students,
        CAST(10 + floor(random() * 100) AS BIGINT) AS computers_total,
        CAST(floor(random() * 10) AS BIGINT) AS classrooms_extra
) AS base
CROSS JOIN LATERAL (
    SELECT
        CAST(floor(base.computers_total * 0.7) AS BIGINT) AS computers_learning,
        CAST(floor(base.computers_total * 0.9) AS BIGINT) AS computers_internet,
        CAST(10 + base.classrooms_extra AS BIGINT) AS classrooms_total
) AS derived
WHERE i % 50 <> 7  -- a few institutions never send ict rows (missing submissions)
"""

_INNOVATION = """
INSERT INTO core.innovation
SELECT
    p.period,
    'I' || lpad(CAST(r // 5 AS VARCHAR), 6, '0'),
    'R' || r,
    (['innovation_site', 'project', 'event', 'staff_contest', 'student_contest', 'publication'])[
        1 + CAST(floor(random() * 6) AS INTEGER)
    ] AS activity_type,
    (['institution', 'municipal', 'regional', 'federal', 'international'])[1 + CAST(floor(random() * 5) AS INTEGER)],
    'Запись ' || r,
    NULL,
    1 + CAST(floor(random() * 5) AS BIGINT),
    NULL,
    NULL,
    'B-innovation-' || p.period
FROM range($institutions * 5) AS t (r)
CROSS JOIN (SELECT unnest($periods) AS period) AS p
WHERE r % 3 <> 0
"""

_INNOVATION_RESULTS = """
UPDATE core.innovation
SET result = (['participant', 'prize_winner', 'winner'])[1 + CAST(floor(random() * 3) AS INTEGER)]
WHERE activity_type IN ('staff_contest', 'student_contest')
"""


def fill_synthetic(
    con: duckdb.DuckDBPyConnection,
    *,
    institutions: int = 1000,
    staff_per_inst: int = 30,
    periods: tuple[str, ...] = ("2020/2021", "2021/2022", "2022/2023", "2023/2024", "2024/2025"),
    municipalities: int = 35,
    seed: float = 0.42,
) -> None:
    """Insert synthetic core rows (the schema must be applied). Region scale by default."""
    con.execute("SELECT setseed(?)", [seed])
    params = {
        "institutions": institutions,
        "staff_per_inst": staff_per_inst,
        "periods": list(periods),
        "municipalities": municipalities,
    }
    con.execute(_INSTITUTIONS, {k: params[k] for k in ("institutions", "municipalities")})
    con.execute(_STAFF, {k: params[k] for k in ("institutions", "staff_per_inst", "periods")})
    con.execute(_ICT, {k: params[k] for k in ("institutions", "periods")})
    con.execute(_INNOVATION, {k: params[k] for k in ("institutions", "periods")})
    con.execute(_INNOVATION_RESULTS)

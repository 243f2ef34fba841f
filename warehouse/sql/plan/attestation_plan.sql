-- The attestation plan (перспективный план аттестации): for each of the next five years from D (year k is
-- [D + k years, D + k + 1 years), k = 0 … 4) how many people of P have a highest or first category whose
-- validity (given or derived: pre-01.09.2023 categories run five years, later ones are indefinite) ends in
-- it, by institution; year_index -1 counts the lapsed ones (validity ended before D), listed first.
-- Counts only: no person-level data.
WITH {% include "common/_scope_institutions.sql" %},

persons AS (
    SELECT
        s.inst_id,
        i.short_name,
        s.category_valid_until AS v,
        s.reporting_date AS d,
        s.category_lapsed
    FROM mart.staff_person AS s
    JOIN scope_institutions AS i ON i.inst_id = s.inst_id
    WHERE s.period = $period AND s.category IN ('highest', 'first') AND s.category_valid_until IS NOT NULL
),

indexed AS (
    SELECT
        inst_id,
        short_name,
        d,
        CASE
            WHEN category_lapsed THEN -1
            WHEN v < CAST(d + to_years(1) AS DATE) THEN 0
            WHEN v < CAST(d + to_years(2) AS DATE) THEN 1
            WHEN v < CAST(d + to_years(3) AS DATE) THEN 2
            WHEN v < CAST(d + to_years(4) AS DATE) THEN 3
            WHEN v < CAST(d + to_years(5) AS DATE) THEN 4
        END AS year_index
    FROM persons
),

final AS (
    SELECT
        inst_id,
        short_name,
        year_index,
        -- the first day of the planning year (NULL for the lapsed)
        CASE WHEN year_index >= 0 THEN CAST(d + to_years(year_index) AS DATE) END AS year_start,
        count(*) AS people
    FROM indexed
    WHERE year_index IS NOT NULL
    GROUP BY inst_id, short_name, year_index, d
)

SELECT * FROM final
ORDER BY year_index, short_name

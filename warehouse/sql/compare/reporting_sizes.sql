-- Reporting institutions of $period (optionally one type, one municipality) with their size: the pupils of
-- the period's ict form, else of the latest earlier one (`size_period` says which; NULL = never sent).
WITH {% include "common/_scope_institutions.sql" %},

reporting AS (
    -- an institution that sent nothing this period has no values and does not move the bands
    SELECT DISTINCT inst_id FROM mart.indicator_values WHERE level = 'institution' AND period = $period
),

pupils AS (
    -- the period's pupil count, else the latest earlier one (the ict form skipped this year)
    SELECT inst_id, arg_max(students, period) AS students, max(period) AS size_period
    FROM core.ict
    WHERE period <= $period
    GROUP BY inst_id
),

final AS (
    SELECT i.inst_id, i.short_name, i.inst_type, i.municipality, p.students, p.size_period
    FROM scope_institutions AS i
    JOIN reporting AS r USING (inst_id)
    LEFT JOIN pupils AS p USING (inst_id)
)

SELECT * FROM final ORDER BY inst_type, municipality, inst_id

-- Institution-level results values of $codes in $period for the institutions of a scope, with the subject and
-- grade breakdown (indicators.md, «Results»). The small-group rule is applied on this frame by the query
-- function (warehouse/small_groups.py), never in the page.
WITH {% include "common/_scope_institutions.sql" %},

vals AS (
    SELECT period, inst_id, indicator_code, subject, grade, numerator, denominator, value
    FROM mart.indicator_values
    WHERE level = 'institution' AND period = $period AND list_contains($codes::VARCHAR[], indicator_code)
),

final AS (
    SELECT
        vals.period,
        vals.inst_id,
        scope_institutions.short_name,
        scope_institutions.inst_type,
        scope_institutions.municipality,
        vals.indicator_code,
        vals.subject,
        vals.grade,
        vals.numerator,
        vals.denominator,
        vals.value
    FROM vals
    INNER JOIN scope_institutions USING (inst_id)
)

SELECT * FROM final ORDER BY municipality, short_name, indicator_code, subject, grade

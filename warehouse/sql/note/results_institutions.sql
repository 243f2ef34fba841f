-- The results indicators of every institution of the scope in $periods, with the institution's short name
-- (the note names schools by subject). Only institutions with results rows appear: an indicator is published
-- only where the institution has rows of its dataset.
WITH {% include "common/_scope_institutions.sql" %},

vals AS (
    SELECT period, inst_id, indicator_code, subject, grade, numerator, denominator, value
    FROM mart.indicator_values
    WHERE level = 'institution' AND list_contains($periods::VARCHAR[], period)
      AND list_contains($codes::VARCHAR[], indicator_code)
),

final AS (
    SELECT vals.period, inst.inst_id, inst.short_name, inst.inst_type, inst.municipality,
           vals.indicator_code, vals.subject, vals.grade, vals.numerator, vals.denominator, vals.value
    FROM scope_institutions AS inst JOIN vals USING (inst_id)
)

SELECT * FROM final ORDER BY period, indicator_code, subject, grade, short_name, inst_id

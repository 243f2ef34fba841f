-- The chosen institutions $inst_ids, in the order the user chose them, with their values of $codes in
-- $period (long format, as dashboards/institution_values: a row with NULL code for one without values).
WITH inst AS (
    SELECT inst_id, short_name, name, inst_type, municipality, locality
    FROM core.institutions WHERE list_contains($inst_ids::VARCHAR[], inst_id)
),

vals AS (
    -- the results area's whole-school rows (subject 'all'); subject and grade are read for the small-group rule
    SELECT period, inst_id, indicator_code, subject, grade, numerator, denominator, value
    FROM mart.indicator_values
    WHERE level = 'institution' AND period = $period AND list_contains($codes::VARCHAR[], indicator_code)
      AND list_contains($inst_ids::VARCHAR[], inst_id)
      AND (subject IS NULL OR subject = 'all') AND grade IS NULL
),

final AS (
    SELECT inst.*, vals.period, vals.indicator_code, vals.subject, vals.grade, vals.numerator, vals.denominator,
           vals.value
    FROM inst LEFT JOIN vals USING (inst_id)
)

SELECT * FROM final
-- the order the user chose them in
ORDER BY list_position($inst_ids::VARCHAR[], inst_id), indicator_code

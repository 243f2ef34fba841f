-- The results indicators' aggregate rows of one scope over $periods: $level is `municipality` (the rows of
-- $municipality) or `region`; $inst_type a type or `all`. Every subject and grade row is kept (the note speaks
-- of subjects one by one).
WITH aggregates AS (
    SELECT period, level, municipality, inst_type, indicator_code, subject, grade, numerator, denominator, value
    FROM mart.indicator_values
    WHERE level = $level AND inst_type = $inst_type AND list_contains($periods::VARCHAR[], period)
      AND list_contains($codes::VARCHAR[], indicator_code)
),

final AS (
    SELECT * FROM aggregates WHERE ($level = 'region' OR municipality = $municipality)
)

SELECT * FROM final ORDER BY period, indicator_code, subject, grade

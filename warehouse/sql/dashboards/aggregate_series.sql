-- The aggregate values of $codes over every period for one scope: $level is `municipality` (the row of
-- $municipality) or `region` (then no municipality is matched); $inst_type is a type or `all`. One row per
-- period and indicator: the results area gives its row over all subjects (`subject = 'all'`), not the
-- rows per subject or grade.
WITH aggregates AS (
    SELECT period, indicator_code, numerator, denominator, value, level, municipality, inst_type
    FROM mart.indicator_values
    WHERE level = $level AND inst_type = $inst_type
      AND (subject IS NULL OR subject = 'all') AND grade IS NULL
),

final AS (
    SELECT period, indicator_code, numerator, denominator, value
    FROM aggregates
    WHERE ($level = 'region' OR municipality = $municipality)
      AND list_contains($codes::VARCHAR[], indicator_code)
)

SELECT * FROM final ORDER BY period, indicator_code

-- One institution's values of $codes over every period (the same columns as aggregate_series: the results
-- area's whole-school rows, `subject = 'all'`).
WITH vals AS (
    SELECT period, indicator_code, numerator, denominator, value
    FROM mart.indicator_values
    WHERE level = 'institution' AND inst_id = $inst_id
      AND (subject IS NULL OR subject = 'all') AND grade IS NULL
),

final AS (
    SELECT * FROM vals WHERE list_contains($codes::VARCHAR[], indicator_code)
)

SELECT * FROM final ORDER BY period, indicator_code

-- Each municipality's aggregate values of $codes in $period for $inst_type (a type or `all`), long format.
WITH aggregates AS (
    SELECT municipality, indicator_code, numerator, denominator, value
    FROM mart.indicator_values
    WHERE level = 'municipality' AND period = $period AND inst_type = $inst_type
),

final AS (
    SELECT * FROM aggregates WHERE list_contains($codes::VARCHAR[], indicator_code)
)

SELECT * FROM final ORDER BY municipality, indicator_code

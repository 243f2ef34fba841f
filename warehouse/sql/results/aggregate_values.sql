-- Aggregate results values of $codes over every period, with their breakdown: the rows of the scope
-- ($level `municipality` for $municipality, or `region`) and, for comparison, the region's rows. Aggregates are
-- never masked (the small-group rule is for one institution's results).
WITH aggregates AS (
    SELECT period, level, municipality, indicator_code, subject, grade, numerator, denominator, value
    FROM mart.indicator_values
    WHERE level IN ('municipality', 'region') AND inst_type = $inst_type
      AND list_contains($codes::VARCHAR[], indicator_code)
),

final AS (
    SELECT
        *,
        -- `scope`: the rows the page is about; `region`: what it is compared with
        CASE WHEN level = $level AND ($level = 'region' OR municipality = $municipality) THEN 'scope'
            ELSE 'region' END AS role
    FROM aggregates
    WHERE (level = $level AND ($level = 'region' OR municipality = $municipality)) OR level = 'region'
)

SELECT * FROM final ORDER BY period, indicator_code, subject, grade, role

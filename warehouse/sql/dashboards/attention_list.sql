-- Institutions furthest below the scope on $codes, worst first, at most $limit of them.
-- Each institution is compared with the scope's value for institutions of its own type (a kindergarten with
-- the city's kindergartens): $level is `municipality` ($municipality's row) or `region`.
WITH cat AS (
    -- only indicators with a direction: a count without one is a size, not a quality
    SELECT indicator_code, direction FROM mart.indicator_catalog
    WHERE direction IN ('up', 'down') AND list_contains($codes::VARCHAR[], indicator_code)
),

agg AS (
    -- a count has no denominator: its aggregate is a total, which no institution compares with
    SELECT inst_type, indicator_code, value AS scope_value
    FROM mart.indicator_values
    WHERE level = $level AND period = $period AND ($municipality::VARCHAR IS NULL OR municipality = $municipality)
      AND denominator IS NOT NULL AND value IS NOT NULL
),

inst AS (
    SELECT v.inst_id, v.inst_type, v.indicator_code, v.value
    FROM mart.indicator_values AS v
    WHERE v.level = 'institution' AND v.period = $period AND v.value IS NOT NULL
      AND ($municipality::VARCHAR IS NULL OR v.municipality = $municipality)
      AND ($inst_type::VARCHAR IS NULL OR v.inst_type = $inst_type)
),

gaps AS (
    -- the shortfall is in the indicator's unit (percentage points for shares), positive = worse
    SELECT inst.inst_id, inst.inst_type, inst.indicator_code, inst.value, agg.scope_value,
           CASE cat.direction WHEN 'up' THEN agg.scope_value - inst.value
                              ELSE inst.value - agg.scope_value END AS shortfall
    FROM inst
    JOIN cat USING (indicator_code)
    JOIN agg ON agg.inst_type = inst.inst_type AND agg.indicator_code = inst.indicator_code
),

ranked AS (
    -- units differ between indicators: an institution is ranked by its largest relative shortfall
    SELECT *,
           shortfall / nullif(abs(scope_value), 0) AS relative_shortfall,
           count(*) OVER (PARTITION BY inst_id) AS indicators_below,
           row_number() OVER (PARTITION BY inst_id
                              ORDER BY shortfall / nullif(abs(scope_value), 0) DESC NULLS LAST,
                                       indicator_code) AS rn
    FROM gaps
    WHERE shortfall > 0
),

final AS (
    SELECT r.inst_id, i.short_name, r.inst_type, i.municipality, r.indicator_code, r.value,
           r.scope_value, r.shortfall, r.relative_shortfall, r.indicators_below
    FROM ranked AS r JOIN core.institutions AS i USING (inst_id)
    WHERE r.rn = 1
)

SELECT * FROM final
ORDER BY relative_shortfall DESC NULLS LAST, indicators_below DESC, short_name
LIMIT $limit

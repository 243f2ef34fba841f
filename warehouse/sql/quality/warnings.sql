-- dq.warnings of $period for the scope's institutions (optionally one $rule), in the page's order of rules.
-- A warning whose institution is not in the registry is kept when no municipality or type is chosen.
WITH scoped AS (
    SELECT w.period, w.dataset, w.inst_id, i.short_name, i.inst_type, i.municipality, w.rule,
           w.message_ru, w.batch_id
    FROM dq.warnings AS w
    LEFT JOIN core.institutions AS i ON i.inst_id = w.inst_id
    WHERE w.period = $period
      AND ($municipality::VARCHAR IS NULL OR i.municipality = $municipality)
      AND ($inst_type::VARCHAR IS NULL OR i.inst_type = $inst_type)
),

final AS (
    SELECT * FROM scoped WHERE $rule::VARCHAR IS NULL OR rule = $rule
)

SELECT * FROM final
ORDER BY CASE rule WHEN 'missing_submission' THEN 1 WHEN 'yoy_change' THEN 2 WHEN 'outlier_mad' THEN 3 WHEN 'mentor_unknown' THEN 4 ELSE 5 END,
         short_name, inst_id, dataset, message_ru

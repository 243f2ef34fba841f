-- The ЕГЭ minimum scores the marts apply (warehouse/settings.py): one row per subject with the score of
-- meta.settings, and one per period that overrides it (meta.period_settings); `period` NULL on the first.
WITH general AS (
    SELECT NULL::VARCHAR AS period, key, value FROM meta.settings WHERE starts_with(key, $prefix)
),

overrides AS (
    SELECT period, key, value FROM meta.period_settings WHERE starts_with(key, $prefix)
),

final AS (
    SELECT period, substr(key, length($prefix) + 1) AS subject, value FROM general
    UNION ALL
    SELECT period, substr(key, length($prefix) + 1) AS subject, value FROM overrides
)

SELECT * FROM final ORDER BY subject, period NULLS FIRST

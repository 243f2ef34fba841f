-- Every setting as it applies to each period that has data: the value of meta.period_settings for that
-- period when there is one (e.g. a year whose ЕГЭ minimum score of a subject changed), else meta.settings.
-- build_marts() fills meta.settings with every default key first, so every (period, key) has a value.
WITH settings AS (
    SELECT key, value FROM meta.settings
),

overrides AS (
    SELECT period, key, value FROM meta.period_settings
),

periods AS (
    SELECT period FROM core.staff
    UNION
    SELECT period FROM core.ict
    UNION
    SELECT period FROM core.innovation
    UNION
    SELECT period FROM core.exam_results
    UNION
    SELECT period FROM core.vpr_results
    UNION
    SELECT period FROM core.olympiad
    UNION
    SELECT period FROM overrides
),

final AS (
    SELECT
        periods.period,
        settings.key,
        coalesce(overrides.value, settings.value) AS value
    FROM periods
    CROSS JOIN settings
    LEFT JOIN overrides ON overrides.period = periods.period AND overrides.key = settings.key
)

SELECT * FROM final

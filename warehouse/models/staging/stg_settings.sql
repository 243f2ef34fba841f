-- The methodology settings of meta.settings (written by warehouse/settings.py) as one typed row, so that
-- every model reads the same reporting date, targets and thresholds as the Python code. build_marts()
-- fills in any missing key with its default before the models run, so no column here is NULL.
WITH settings AS (
    SELECT key, value FROM meta.settings
),

final AS (
    SELECT
        -- reporting date (дата среза) of period YYYY/YYYY+1 is this month-day of YYYY, e.g. '09-20'
        CAST(split_part(max(value) FILTER (WHERE key = 'report_month_day'), '-', 1) AS INTEGER)
            AS report_month,
        CAST(split_part(max(value) FILTER (WHERE key = 'report_month_day'), '-', 2) AS INTEGER)
            AS report_day,
        CAST(max(value) FILTER (WHERE key = 'speed_target_urban_mbps') AS DOUBLE) AS speed_target_urban_mbps,
        CAST(max(value) FILTER (WHERE key = 'speed_target_rural_mbps') AS DOUBLE) AS speed_target_rural_mbps,
        CAST(max(value) FILTER (WHERE key = 'young_specialist_max_age') AS DOUBLE)
            AS young_specialist_max_age,
        CAST(max(value) FILTER (WHERE key = 'young_specialist_max_experience') AS DOUBLE)
            AS young_specialist_max_experience,
        CAST(max(value) FILTER (WHERE key = 'training_interval_years') AS INTEGER) AS training_interval_years,
        CAST(max(value) FILTER (WHERE key = 'yoy_warning_share') AS DOUBLE) AS yoy_warning_share,
        CAST(max(value) FILTER (WHERE key = 'outlier_z') AS DOUBLE) AS outlier_z
    FROM settings
)

SELECT * FROM final

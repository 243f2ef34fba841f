-- Every period that has data, with its reporting date D and the date windows the indicators use.
-- D = make_date(first year of the period, month, day of the `report_month_day` setting).
WITH staff_periods AS (
    SELECT DISTINCT period FROM core.staff
),

ict_periods AS (
    SELECT DISTINCT period FROM core.ict
),

innovation_periods AS (
    SELECT DISTINCT period FROM core.innovation
),

settings AS (
    SELECT * FROM staging.stg_settings
),

periods AS (
    SELECT period FROM staff_periods
    UNION
    SELECT period FROM ict_periods
    UNION
    SELECT period FROM innovation_periods
),

dated AS (
    SELECT
        periods.period,
        CAST(left(periods.period, 4) AS INTEGER) AS first_year,
        make_date(CAST(left(periods.period, 4) AS INTEGER), settings.report_month, settings.report_day)
            AS reporting_date,
        settings.training_interval_years
    FROM periods
    CROSS JOIN settings
),

final AS (
    SELECT
        period,
        first_year,
        -- the period a year earlier, e.g. 2023/2024 for 2024/2025 (year-on-year warnings)
        CAST(first_year - 1 AS VARCHAR) || '/' || CAST(first_year AS VARCHAR) AS previous_period,
        reporting_date,
        -- "within the last N years" is the half-open window (D − N years, D]
        CAST(reporting_date - to_years(training_interval_years) AS DATE) AS training_window_start,
        -- "within the next 12 months" is [D, D + 1 year)
        CAST(reporting_date + INTERVAL 1 YEAR AS DATE) AS next_year_end
    FROM dated
)

SELECT * FROM final

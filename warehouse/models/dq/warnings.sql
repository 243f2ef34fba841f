-- The data-quality warnings the warehouse can compute (data contract, "Warnings"). They never block a load;
-- the data-quality page shows them. Four rules:
--   yoy_change          an institution's pedagogical staff |P| or pupils changed by more than the
--                       `yoy_warning_share` setting (33 %) against the previous period
--   outlier_mad         an institution's ratio is an outlier among institutions of the same type in the
--                       period: |0.6745 · (x − median) / MAD| > `outlier_z` (3.5); the catalogue marks
--                       which ratios are checked (outlier_check); skipped when MAD = 0
--   missing_submission  an institution of the registry has no staff or no ict rows for the latest period
--   mentor_unknown      a staff row names a mentor (mentor_staff_id) who is not a pedagogical worker of the
--                       same institution and period: the row is loaded, the mentor does not count
-- All but outlier_mad look at one institution's own rows: when a load recomputes some institutions only
-- (staging.in_scope), their sources are restricted to them; the outliers are always computed over the period,
-- and only the periods it recomputes and the ones before them are read (staging.in_periods).
WITH settings AS (
    SELECT * FROM staging.stg_settings
),

periods AS (
    SELECT period, previous_period FROM staging.stg_periods
),

catalog AS (
    SELECT indicator_code, name_ru, area, unit, outlier_check FROM mart.indicator_catalog
),

institution_values AS (
    SELECT period, inst_type, inst_id, indicator_code, numerator, value
    FROM mart.indicator_values
    WHERE level = 'institution' AND staging.in_periods(period)
),

batches AS (
    -- the batch that brought an institution's rows of a dataset and period (rows are replaced per
    -- institution and period, so there is normally one)
    SELECT 'staff' AS dataset, period, inst_id, max(batch_id) AS batch_id
    FROM core.staff
    WHERE staging.in_periods(period)
    GROUP BY period, inst_id
    UNION ALL
    SELECT 'ict' AS dataset, period, inst_id, max(batch_id) AS batch_id
    FROM core.ict
    WHERE staging.in_periods(period)
    GROUP BY period, inst_id
    UNION ALL
    SELECT 'innovation' AS dataset, period, inst_id, max(batch_id) AS batch_id
    FROM core.innovation
    WHERE staging.in_periods(period)
    GROUP BY period, inst_id
),

-- (a) year-on-year jumps --------------------------------------------------------------------------------
sizes AS (
    SELECT
        'staff' AS dataset,
        period,
        inst_id,
        numerator AS size,
        'Численность педагогических работников' AS measure_ru
    FROM institution_values
    WHERE indicator_code = 'STAFF_COUNT' AND staging.in_scope(period, inst_id)
    UNION ALL
    SELECT
        'ict' AS dataset,
        period,
        inst_id,
        CAST(students AS DOUBLE) AS size,
        'Численность обучающихся (воспитанников)' AS measure_ru
    FROM core.ict
    WHERE staging.in_scope(period, inst_id)
),

yoy AS (
    SELECT
        this_year.dataset,
        this_year.period,
        this_year.inst_id,
        this_year.measure_ru,
        periods.previous_period,
        last_year.size AS previous_size,
        this_year.size AS current_size,
        (this_year.size - last_year.size) / last_year.size AS change_share
    FROM sizes AS this_year
    INNER JOIN periods ON periods.period = this_year.period
    INNER JOIN sizes AS last_year
        ON last_year.dataset = this_year.dataset
       AND last_year.inst_id = this_year.inst_id
       AND last_year.period = periods.previous_period
    -- a change from zero has no percentage; the staff count of 0 is visible on the dashboards anyway
    WHERE last_year.size > 0
),

yoy_warnings AS (
    SELECT
        yoy.dataset,
        yoy.period,
        yoy.inst_id,
        'yoy_change' AS rule,
        yoy.measure_ru || ' изменилась на ' || staging.ru_signed(100 * yoy.change_share) || ' % (с '
            || staging.ru_integer(yoy.previous_size) || ' до ' || staging.ru_integer(yoy.current_size)
            || ') по сравнению с ' || yoy.previous_period || ' учебным годом' AS message_ru
    FROM yoy
    CROSS JOIN settings
    WHERE abs(yoy.change_share) > settings.yoy_warning_share
),

-- (b) outliers among institutions of the same type -----------------------------------------------------
checked AS (
    SELECT
        institution_values.period,
        institution_values.inst_type,
        institution_values.inst_id,
        institution_values.indicator_code,
        institution_values.value,
        catalog.name_ru,
        catalog.area,
        catalog.unit
    FROM institution_values
    INNER JOIN catalog ON catalog.indicator_code = institution_values.indicator_code
    WHERE catalog.outlier_check AND institution_values.value IS NOT NULL
),

medians AS (
    SELECT period, inst_type, indicator_code, median(value) AS median_value
    FROM checked
    GROUP BY period, inst_type, indicator_code
),

deviations AS (
    -- MAD: the median absolute deviation from the median
    SELECT
        checked.period,
        checked.inst_type,
        checked.indicator_code,
        medians.median_value,
        median(abs(checked.value - medians.median_value)) AS mad
    FROM checked
    INNER JOIN medians USING (period, inst_type, indicator_code)
    GROUP BY checked.period, checked.inst_type, checked.indicator_code, medians.median_value
),

scored AS (
    SELECT
        checked.*,
        deviations.median_value,
        0.6745 * (checked.value - deviations.median_value) / deviations.mad AS z
    FROM checked
    INNER JOIN deviations USING (period, inst_type, indicator_code)
    -- with MAD = 0 (most institutions equal) the score is undefined: no warning
    WHERE deviations.mad > 0
),

outlier_warnings AS (
    SELECT
        -- the dataset the indicator belongs to (pupils per teacher is a staff indicator)
        scored.area AS dataset,
        scored.period,
        scored.inst_id,
        'outlier_mad' AS rule,
        'Значение показателя «' || scored.name_ru || '» (' || staging.ru_decimal(scored.value) || ' '
            || scored.unit || ') резко отличается от значений организаций того же типа (медиана '
            || staging.ru_decimal(scored.median_value) || ' ' || scored.unit
            || '; модифицированная z-оценка ' || staging.ru_decimal(scored.z) || ', порог '
            || staging.ru_decimal(settings.outlier_z) || ')' AS message_ru
    FROM scored
    CROSS JOIN settings
    WHERE abs(scored.z) > settings.outlier_z
),

-- (c) missing submissions for the latest period ---------------------------------------------------------
latest AS (
    SELECT max(period) AS period
    FROM (SELECT period FROM core.staff UNION ALL SELECT period FROM core.ict)
),

expected AS (
    SELECT
        institutions.inst_id,
        latest.period,
        datasets.dataset,
        datasets.title_ru
    FROM core.institutions AS institutions
    CROSS JOIN latest
    CROSS JOIN (
        VALUES
            ('staff', 'сведения о педагогических работниках'),
            ('ict', 'сведения об информатизации')
    ) AS datasets (dataset, title_ru)
    WHERE latest.period IS NOT NULL AND staging.in_scope(latest.period, institutions.inst_id)
),

missing_warnings AS (
    SELECT
        expected.dataset,
        expected.period,
        expected.inst_id,
        'missing_submission' AS rule,
        'Не представлены ' || expected.title_ru || ' за ' || expected.period || ' учебный год' AS message_ru
    FROM expected
    ANTI JOIN batches
        ON batches.dataset = expected.dataset
       AND batches.period = expected.period
       AND batches.inst_id = expected.inst_id
),

-- (d) mentors who are not pedagogical workers of the same institution and period ----------------------
pedagogical AS (
    SELECT period, inst_id, staff_id FROM staging.stg_staff_person
),

mentor_warnings AS (
    SELECT
        'staff' AS dataset,
        staff.period,
        staff.inst_id,
        'mentor_unknown' AS rule,
        'У работника с табельным номером ' || staff.staff_id || ' указан наставник с табельным номером '
            || staff.mentor_staff_id || CASE
                WHEN staff.mentor_staff_id = staff.staff_id THEN ' — это он сам'
                ELSE ', которого нет среди педагогических работников организации за '
                    || staff.period || ' учебный год'
            END || ': наставник не учтён' AS message_ru
    FROM core.staff AS staff
    LEFT JOIN pedagogical AS mentors
        ON mentors.period = staff.period
       AND mentors.inst_id = staff.inst_id
       AND mentors.staff_id = staff.mentor_staff_id
       AND mentors.staff_id <> staff.staff_id
    WHERE staff.mentor_staff_id IS NOT NULL AND mentors.staff_id IS NULL
      AND staging.in_scope(staff.period, staff.inst_id)
),

final AS (
    SELECT batches.batch_id, w.period, w.dataset, w.inst_id, w.rule, w.message_ru
    FROM (
        SELECT * FROM yoy_warnings
        UNION ALL
        SELECT * FROM outlier_warnings
        UNION ALL
        SELECT * FROM mentor_warnings
    ) AS w
    LEFT JOIN batches
        ON batches.dataset = w.dataset AND batches.period = w.period AND batches.inst_id = w.inst_id
    UNION ALL
    -- nothing was loaded, so there is no batch to point to
    SELECT CAST(NULL AS VARCHAR) AS batch_id, period, dataset, inst_id, rule, message_ru
    FROM missing_warnings
)

SELECT * FROM final
ORDER BY period, inst_id, dataset, rule, message_ru

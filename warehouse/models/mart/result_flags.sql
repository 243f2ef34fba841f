-- Schools whose results need attention (indicators.md, «Flags that need attention»): rules of this project,
-- not an official list, every threshold a setting (warehouse/settings.py, flag_*; per period through
-- stg_period_settings). One row per flag, with `value` (the school's figure) and `threshold` (what it was
-- compared with: the share over all schools, or the fixed share of the rule), which are the numbers
-- message_ru names. "All schools" are the schools of the whole warehouse in the period. Rebuilt whole at
-- every build: a period's persistence depends on the periods before it.
WITH institutions AS (
    SELECT inst_id, municipality FROM core.institutions WHERE inst_type = 'school'
),

exam AS (
    SELECT exam.* FROM staging.stg_exam_results AS exam INNER JOIN institutions USING (inst_id)
),

vpr AS (
    SELECT vpr.* FROM staging.stg_vpr_results AS vpr INNER JOIN institutions USING (inst_id)
),

settings AS (
    SELECT
        period,
        CAST(max(value) FILTER (WHERE key = 'flag_low_results_min_share') AS DOUBLE) AS low_min_share,
        CAST(max(value) FILTER (WHERE key = 'flag_low_results_ratio') AS DOUBLE) AS low_ratio,
        CAST(max(value) FILTER (WHERE key = 'flag_low_results_min_rows') AS DOUBLE) AS low_min_rows,
        CAST(max(value) FILTER (WHERE key = 'flag_persistent_lookback') AS INTEGER) AS lookback,
        CAST(max(value) FILTER (WHERE key = 'flag_journal_gap_min_share') AS DOUBLE) AS gap_min_share,
        CAST(max(value) FILTER (WHERE key = 'flag_journal_gap_min_rows') AS DOUBLE) AS gap_min_rows,
        CAST(max(value) FILTER (WHERE key = 'flag_vpr_outlier_min_pp') AS DOUBLE) AS outlier_min_pp,
        CAST(max(value) FILTER (WHERE key = 'flag_vpr_outlier_min_rows') AS DOUBLE) AS outlier_min_rows,
        CAST(max(value) FILTER (WHERE key = 'flag_vpr_outlier_min_schools') AS DOUBLE) AS outlier_min_schools
    FROM staging.stg_period_settings
    GROUP BY period
),

subject_names AS (
    SELECT subject, name_ru FROM mart.subject_names
),

-- low_results ------------------------------------------------------------------------------------------
unsatisfactory AS (
    -- "unsatisfactory": a ГИА-9 or ВПР mark of 2, or a ГИА-11 result not passed, over all ГИА and ВПР rows
    SELECT period, inst_id, (is_gia9 AND mark = 2) OR (is_gia11 AND not_passed) AS is_bad FROM exam
    UNION ALL
    SELECT period, inst_id, is_unsatisfactory AS is_bad FROM vpr
),

school_shares AS (
    SELECT period, inst_id, count(*) AS result_rows, count_if(is_bad) AS bad_rows
    FROM unsatisfactory
    GROUP BY period, inst_id
),

all_schools AS (
    SELECT
        period,
        sum(bad_rows) AS all_bad_rows,
        sum(result_rows) AS all_result_rows,
        sum(bad_rows) / sum(result_rows) * 100 AS overall_share
    FROM school_shares
    GROUP BY period
),

low_results AS (
    SELECT
        school_shares.period,
        school_shares.inst_id,
        school_shares.bad_rows / school_shares.result_rows * 100 AS value,
        all_schools.overall_share AS threshold
    FROM school_shares
    INNER JOIN all_schools USING (period)
    INNER JOIN settings USING (period)
    -- the comparisons are cross-multiplied counts, so that a share exactly on a threshold (2 of 20 = 10 %)
    -- is not lost to a rounding error of the division
    WHERE school_shares.result_rows >= settings.low_min_rows
      AND school_shares.bad_rows * 100 >= settings.low_min_share * school_shares.result_rows
      AND school_shares.bad_rows * all_schools.all_result_rows
          >= settings.low_ratio * all_schools.all_bad_rows * school_shares.result_rows
),

low_results_rows AS (
    SELECT
        period,
        inst_id,
        'low_results' AS flag,
        CAST(NULL AS VARCHAR) AS subject,
        CAST(NULL AS INTEGER) AS grade,
        value,
        threshold,
        'доля неудовлетворительных результатов ' || staging.ru_percent(value)
            || ' — вдвое выше, чем по всем школам (' || staging.ru_percent(threshold) || ')' AS message_ru
    FROM low_results
),

persistent_rows AS (
    -- low_results now and in at least one of the `lookback` (2) periods before: the periods are school
    -- years, so "before" is by the first year of YYYY/YYYY+1; the message is this year's low_results message
    -- with the earlier periods
    SELECT
        this_year.period,
        this_year.inst_id,
        'low_results_persistent' AS flag,
        this_year.subject,
        this_year.grade,
        this_year.value,
        this_year.threshold,
        this_year.message_ru || ', и так же было в '
            || string_agg(earlier.period, ', ' ORDER BY earlier.period) || ' уч. г.' AS message_ru
    FROM low_results_rows AS this_year
    INNER JOIN settings USING (period)
    INNER JOIN low_results AS earlier
        ON earlier.inst_id = this_year.inst_id
       AND CAST(left(earlier.period, 4) AS INTEGER)
           BETWEEN CAST(left(this_year.period, 4) AS INTEGER) - settings.lookback
               AND CAST(left(this_year.period, 4) AS INTEGER) - 1
    GROUP BY this_year.period, this_year.inst_id, this_year.subject, this_year.grade, this_year.value,
        this_year.threshold, this_year.message_ru
),

-- ВПР by subject and grade ------------------------------------------------------------------------------
vpr_counts AS (
    SELECT
        period,
        inst_id,
        subject,
        grade,
        count(*) AS vpr_rows,
        count_if(is_quality) AS quality_rows,
        count_if(has_journal_mark) AS journal_rows,
        count_if(is_below_journal) AS below_rows
    FROM vpr
    GROUP BY period, inst_id, subject, grade
),

vpr_groups AS (
    -- with how a message names the group: «ВПР, математика, 5 класс: »
    SELECT
        vpr_counts.*,
        'ВПР, ' || coalesce(subject_names.name_ru, vpr_counts.subject) || ', ' || vpr_counts.grade
            || ' класс: ' AS group_ru
    FROM vpr_counts
    LEFT JOIN subject_names ON subject_names.subject = vpr_counts.subject
),

journal_gap_rows AS (
    -- current marks look inflated: at least half of the journal marks are not confirmed from below
    SELECT
        vpr_groups.period,
        vpr_groups.inst_id,
        'vpr_journal_gap' AS flag,
        vpr_groups.subject,
        vpr_groups.grade,
        vpr_groups.below_rows / vpr_groups.journal_rows * 100 AS value,
        settings.gap_min_share AS threshold,
        vpr_groups.group_ru || staging.ru_percent(vpr_groups.below_rows / vpr_groups.journal_rows * 100)
            || ' участников получили отметку ниже, чем по журналу (порог — '
            || staging.ru_percent(settings.gap_min_share) || ')' AS message_ru
    FROM vpr_groups
    INNER JOIN settings USING (period)
    WHERE vpr_groups.journal_rows >= settings.gap_min_rows
      AND vpr_groups.below_rows * 100 >= settings.gap_min_share * vpr_groups.journal_rows
),

vpr_all_schools AS (
    SELECT
        period,
        subject,
        grade,
        count(DISTINCT inst_id) AS schools,
        sum(quality_rows) AS all_quality_rows,
        sum(vpr_rows) AS all_vpr_rows,
        sum(quality_rows) / sum(vpr_rows) * 100 AS overall_quality
    FROM vpr_groups
    GROUP BY period, subject, grade
),

high_outlier_rows AS (
    -- a quality of the ВПР far above all schools' in the same subject and grade: possibly biased marking
    SELECT
        vpr_groups.period,
        vpr_groups.inst_id,
        'vpr_high_outlier' AS flag,
        vpr_groups.subject,
        vpr_groups.grade,
        vpr_groups.quality_rows / vpr_groups.vpr_rows * 100 AS value,
        vpr_all_schools.overall_quality AS threshold,
        vpr_groups.group_ru || 'качество знаний '
            || staging.ru_percent(vpr_groups.quality_rows / vpr_groups.vpr_rows * 100)
            || ' — на ' || staging.ru_decimal(
                vpr_groups.quality_rows / vpr_groups.vpr_rows * 100 - vpr_all_schools.overall_quality
            )
            || ' п. п. выше, чем по всем школам (' || staging.ru_percent(vpr_all_schools.overall_quality) || ')'
            AS message_ru
    FROM vpr_groups
    INNER JOIN vpr_all_schools USING (period, subject, grade)
    INNER JOIN settings USING (period)
    WHERE vpr_groups.vpr_rows >= settings.outlier_min_rows
      AND vpr_all_schools.schools >= settings.outlier_min_schools
      -- quality / rows × 100 ≥ overall + pp, cross-multiplied (exact on the boundary)
      AND vpr_groups.quality_rows * 100 * vpr_all_schools.all_vpr_rows
          >= (vpr_all_schools.all_quality_rows * 100 + settings.outlier_min_pp * vpr_all_schools.all_vpr_rows)
             * vpr_groups.vpr_rows
),

flags AS (
    SELECT * FROM low_results_rows
    UNION ALL
    SELECT * FROM persistent_rows
    UNION ALL
    SELECT * FROM journal_gap_rows
    UNION ALL
    SELECT * FROM high_outlier_rows
),

final AS (
    SELECT
        flags.period,
        institutions.municipality,
        flags.inst_id,
        flags.flag,
        flags.subject,
        flags.grade,
        CAST(flags.value AS DOUBLE) AS value,
        CAST(flags.threshold AS DOUBLE) AS threshold,
        flags.message_ru
    FROM flags
    INNER JOIN institutions USING (inst_id)
)

SELECT * FROM final
ORDER BY period, municipality, inst_id, flag, subject, grade

-- Institution-level numerators and denominators of the results indicators (indicators.md, «Results»), in
-- the long form of int_institution_inputs plus the breakdown: `subject` (a subject code, the normalised
-- olympiad subject, or 'all' for all subjects together) and `grade` (ВПР only; NULL on the 'all' row).
-- A row exists only where the institution has rows of the dataset and exam group for that subject, so an
-- institution that sent no ВПР has no ВПР rows here (not zeros). The 'all' rows are computed from the same
-- counts over all subjects, so their numerators and denominators are the sums of the subject rows.
WITH exam AS (
    SELECT * FROM staging.stg_exam_results
),

vpr AS (
    SELECT * FROM staging.stg_vpr_results
),

olympiad AS (
    SELECT * FROM staging.stg_olympiad
),

ict AS (
    SELECT period, inst_id, students FROM core.ict WHERE staging.in_scope(period, inst_id)
),

exam_counts AS (
    -- one pass for each subject and for all subjects together
    SELECT
        period,
        inst_id,
        CASE WHEN GROUPING(subject) = 1 THEN 'all' ELSE subject END AS subject,
        CAST(count(*) FILTER (WHERE is_ege) AS DOUBLE) AS ege_rows,
        CAST(count(*) FILTER (WHERE has_score) AS DOUBLE) AS scored_rows,
        CAST(coalesce(sum(score) FILTER (WHERE has_score), 0) AS DOUBLE) AS score_sum,
        -- 81–100 is the band of high results of the ЕГЭ reports
        CAST(count(*) FILTER (WHERE has_score AND score >= 81) AS DOUBLE) AS high_rows,
        CAST(count(*) FILTER (WHERE has_score AND score = 100) AS DOUBLE) AS hundred_rows,
        CAST(count(*) FILTER (WHERE is_gia11) AS DOUBLE) AS gia11_rows,
        CAST(count(*) FILTER (WHERE is_gia11 AND not_passed) AS DOUBLE) AS gia11_not_passed,
        CAST(count(*) FILTER (WHERE is_gia9) AS DOUBLE) AS gia9_rows,
        CAST(coalesce(sum(mark) FILTER (WHERE is_gia9), 0) AS DOUBLE) AS gia9_mark_sum,
        CAST(count(*) FILTER (WHERE is_gia9 AND mark >= 3) AS DOUBLE) AS gia9_success,
        CAST(count(*) FILTER (WHERE is_gia9 AND mark >= 4) AS DOUBLE) AS gia9_quality
    FROM exam
    GROUP BY GROUPING SETS ((period, inst_id, subject), (period, inst_id))
),

exam_candidates AS (
    -- every exam indicator with whether its group has rows for this subject; EGE_MEAN_SCORE has no 'all'
    -- row (scores of different subjects are not comparable), the scored ЕГЭ indicators skip base mathematics
    SELECT
        period,
        inst_id,
        subject,
        unnest([
            {'indicator_code': 'EGE_PARTICIPANTS', 'numerator': ege_rows, 'denominator': NULL::DOUBLE,
             'published': ege_rows > 0},
            {'indicator_code': 'EGE_MEAN_SCORE', 'numerator': score_sum, 'denominator': scored_rows,
             'published': scored_rows > 0 AND subject <> 'all'},
            {'indicator_code': 'EGE_HIGH_SCORE', 'numerator': high_rows, 'denominator': scored_rows,
             'published': scored_rows > 0},
            {'indicator_code': 'EGE_100', 'numerator': hundred_rows, 'denominator': NULL::DOUBLE,
             'published': scored_rows > 0},
            {'indicator_code': 'GIA11_NOT_PASSED', 'numerator': gia11_not_passed, 'denominator': gia11_rows,
             'published': gia11_rows > 0},
            {'indicator_code': 'GIA9_PARTICIPANTS', 'numerator': gia9_rows, 'denominator': NULL::DOUBLE,
             'published': gia9_rows > 0},
            {'indicator_code': 'GIA9_MEAN_MARK', 'numerator': gia9_mark_sum, 'denominator': gia9_rows,
             'published': gia9_rows > 0},
            {'indicator_code': 'GIA9_SUCCESS', 'numerator': gia9_success, 'denominator': gia9_rows,
             'published': gia9_rows > 0},
            {'indicator_code': 'GIA9_QUALITY', 'numerator': gia9_quality, 'denominator': gia9_rows,
             'published': gia9_rows > 0}
        ], recursive := true)
    FROM exam_counts
),

vpr_counts AS (
    -- per subject and grade, and once for all subjects and grades together (grade NULL there)
    SELECT
        period,
        inst_id,
        CASE WHEN GROUPING(subject) = 1 THEN 'all' ELSE subject END AS subject,
        grade,
        CAST(count(*) AS DOUBLE) AS vpr_rows,
        CAST(count_if(is_success) AS DOUBLE) AS success,
        CAST(count_if(is_quality) AS DOUBLE) AS quality,
        CAST(count_if(has_journal_mark) AS DOUBLE) AS with_journal,
        CAST(count_if(is_confirmed) AS DOUBLE) AS confirmed,
        CAST(count_if(is_below_journal) AS DOUBLE) AS below_journal,
        CAST(count_if(is_above_journal) AS DOUBLE) AS above_journal
    FROM vpr
    GROUP BY GROUPING SETS ((period, inst_id, subject, grade), (period, inst_id))
),

vpr_candidates AS (
    -- a subject and grade without any journal mark keeps its confirmation rows with denominator 0 (NULL)
    SELECT
        period,
        inst_id,
        subject,
        grade,
        unnest([
            {'indicator_code': 'VPR_PARTICIPANTS', 'numerator': vpr_rows, 'denominator': NULL::DOUBLE},
            {'indicator_code': 'VPR_SUCCESS', 'numerator': success, 'denominator': vpr_rows},
            {'indicator_code': 'VPR_QUALITY', 'numerator': quality, 'denominator': vpr_rows},
            {'indicator_code': 'VPR_CONFIRMED', 'numerator': confirmed, 'denominator': with_journal},
            {'indicator_code': 'VPR_BELOW_JOURNAL', 'numerator': below_journal, 'denominator': with_journal},
            {'indicator_code': 'VPR_ABOVE_JOURNAL', 'numerator': above_journal, 'denominator': with_journal}
        ], recursive := true)
    FROM vpr_counts
),

olympiad_counts AS (
    -- a subject of which the institution has a row at any stage gets every olympiad indicator (0 included)
    SELECT
        period,
        inst_id,
        CASE WHEN GROUPING(subject_key) = 1 THEN 'all' ELSE subject_key END AS subject,
        CAST(count(*) FILTER (WHERE stage = 'municipal') AS DOUBLE) AS municipal_rows,
        CAST(count(*) FILTER (WHERE stage = 'municipal' AND is_winner) AS DOUBLE) AS municipal_winners,
        CAST(count(*) FILTER (WHERE is_regional_or_final) AS DOUBLE) AS regional_rows
    FROM olympiad
    GROUP BY GROUPING SETS ((period, inst_id, subject_key), (period, inst_id))
),

olympiad_candidates AS (
    SELECT
        period,
        inst_id,
        subject,
        unnest([
            {'indicator_code': 'OLY_MUNICIPAL_PARTICIPANTS', 'numerator': municipal_rows,
             'denominator': NULL::DOUBLE},
            {'indicator_code': 'OLY_MUNICIPAL_WINNERS', 'numerator': municipal_winners,
             'denominator': NULL::DOUBLE},
            -- NULL without municipal rows (denominator 0)
            {'indicator_code': 'OLY_MUNICIPAL_EFFECTIVENESS', 'numerator': municipal_winners,
             'denominator': municipal_rows},
            {'indicator_code': 'OLY_REGIONAL_PARTICIPANTS', 'numerator': regional_rows,
             'denominator': NULL::DOUBLE}
        ], recursive := true)
    FROM olympiad_counts
),

school_stage AS (
    -- coverage of the school stage: distinct pupils (participant codes), per 100 pupils of the ict row;
    -- needs ict like every per-pupil indicator, and olympiad rows of the period; schools only (catalogue)
    SELECT
        olympiad.period,
        olympiad.inst_id,
        CAST(count(DISTINCT olympiad.participant_id) FILTER (WHERE olympiad.stage = 'school') AS DOUBLE)
            AS school_participants
    FROM olympiad
    GROUP BY olympiad.period, olympiad.inst_id
),

school_stage_values AS (
    SELECT
        school_stage.period,
        school_stage.inst_id,
        'OLY_SCHOOL_PER_100' AS indicator_code,
        'all' AS subject,
        CAST(NULL AS INTEGER) AS grade,
        school_stage.school_participants AS numerator,
        CAST(ict.students AS DOUBLE) AS denominator,
        1.0 AS weight
    FROM school_stage
    INNER JOIN ict ON ict.period = school_stage.period AND ict.inst_id = school_stage.inst_id
),

final AS (
    SELECT
        period, inst_id, indicator_code, subject, CAST(NULL AS INTEGER) AS grade, numerator, denominator,
        1.0 AS weight
    FROM exam_candidates
    WHERE published
    UNION ALL
    SELECT period, inst_id, indicator_code, subject, grade, numerator, denominator, 1.0 AS weight
    FROM vpr_candidates
    UNION ALL
    SELECT
        period, inst_id, indicator_code, subject, CAST(NULL AS INTEGER) AS grade, numerator, denominator,
        1.0 AS weight
    FROM olympiad_candidates
    UNION ALL
    SELECT period, inst_id, indicator_code, subject, grade, numerator, denominator, weight
    FROM school_stage_values
)

SELECT * FROM final

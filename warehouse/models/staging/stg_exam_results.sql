-- ГИА rows with the exam groups the results indicators count (indicators.md, «Results») and whether each
-- result is passed. The ЕГЭ minimum score of a subject is the setting `ege_min_score_<subject>` as it applies
-- to the row's period (stg_period_settings: a period may override the Рособрнадзор defaults).
WITH exam_results AS (
    SELECT * FROM core.exam_results WHERE staging.in_scope(period, inst_id)
),

min_scores AS (
    SELECT
        period,
        substr(key, length('ege_min_score_') + 1) AS subject,
        CAST(value AS DOUBLE) AS min_score
    FROM staging.stg_period_settings
    WHERE starts_with(key, 'ege_min_score_')
),

grouped AS (
    SELECT
        exam_results.*,
        exam_results.exam = 'ege' AS is_ege,
        -- "ЕГЭ rows with a score": base mathematics is marked 2–5, not scored
        exam_results.exam = 'ege' AND exam_results.subject <> 'math_base' AS has_score,
        -- ГИА-11 is ЕГЭ and ГВЭ-11, ГИА-9 is ОГЭ and ГВЭ-9
        exam_results.grade = 11 AS is_gia11,
        exam_results.grade = 9 AS is_gia9,
        min_scores.min_score
    FROM exam_results
    LEFT JOIN min_scores
        ON min_scores.period = exam_results.period AND min_scores.subject = exam_results.subject
),

final AS (
    SELECT
        grouped.*,
        -- a score exactly on the minimum passes; a mark of 2 (base mathematics, ОГЭ, ГВЭ) does not.
        -- A scored subject without a minimum setting cannot fail (every scored subject has one by default)
        CASE
            WHEN has_score THEN coalesce(score < min_score, FALSE)
            ELSE mark = 2
        END AS not_passed
    FROM grouped
)

SELECT * FROM final

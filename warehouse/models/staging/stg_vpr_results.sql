-- ВПР rows with the comparisons the indicators count: the mark against 3 and 4 (success, quality) and against
-- the journal mark of the preceding term, which is optional (a row without it enters neither side of the
-- confirmation shares).
WITH vpr_results AS (
    SELECT * FROM core.vpr_results WHERE staging.in_scope(period, inst_id)
),

final AS (
    SELECT
        vpr_results.*,
        mark >= 3 AS is_success,
        mark >= 4 AS is_quality,
        mark = 2 AS is_unsatisfactory,
        journal_mark IS NOT NULL AS has_journal_mark,
        journal_mark IS NOT NULL AND mark = journal_mark AS is_confirmed,
        journal_mark IS NOT NULL AND mark < journal_mark AS is_below_journal,
        journal_mark IS NOT NULL AND mark > journal_mark AS is_above_journal
    FROM vpr_results
)

SELECT * FROM final

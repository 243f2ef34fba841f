-- ЕГЭ results with a score in $period by institution, subject and score (the distribution of scores): one row
-- per (inst_id, subject, score) with the number of results. The query function sums it over the scope and
-- leaves out another institution's small group for a director (warehouse/small_groups.py).
WITH {% include "common/_scope_institutions.sql" %},

scored AS (
    SELECT inst_id, subject, score, min_score
    FROM staging.stg_exam_results
    WHERE period = $period AND has_score AND score IS NOT NULL
),

final AS (
    SELECT scored.inst_id, scored.subject, CAST(scored.score AS INTEGER) AS score,
        max(scored.min_score) AS min_score, count(*) AS results
    FROM scored
    INNER JOIN scope_institutions USING (inst_id)
    GROUP BY ALL
)

SELECT * FROM final ORDER BY subject, score, inst_id

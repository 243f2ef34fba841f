-- Contests of teachers and olympiads of pupils in $period by level, summed over the scope: `participants`
-- counts everyone who took part, winners and prize winners are the records' participants with that result.
WITH {% include "common/_scope_institutions.sql" %},

contests AS (
    SELECT n.activity_type, n.level, n.participants, n.result
    FROM core.innovation AS n JOIN scope_institutions AS i USING (inst_id)
    WHERE n.activity_type IN ('staff_contest', 'student_contest') AND n.period = $period
),

final AS (
    SELECT activity_type, level,
           sum(participants) AS participants,
           coalesce(sum(participants) FILTER (WHERE result = 'winner'), 0) AS winners,
           coalesce(sum(participants) FILTER (WHERE result = 'prize_winner'), 0) AS prize_winners
    FROM contests
    GROUP BY ALL
)

SELECT * FROM final ORDER BY ALL

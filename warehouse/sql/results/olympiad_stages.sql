-- The olympiad's funnel in $period: by institution, normalised subject and stage, the participations and the
-- winners and prize winners. The query function sums it over the scope (and hides another institution's
-- small groups from a director).
WITH {% include "common/_scope_institutions.sql" %},

rows_of_period AS (
    SELECT inst_id, subject_key AS subject, stage, status FROM core.olympiad WHERE period = $period
),

final AS (
    SELECT rows_of_period.inst_id, rows_of_period.subject, rows_of_period.stage,
        count(*) AS participants,
        count_if(rows_of_period.status IN ('winner', 'prize_winner')) AS winners
    FROM rows_of_period
    INNER JOIN scope_institutions USING (inst_id)
    GROUP BY ALL
)

SELECT * FROM final ORDER BY subject, stage, inst_id

-- One institution's quarantined rows of $period by rule (counts only: no value of a row leaves this query).
WITH held AS (
    SELECT dataset, column_name, rule, batch_id, row_number
    FROM dq.quarantine
    WHERE inst_id = $inst_id AND period = $period
),

final AS (
    -- one quarantine row per broken rule and column: count the file rows
    SELECT dataset, column_name, rule, count(DISTINCT (batch_id, row_number)) AS rows
    FROM held
    GROUP BY ALL
)

SELECT * FROM final ORDER BY rows DESC, dataset, rule, column_name

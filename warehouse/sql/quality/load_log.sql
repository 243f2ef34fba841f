-- dq.load_log, newest first, at most $limit loads. A director ($own = their inst_id) sees only the loads that
-- brought rows of their institution (loaded or quarantined, not refused as another institution's): a file's
-- name may name a person. Files rejected whole cannot be attributed and are not shown to a director.
-- Every column: a warehouse written before a column existed lacks it, and the caller fills it empty.
WITH {% include "quality/_own_quarantine.sql" %},

own_batches AS (
    SELECT batch_id FROM core.staff WHERE inst_id = $own
    UNION SELECT batch_id FROM core.ict WHERE inst_id = $own
    UNION SELECT batch_id FROM core.innovation WHERE inst_id = $own
    UNION SELECT batch_id FROM core.institutions WHERE inst_id = $own
    UNION SELECT batch_id FROM own_quarantine WHERE inst_id IS NOT NULL
),

final AS (
    SELECT * FROM dq.load_log
    WHERE $own::VARCHAR IS NULL OR batch_id IN (SELECT batch_id FROM own_batches)
)

SELECT * FROM final
ORDER BY loaded_at DESC, batch_id DESC
LIMIT $limit

-- Quarantined rows (one per broken rule) the user may see ($own), filtered by institution, dataset, rule,
-- period and batches (NULL = any), newest load first. `superseded`: a later load of the same institution,
-- dataset and period exists (a corrected resubmission); $hide_superseded leaves those out. Rows without a
-- known institution are never superseded. At most $limit rows.
WITH {% include "quality/_batches.sql" %},

{% include "quality/_own_quarantine.sql" %},

visible AS (
    SELECT q.batch_id, log.loaded_at, q.source_file, q.dataset, q.period, q.row_number, q.inst_id,
           i.short_name, q.column_name, q.value, q.rule, q.message_ru,
           coalesce(latest.batch_id > q.batch_id, FALSE) AS superseded
    FROM own_quarantine AS q
    LEFT JOIN dq.load_log AS log ON log.batch_id = q.batch_id
    LEFT JOIN core.institutions AS i ON i.inst_id = q.inst_id
    -- supersession is judged within each period: the batches are those of every period
    LEFT JOIN latest
        ON latest.dataset = q.dataset
       AND latest.period IS NOT DISTINCT FROM q.period
       AND latest.inst_id = q.inst_id
),

final AS (
    SELECT batch_id, loaded_at, source_file, dataset, period, row_number, inst_id, short_name, column_name,
           value, rule, message_ru, superseded
    FROM visible
    WHERE ($inst_id::VARCHAR IS NULL OR inst_id = $inst_id)
      AND ($dataset::VARCHAR IS NULL OR dataset = $dataset)
      AND ($rule::VARCHAR IS NULL OR rule = $rule)
      AND ($period::VARCHAR IS NULL OR period = $period)
      AND ($batch_ids::VARCHAR[] IS NULL OR list_contains($batch_ids::VARCHAR[], batch_id))
      AND (NOT $hide_superseded OR NOT superseded)
)

SELECT * FROM final
ORDER BY loaded_at DESC NULLS LAST, batch_id DESC, source_file, row_number, column_name, rule
LIMIT $limit

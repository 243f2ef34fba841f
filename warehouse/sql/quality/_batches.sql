-- The batches that brought each institution's rows, per dataset and period (`core_batches`), the batches
-- whose quarantined rows name it (`quarantine_batches`) and its latest load (`latest`), as three CTEs.
-- $batches_period limits them to one period (NULL = every period; the registry has no period, so its batches
-- are only included then). Rows with no institution code cannot be attributed and are left out.
core_batches AS (
    SELECT 'staff' AS dataset, s.period, s.inst_id, s.batch_id, count(*) AS rows_loaded
    FROM core.staff AS s
    WHERE $batches_period::VARCHAR IS NULL OR s.period = $batches_period
    GROUP BY ALL
    UNION ALL
    SELECT 'ict' AS dataset, c.period, c.inst_id, c.batch_id, count(*) AS rows_loaded
    FROM core.ict AS c
    WHERE $batches_period::VARCHAR IS NULL OR c.period = $batches_period
    GROUP BY ALL
    UNION ALL
    SELECT 'innovation' AS dataset, n.period, n.inst_id, n.batch_id, count(*) AS rows_loaded
    FROM core.innovation AS n
    WHERE $batches_period::VARCHAR IS NULL OR n.period = $batches_period
    GROUP BY ALL
    UNION ALL
    SELECT 'institutions' AS dataset, CAST(NULL AS VARCHAR) AS period, i.inst_id, i.batch_id, 1 AS rows_loaded
    FROM core.institutions AS i
    WHERE $batches_period::VARCHAR IS NULL
),

quarantine_batches AS (
    -- a row that broke two rules is quarantined once: count distinct row numbers
    SELECT q.dataset, q.period, q.inst_id, q.batch_id, count(DISTINCT q.row_number) AS rows_quarantined
    FROM dq.quarantine AS q
    WHERE q.inst_id IS NOT NULL AND ($batches_period::VARCHAR IS NULL OR q.period = $batches_period)
      -- a row another institution's director sent under this code was refused: it is not a submission of
      -- this institution and must not change its status or score
      AND NOT EXISTS (
          SELECT 1 FROM dq.quarantine AS f
          WHERE f.batch_id = q.batch_id AND f.row_number = q.row_number AND f.rule = 'foreign_institution'
      )
    GROUP BY ALL
),

latest AS (
    -- batch ids start with the load's timestamp (etl.loader), so the greatest one is the latest load
    SELECT dataset, period, inst_id, max(batch_id) AS batch_id
    FROM (
        SELECT dataset, period, inst_id, batch_id FROM core_batches
        UNION ALL
        SELECT dataset, period, inst_id, batch_id FROM quarantine_batches
    )
    GROUP BY ALL
)

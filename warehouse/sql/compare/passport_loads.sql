-- The files that brought or quarantined rows of one institution ($inst_id) in $period, with how many of its
-- rows each loaded or set aside (not the file's totals: other institutions' rows are not counted).
WITH brought AS (
    SELECT batch_id, count(*) AS rows_loaded FROM (
        SELECT batch_id FROM core.staff WHERE inst_id = $inst_id AND period = $period
        UNION ALL SELECT batch_id FROM core.ict WHERE inst_id = $inst_id AND period = $period
        UNION ALL SELECT batch_id FROM core.innovation WHERE inst_id = $inst_id AND period = $period
    ) GROUP BY batch_id
),

held AS (
    SELECT batch_id, count(DISTINCT row_number) AS rows_quarantined
    FROM dq.quarantine WHERE inst_id = $inst_id AND period = $period GROUP BY batch_id
),

final AS (
    SELECT l.loaded_at, l.source_file, l.dataset, l.status,
           coalesce(b.rows_loaded, 0) AS rows_loaded, coalesce(h.rows_quarantined, 0) AS rows_quarantined
    FROM dq.load_log AS l
    LEFT JOIN brought AS b USING (batch_id)
    LEFT JOIN held AS h USING (batch_id)
    WHERE b.batch_id IS NOT NULL OR h.batch_id IS NOT NULL
)

SELECT * FROM final ORDER BY loaded_at, source_file

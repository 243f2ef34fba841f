-- The loaded files whose rows are in the scope's data of $period, and the registry's files, with how many of
-- the scope's rows each brought. Rows are replaced per institution and period, so a file fully superseded by
-- a resubmission has no rows left and is not listed.
WITH {% include "common/_scope_institutions.sql" %},

batches AS (
    SELECT 'institutions' AS dataset, batch_id, count(*) AS rows
    FROM core.institutions WHERE inst_id IN (SELECT inst_id FROM scope_institutions) GROUP BY ALL
    UNION ALL
    SELECT 'staff', batch_id, count(*) FROM core.staff
    WHERE period = $period AND inst_id IN (SELECT inst_id FROM scope_institutions) GROUP BY ALL
    UNION ALL
    SELECT 'ict', batch_id, count(*) FROM core.ict
    WHERE period = $period AND inst_id IN (SELECT inst_id FROM scope_institutions) GROUP BY ALL
    UNION ALL
    SELECT 'innovation', batch_id, count(*) FROM core.innovation
    WHERE period = $period AND inst_id IN (SELECT inst_id FROM scope_institutions) GROUP BY ALL
),

final AS (
    -- a batch without a load-log row still counts its rows, under a dash for the file name
    SELECT b.dataset, coalesce(l.source_file, '—') AS source_file, l.loaded_at, l.status, b.rows
    FROM batches AS b LEFT JOIN dq.load_log AS l USING (batch_id)
)

SELECT * FROM final
ORDER BY CASE dataset WHEN 'institutions' THEN 0 WHEN 'staff' THEN 1 WHEN 'ict' THEN 2 ELSE 3 END,
         loaded_at, source_file

-- Every quarantined row of the batches $batch_ids (an upload's files), for the error table sent back to the
-- school. A director ($own) sees their own institution's rows in full; the rows of other institutions
-- (refused, or with an unknown or empty code) keep their row, column and rule, but not their value and message.
WITH held AS (
    SELECT * FROM dq.quarantine WHERE list_contains($batch_ids::VARCHAR[], batch_id)
),

final AS (
    SELECT batch_id, source_file, row_number, inst_id, dataset, column_name,
           CASE WHEN $own::VARCHAR IS NULL OR inst_id = $own THEN value END AS value,
           rule,
           CASE WHEN $own::VARCHAR IS NULL OR inst_id = $own THEN message_ru END AS message_ru
    FROM held
)

SELECT * FROM final ORDER BY batch_id, row_number, column_name, rule

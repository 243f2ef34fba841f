-- The quarantine a user may see, as a CTE `own_quarantine`: everything for $own NULL (every role but a
-- director); for a director ($own = their inst_id) their own institution's rows, but not the rows another
-- director sent under their code (refused as `foreign_institution`: not their submission, not theirs to see).
own_quarantine AS (
    SELECT q.* FROM dq.quarantine AS q
    WHERE $own::VARCHAR IS NULL OR (q.inst_id = $own AND NOT EXISTS (
        SELECT 1 FROM dq.quarantine AS f
        WHERE f.batch_id = q.batch_id AND f.row_number = q.row_number AND f.rule = 'foreign_institution'
    ))
)

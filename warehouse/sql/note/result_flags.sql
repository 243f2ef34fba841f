-- The flags of mart.result_flags for the scope's institutions in $period, with their Russian messages
-- (the note prints the message as the mart wrote it).
WITH {% include "common/_scope_institutions.sql" %},

{% include "common/_result_flags.sql" %},

final AS (
    SELECT inst.short_name, inst.municipality, flags.*
    FROM scope_institutions AS inst JOIN flags USING (inst_id)
)

SELECT * FROM final ORDER BY short_name, inst_id, flag, subject, grade

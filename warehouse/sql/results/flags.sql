-- The flags of mart.result_flags in $period for the schools of a scope, with the school's short name (the page
-- links each to the school). The flags' thresholds need 20 and more results, so no flag is of a small group.
WITH {% include "common/_scope_institutions.sql" %},

{% include "common/_result_flags.sql" %},

final AS (
    SELECT flags.inst_id, scope_institutions.short_name, scope_institutions.municipality, flags.flag,
        flags.subject, flags.grade, flags.value, flags.threshold, flags.message_ru
    FROM flags
    INNER JOIN scope_institutions USING (inst_id)
)

SELECT * FROM final ORDER BY municipality, short_name, flag, subject, grade

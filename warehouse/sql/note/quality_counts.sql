-- What the checks set aside for $period in the scope: quarantined rows of its institutions (a row breaking
-- two rules counts once), quarantined rows whose code is in no registry (they belong to no scope: the caller
-- reports them for a whole municipality or region only) and data-quality warnings.
WITH {% include "common/_scope_institutions.sql" %},

quarantined_rows AS (
    SELECT DISTINCT batch_id, source_file, row_number, inst_id FROM dq.quarantine WHERE period = $period
),

final AS (
    SELECT
        (SELECT count(*) FROM quarantined_rows WHERE inst_id IN (SELECT inst_id FROM scope_institutions))
            AS quarantined,
        (SELECT count(*) FROM quarantined_rows
         WHERE inst_id IS NULL OR inst_id NOT IN (SELECT inst_id FROM core.institutions))
            AS unknown_institution,
        (SELECT count(*) FROM dq.warnings
         WHERE period = $period AND inst_id IN (SELECT inst_id FROM scope_institutions)) AS warnings
)

SELECT * FROM final

-- The registry institutions of the scope and whether each has staff, ict and innovation rows for $period
-- (the KPI badges say who is missing).
WITH {% include "common/_scope_institutions.sql" %},

staff AS (SELECT DISTINCT inst_id FROM core.staff WHERE period = $period),

ict AS (SELECT DISTINCT inst_id FROM core.ict WHERE period = $period),

innovation AS (SELECT DISTINCT inst_id FROM core.innovation WHERE period = $period),

final AS (
    SELECT i.inst_id, i.short_name, i.inst_type,
           i.inst_id IN (SELECT inst_id FROM staff) AS has_staff,
           i.inst_id IN (SELECT inst_id FROM ict) AS has_ict,
           i.inst_id IN (SELECT inst_id FROM innovation) AS has_innovation
    FROM scope_institutions AS i
)

SELECT * FROM final ORDER BY short_name, inst_id

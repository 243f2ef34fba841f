-- Every registry institution of the scope and whether it sent each dataset for $period. An institution
-- without innovation records may simply have had none; staff and ict are expected (a school without
-- results rows may have had no exam of that kind).
WITH {% include "common/_scope_institutions.sql" %},

final AS (
    SELECT inst.inst_id, inst.short_name, inst.inst_type, inst.municipality,
           inst.inst_id IN (SELECT inst_id FROM core.staff WHERE period = $period) AS staff,
           inst.inst_id IN (SELECT inst_id FROM core.ict WHERE period = $period) AS ict,
           inst.inst_id IN (SELECT inst_id FROM core.innovation WHERE period = $period) AS innovation,
           inst.inst_id IN (SELECT inst_id FROM core.exam_results WHERE period = $period) AS exam_results,
           inst.inst_id IN (SELECT inst_id FROM core.vpr_results WHERE period = $period) AS vpr_results,
           inst.inst_id IN (SELECT inst_id FROM core.olympiad WHERE period = $period) AS olympiad
    FROM scope_institutions AS inst
)

SELECT * FROM final ORDER BY municipality, inst_type, short_name, inst_id

-- Innovation records per institution of the scope in $period, beside the pedagogical staff (STAFF_COUNT) and
-- the pupils (ict) they are set against. An institution that reported (a staff or ict row) but has no record
-- gets 0 records; one that reported nothing keeps NULL (missing, not zero).
WITH {% include "common/_scope_institutions.sql" %},

rec AS (
    SELECT inst_id, count(*) AS records FROM core.innovation WHERE period = $period GROUP BY inst_id
),

staff AS (
    SELECT inst_id, value AS staff FROM mart.indicator_values
    WHERE level = 'institution' AND period = $period AND indicator_code = 'STAFF_COUNT'
),

pupils AS (
    SELECT inst_id, students FROM core.ict WHERE period = $period
),

final AS (
    SELECT inst.inst_id, inst.short_name, inst.inst_type, inst.municipality,
           CASE WHEN rec.records IS NOT NULL THEN rec.records
                WHEN staff.staff IS NOT NULL OR pupils.students IS NOT NULL THEN 0 END AS records,
           staff.staff, pupils.students
    FROM scope_institutions AS inst
    LEFT JOIN rec USING (inst_id) LEFT JOIN staff USING (inst_id) LEFT JOIN pupils USING (inst_id)
)

SELECT * FROM final ORDER BY municipality, short_name, inst_id

-- Every registry institution of the scope with its ict row of $period, the speed target of its locality and
-- the five readiness components; an institution that sent no ict row keeps its row with NULLs (missing, not
-- zero).
WITH {% include "common/_scope_institutions.sql" %},

ict AS (
    SELECT * FROM staging.stg_ict WHERE period = $period
),

final AS (
    SELECT i.inst_id, i.short_name, i.inst_type, i.municipality, i.locality,
           c.students, c.computers_learning, c.classrooms_total, c.classrooms_workstation,
           c.interactive_boards, c.internet_speed_mbps, c.speed_target_mbps, c.meets_speed_target,
           c.c1_pc_per_pupil, c.c2_pc_internet, c.c3_rooms_workstation, c.c4_speed,
           c.c5_digital_services, c.readiness_index
    FROM scope_institutions AS i
    LEFT JOIN ict AS c ON c.inst_id = i.inst_id
)

SELECT * FROM final ORDER BY municipality, inst_type, short_name, inst_id

-- The age and pedagogical-service structure of P of the scope in the bands of form ОО-1 (age_band and
-- oo1_experience_band of stg_staff_person), by gender for the pyramid. Counts only.
WITH {% include "common/_scope_institutions.sql" %},

final AS (
    SELECT s.age_band, s.oo1_experience_band, s.gender, count(*) AS people
    FROM mart.staff_person AS s
    JOIN scope_institutions AS i ON i.inst_id = s.inst_id
    WHERE s.period = $period
    GROUP BY ALL
)

SELECT * FROM final
ORDER BY ALL

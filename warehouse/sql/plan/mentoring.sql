-- Mentoring: every young specialist of P of the scope with their mentor when the mentor counts (a person of P
-- of the same institution and period, as STAFF_YOUNG_WITH_MENTOR), those without one first. Person-level data:
-- $own is a director's institution (NULL for the other roles).
WITH {% include "common/_scope_institutions.sql" %},

young AS (
    SELECT s.*, i.short_name
    FROM mart.staff_person AS s
    JOIN scope_institutions AS i ON i.inst_id = s.inst_id
    WHERE s.period = $period AND s.is_young_specialist AND ($own::VARCHAR IS NULL OR s.inst_id = $own)
),

final AS (
    SELECT
        young.inst_id,
        young.short_name,
        young.staff_id,
        young.full_name,
        young.position,
        young.has_mentor,
        CASE WHEN young.has_mentor THEN mentors.staff_id END AS mentor_staff_id,
        CASE WHEN young.has_mentor THEN mentors.full_name END AS mentor_full_name
    FROM young
    LEFT JOIN mart.staff_person AS mentors
        ON mentors.period = young.period
       AND mentors.inst_id = young.inst_id
       AND mentors.staff_id = young.mentor_staff_id
)

SELECT * FROM final
ORDER BY has_mentor, short_name, full_name, staff_id

-- The needs summary from which courses are ordered: how many people of P of the scope named each need, and in
-- which preferred form (NULL = not given). A needs row of a staff_id without a staff row counts nowhere (the
-- join with P). Counts only.
WITH {% include "common/_scope_institutions.sql" %},

final AS (
    SELECT n.need, n.form, count(DISTINCT (n.inst_id, n.staff_id)) AS people
    FROM core.staff_needs AS n
    JOIN mart.staff_person AS s
        ON s.period = n.period AND s.inst_id = n.inst_id AND s.staff_id = n.staff_id
    JOIN scope_institutions AS i ON i.inst_id = n.inst_id
    WHERE n.period = $period
    GROUP BY n.need, n.form
)

SELECT * FROM final
ORDER BY need, form NULLS LAST

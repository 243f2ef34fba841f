-- The training plan (план-график повышения квалификации) of the planning year [D, D + 1 year): every person of
-- P due in it (never trained, or the 3-year term ends before D + 1 year) with the month they fall due; people
-- already overdue (never trained, or the term ended before D) go in D's month and are marked overdue. Their
-- named needs (staff_needs of the same institution and period) are listed beside them. Person-level data:
-- $own is a director's institution (NULL for the other roles) and restricts the plan whatever the scope says.
WITH {% include "common/_scope_institutions.sql" %},

due AS (
    SELECT s.*, i.short_name
    FROM mart.staff_person AS s
    JOIN scope_institutions AS i ON i.inst_id = s.inst_id
    WHERE s.period = $period
      AND s.training_due
      AND ($own::VARCHAR IS NULL OR s.inst_id = $own)
),

needs AS (
    SELECT period, inst_id, staff_id, list(need ORDER BY need) AS needs
    FROM core.staff_needs
    WHERE period = $period
    GROUP BY period, inst_id, staff_id
),

final AS (
    SELECT
        due.inst_id,
        due.short_name,
        due.staff_id,
        due.full_name,
        due.position,
        due.last_training_date,
        due.training_due_date,
        -- overdue: never trained, or the term ended before D
        coalesce(due.training_due_date < due.reporting_date, TRUE) AS overdue,
        CAST(date_trunc('month', CASE
            WHEN coalesce(due.training_due_date < due.reporting_date, TRUE) THEN due.reporting_date
            ELSE due.training_due_date
        END) AS DATE) AS due_month,
        coalesce(needs.needs, []) AS needs
    FROM due
    LEFT JOIN needs USING (period, inst_id, staff_id)
)

SELECT * FROM final
ORDER BY overdue DESC, due_month, short_name, full_name, staff_id

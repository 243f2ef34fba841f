-- Who is due for attestation or training ($kind), lapsed and overdue first, then soonest first (never
-- trained first of all), the first $limit people (NULL = all of them); staff_due_count says how many there are.
WITH {% include "common/_scope_institutions.sql" %},

{% include "dashboards/_due_people.sql" %},

final AS (
    SELECT inst_id, short_name, staff_id, full_name, position, category, category_date,
           category_valid_until, last_training_date, training_due_date, due_date, status
    FROM due_people
)

SELECT * FROM final
ORDER BY due_date NULLS FIRST, short_name, full_name, staff_id
LIMIT $limit

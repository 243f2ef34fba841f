-- How many people staff_due_list has without a limit (the same scope and access rule), by status
-- (attestation: lapsed, due; training: never, overdue, due).
WITH {% include "common/_scope_institutions.sql" %},

{% include "dashboards/_due_people.sql" %}

SELECT status, count(*) AS people FROM due_people GROUP BY status ORDER BY status

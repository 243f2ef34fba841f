-- How many people staff_due_list has without a limit (the same scope and access rule).
WITH {% include "common/_scope_institutions.sql" %},

{% include "dashboards/_due_people.sql" %}

SELECT count(*) AS people FROM due_people

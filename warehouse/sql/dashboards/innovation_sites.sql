-- Innovation sites of $period by institution of the scope and level.
WITH {% include "common/_scope_institutions.sql" %},

sites AS (
    SELECT inst_id, level FROM core.innovation
    WHERE activity_type = 'innovation_site' AND period = $period
),

final AS (
    SELECT n.inst_id, i.short_name, i.inst_type, i.municipality, n.level, count(*) AS sites
    FROM sites AS n JOIN scope_institutions AS i USING (inst_id)
    GROUP BY ALL
)

SELECT * FROM final ORDER BY short_name, level

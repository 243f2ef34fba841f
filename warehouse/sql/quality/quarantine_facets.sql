-- What the quarantine filters offer the user ($own: a director sees their own institution only): the
-- quarantined rows by institution, dataset, rule and period.
WITH {% include "quality/_own_quarantine.sql" %},

final AS (
    SELECT q.inst_id, i.short_name, q.dataset, q.rule, q.period, count(*) AS rows
    FROM own_quarantine AS q
    LEFT JOIN core.institutions AS i ON i.inst_id = q.inst_id
    GROUP BY ALL
)

SELECT * FROM final ORDER BY ALL

-- How many people of P of the scope will be 60 or older within 1, 3 and 5 years of D (full years at D + k
-- years, birthday-based: born on or before D + k years − 60 years). Counts only.
WITH {% include "common/_scope_institutions.sql" %},

persons AS (
    SELECT s.birth_date, s.reporting_date
    FROM mart.staff_person AS s
    JOIN scope_institutions AS i ON i.inst_id = s.inst_id
    WHERE s.period = $period
),

final AS (
    SELECT
        horizon.years,
        count_if(persons.birth_date <= CAST(persons.reporting_date + to_years(horizon.years - 60) AS DATE))
            AS people
    FROM persons
    CROSS JOIN (VALUES (1), (3), (5)) AS horizon (years)
    GROUP BY horizon.years
)

SELECT * FROM final
ORDER BY years

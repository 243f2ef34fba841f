-- Pedagogical staff P of the scope in $period counted by one structure dimension ($dimension, from the
-- caller's allow-list) and, when $by_gender, by gender too. The groupings are columns of stg_staff_person,
-- beside the flags of the same methodology; only counts leave this query, never a person.
WITH {% include "common/_scope_institutions.sql" %},

persons AS (
    SELECT s.*
    FROM mart.staff_person AS s
    JOIN scope_institutions AS i ON i.inst_id = s.inst_id
    WHERE s.period = $period
),

grouped AS (
    SELECT
        CASE $dimension
            WHEN 'category' THEN category_group
            WHEN 'education' THEN education_group
            WHEN 'age_band' THEN age_band
            WHEN 'experience_band' THEN experience_band
            WHEN 'position' THEN position
        END AS "group",
        CASE WHEN $by_gender THEN gender END AS gender
    FROM persons
),

final AS (
    SELECT "group", gender, count(*) AS staff FROM grouped GROUP BY ALL
)

SELECT * FROM final ORDER BY ALL

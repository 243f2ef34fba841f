-- Innovation records with the two facts the contest indicators filter on.
WITH innovation AS (
    SELECT * FROM core.innovation WHERE staging.in_scope(period, inst_id)
),

final AS (
    SELECT
        innovation.*,
        -- "municipal level and above": institution-level contests do not count towards winners
        level IN ('municipal', 'regional', 'federal', 'international') AS is_municipal_or_above,
        coalesce(result IN ('winner', 'prize_winner'), FALSE) AS is_winner
    FROM innovation
)

SELECT * FROM final

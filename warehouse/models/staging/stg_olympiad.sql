-- Olympiad rows grouped by the normalised subject (subject_key, written by the loader: trimmed, inner
-- whitespace collapsed, lower case, «ё» as «е»), so that «Математика » and «математика» are one subject.
WITH olympiad AS (
    SELECT * FROM core.olympiad WHERE staging.in_scope(period, inst_id)
),

final AS (
    SELECT
        olympiad.*,
        status IN ('winner', 'prize_winner') AS is_winner,
        -- OLY_REGIONAL_PARTICIPANTS counts the regional and the final stage together
        stage IN ('regional', 'final') AS is_regional_or_final
    FROM olympiad
)

SELECT * FROM final

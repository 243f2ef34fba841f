-- Every indicator for every institution, municipality and the region, per period and institution type.
-- Aggregates sum the numerators and denominators of the published institution rows and recompute the value
-- (never an average of institution values); the catalogue's `kind` decides how a value is made, and its
-- `inst_types` which institutions an indicator is published for. The results indicators carry their
-- breakdown in `subject` and `grade` (indicators.md, «Results»); every other indicator has both NULL. Both
-- columns are grouping keys of the aggregates, so a subject's municipal row sums that subject's institution
-- rows, and the 'all' rows sum the institutions' 'all' rows. The institutions' inputs, already restricted to
-- the published ones, are staging.indicator_inputs, and their weighted sums per municipality and type
-- staging.municipality_inputs.
WITH published AS (
    SELECT * FROM staging.indicator_inputs
),

institution_rows AS (
    -- the columns of aggregate_rows, in its order
    SELECT period, 'institution' AS level, * EXCLUDE (period, weight) FROM published
),

grouped AS (
    -- one pass for the four aggregate shapes: municipality × type, municipality × all types, region × type,
    -- region × all types, each a sum of the municipality × type sums. A count's denominator stays NULL (the
    -- sum of NULLs).
    SELECT
        period,
        indicator_code,
        subject,
        grade,
        kind,
        municipality,
        inst_type,
        GROUPING(municipality) AS is_region,
        GROUPING(inst_type) AS is_all_types,
        sum(numerator) AS numerator,
        sum(denominator) AS denominator
    FROM staging.municipality_inputs
    GROUP BY GROUPING SETS (
        (period, indicator_code, subject, grade, kind, municipality, inst_type),
        (period, indicator_code, subject, grade, kind, municipality),
        (period, indicator_code, subject, grade, kind, inst_type),
        (period, indicator_code, subject, grade, kind)
    )
),

aggregate_rows AS (
    SELECT
        period,
        CASE WHEN is_region = 1 THEN 'region' ELSE 'municipality' END AS level,
        CASE WHEN is_region = 1 THEN NULL ELSE municipality END AS municipality,
        CASE WHEN is_all_types = 1 THEN 'all' ELSE inst_type END AS inst_type,
        CAST(NULL AS VARCHAR) AS inst_id,
        indicator_code,
        subject,
        grade,
        kind,
        numerator,
        denominator
    FROM grouped
),

all_rows AS (
    SELECT * FROM institution_rows
    UNION ALL
    SELECT * FROM aggregate_rows
),

final AS (
    SELECT
        * EXCLUDE (kind)
          REPLACE (CAST(numerator AS DOUBLE) AS numerator, CAST(denominator AS DOUBLE) AS denominator),
        -- a denominator of 0 gives NULL, not 0 and not an error
        CAST(
            CASE
                WHEN kind = 'count' THEN numerator
                WHEN kind IN ('share', 'per100') THEN numerator / nullif(denominator, 0) * 100
                ELSE numerator / nullif(denominator, 0)
            END AS DOUBLE
        ) AS value
    FROM all_rows
)

SELECT * FROM final
-- stored in the order the dashboards filter by, so that DuckDB's zone maps skip most of the table
-- (a full sort by every column costs a third more at country scale for little gain)
ORDER BY period, indicator_code, level

-- Every indicator for every institution, municipality and the region, per period and institution type.
-- Aggregates sum the numerators and denominators of the published institution rows and recompute the value
-- (never an average of institution values); the catalogue's `kind` decides how a value is made, and its
-- `inst_types` which institutions an indicator is published for. The results indicators carry their
-- breakdown in `subject` and `grade` (indicators.md, «Results»); every other indicator has both NULL. Both
-- columns are grouping keys of the aggregates, so a subject's municipal row sums that subject's institution
-- rows, and the 'all' rows sum the institutions' 'all' rows.
WITH inputs AS (
    SELECT
        period, inst_id, indicator_code, CAST(NULL AS VARCHAR) AS subject, CAST(NULL AS INTEGER) AS grade,
        numerator, denominator, weight
    FROM staging.int_institution_inputs
    UNION ALL
    SELECT period, inst_id, indicator_code, subject, grade, numerator, denominator, weight
    FROM staging.int_result_inputs
),

catalog AS (
    SELECT indicator_code, kind, inst_types FROM mart.indicator_catalog
),

institutions AS (
    SELECT inst_id, inst_type, municipality FROM core.institutions
),

published AS (
    SELECT
        inputs.period,
        institutions.municipality,
        institutions.inst_type,
        inputs.inst_id,
        inputs.indicator_code,
        inputs.subject,
        inputs.grade,
        catalog.kind,
        inputs.numerator,
        inputs.denominator,
        inputs.weight
    FROM inputs
    INNER JOIN institutions ON institutions.inst_id = inputs.inst_id
    INNER JOIN catalog ON catalog.indicator_code = inputs.indicator_code
    -- e.g. ICT_EJOURNAL is a school indicator: preschools neither get a row nor enter its aggregates
    WHERE catalog.inst_types IS NULL
       OR list_contains(string_split(catalog.inst_types, ','), institutions.inst_type)
),

institution_rows AS (
    -- the columns of aggregate_rows, in its order
    SELECT period, 'institution' AS level, * EXCLUDE (period, weight) FROM published
),

grouped AS (
    -- one pass for the four aggregate shapes: municipality × type, municipality × all types, region × type,
    -- region × all types. A count's denominator stays NULL (the sum of NULLs).
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
        sum(numerator * weight) AS numerator,
        sum(denominator * weight) AS denominator
    FROM published
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

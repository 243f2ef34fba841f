-- The published institution inputs of every indicator: an institution's numerator, denominator and weight
-- (int_institution_inputs, int_result_inputs) with its municipality and type, only where the catalogue
-- publishes the indicator for its type. A table, not a view: mart.indicator_values sums these rows into the
-- aggregates, and a load of one institution's corrected file replaces only that institution's rows here
-- (warehouse/build.py), so the aggregates it changes are recomputed without recomputing every institution.
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
)

SELECT * FROM published
ORDER BY period, indicator_code

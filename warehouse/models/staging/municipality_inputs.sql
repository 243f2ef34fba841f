-- The weighted sums of staging.indicator_inputs per municipality and institution type: the smallest
-- aggregate, from which mart.indicator_values adds up the others (a municipality's all types, the region's
-- types and all types). A table, so that a load of one institution's corrected file recomputes its
-- municipality's sums only (warehouse/build.py) and the region's from these rows rather than from every
-- institution. A count's denominator stays NULL (the sum of NULLs).
SELECT
    period,
    municipality,
    inst_type,
    indicator_code,
    subject,
    grade,
    kind,
    sum(numerator * weight) AS numerator,
    sum(denominator * weight) AS denominator
FROM staging.indicator_inputs
GROUP BY period, municipality, inst_type, indicator_code, subject, grade, kind
ORDER BY period, indicator_code

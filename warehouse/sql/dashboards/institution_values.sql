-- Every institution of the scope with its values of $codes in $period (long format); institutions without a
-- value keep a row (NULL code and value), so a table shows them as missing rather than leaving them out.
WITH {% include "common/_scope_institutions.sql" %},

vals AS (
    SELECT inst_id, indicator_code, numerator, denominator, value
    FROM mart.indicator_values
    WHERE level = 'institution' AND period = $period AND list_contains($codes::VARCHAR[], indicator_code)
      -- the results area's row over all subjects (its rows per subject or grade are the results page's)
      AND (subject IS NULL OR subject = 'all') AND grade IS NULL
),

final AS (
    SELECT inst.inst_id, inst.short_name, inst.name, inst.inst_type, inst.municipality, inst.locality,
           vals.indicator_code, vals.numerator, vals.denominator, vals.value
    FROM scope_institutions AS inst LEFT JOIN vals USING (inst_id)
)

SELECT * FROM final ORDER BY municipality, inst_type, short_name, inst_id

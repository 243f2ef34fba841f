-- The municipality's values in $period for every type (`all_*`) and for $inst_type (`type_*`): the mart's
-- aggregate (`*_value`) and the average institution (`*_mean`): a count's aggregate is a total, and one
-- institution compares with the average institution instead.
WITH agg AS (
    SELECT indicator_code,
           max(value) FILTER (WHERE inst_type = 'all') AS all_value,
           max(value) FILTER (WHERE inst_type = $inst_type) AS type_value
    FROM mart.indicator_values
    WHERE level = 'municipality' AND period = $period AND municipality = $municipality
      AND inst_type IN ('all', $inst_type)
      -- the results area compares its whole-school rows (subject 'all'), not the rows per subject or grade
      AND (subject IS NULL OR subject = 'all') AND grade IS NULL
    GROUP BY indicator_code
),

per_institution AS (
    SELECT indicator_code, avg(value) AS all_mean, avg(value) FILTER (WHERE inst_type = $inst_type) AS type_mean
    FROM mart.indicator_values
    WHERE level = 'institution' AND period = $period AND municipality = $municipality
      AND (subject IS NULL OR subject = 'all') AND grade IS NULL
    GROUP BY indicator_code
),

final AS (
    SELECT * FROM agg FULL JOIN per_institution USING (indicator_code)
)

SELECT * FROM final

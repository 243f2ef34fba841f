-- The values in $period of the institutions $inst_ids (a peer group, or one institution).
SELECT inst_id, indicator_code, value
FROM mart.indicator_values
WHERE level = 'institution' AND period = $period AND list_contains($inst_ids::VARCHAR[], inst_id)
  -- the results area (a row per subject) is not compared yet (issue 13, phase 2)
  AND indicator_code NOT IN (SELECT indicator_code FROM mart.indicator_catalog WHERE area = 'results')

-- The values in $period of every institution of one type in one municipality: the wider comparison group
-- of an institution whose peer group is too small.
SELECT inst_id, indicator_code, value
FROM mart.indicator_values
WHERE level = 'institution' AND period = $period AND municipality = $municipality AND inst_type = $inst_type
  -- the results area (a row per subject) is not compared yet (issue 13, phase 2)
  AND indicator_code NOT IN (SELECT indicator_code FROM mart.indicator_catalog WHERE area = 'results')

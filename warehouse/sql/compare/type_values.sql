-- The values in $period of every institution of one type in one municipality: the wider comparison group
-- of an institution whose peer group is too small (whole-school rows only, as compare/member_values).
SELECT period, inst_id, indicator_code, subject, grade, numerator, denominator, value
FROM mart.indicator_values
WHERE level = 'institution' AND period = $period AND municipality = $municipality AND inst_type = $inst_type
  AND (subject IS NULL OR subject = 'all') AND grade IS NULL

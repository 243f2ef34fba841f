-- The values in $period of the institutions $inst_ids (a peer group, or one institution), one row per
-- institution and indicator: the results area's whole-school row (`subject = 'all'`, grade NULL) stands for
-- the institution, its per-subject and per-grade rows are not compared. The numerators, denominators, subject
-- and grade are read so that the small-group rule (warehouse/small_groups.py) can size every value.
SELECT period, inst_id, indicator_code, subject, grade, numerator, denominator, value
FROM mart.indicator_values
WHERE level = 'institution' AND period = $period AND list_contains($inst_ids::VARCHAR[], inst_id)
  AND (subject IS NULL OR subject = 'all') AND grade IS NULL

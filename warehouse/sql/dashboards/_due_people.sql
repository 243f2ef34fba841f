-- The people of the scope due in the 12 months from the reporting date, as a CTE `due_people`: $kind
-- `attestation` (a highest or first category whose validity ends in [D, D + 1 year)) or `training` (never
-- trained, or the term ends before D + 1 year), with the date that makes them due. Person-level data:
-- $own is a director's institution (NULL for the other roles) and restricts the list whatever the scope says.
due_people AS (
    SELECT s.*, i.short_name,
           CASE $kind WHEN 'attestation' THEN s.category_valid_until ELSE s.training_due_date END AS due_date
    FROM mart.staff_person AS s
    JOIN scope_institutions AS i ON i.inst_id = s.inst_id
    WHERE s.period = $period
      AND CASE $kind WHEN 'attestation' THEN s.attestation_due ELSE s.training_due END
      AND ($own::VARCHAR IS NULL OR s.inst_id = $own)
)

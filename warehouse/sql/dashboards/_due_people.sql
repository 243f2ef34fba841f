-- The people of the scope on a due list, as a CTE `due_people`, with the date that puts them there and a
-- `status`. $kind `attestation`: a highest or first category whose validity ends in [D, D + 1 year) (status
-- `due`) or already ended before D (`lapsed`: the person counts as «без категории», and is the most urgent
-- case for attestation); `training`: never trained (`never`), the term already passed (`overdue`) or ending
-- before D + 1 year (`due`). Person-level data: $own is a director's institution (NULL for the other roles)
-- and restricts the list whatever the scope says.
due_people AS (
    SELECT s.*, i.short_name,
           CASE $kind WHEN 'attestation' THEN s.category_valid_until ELSE s.training_due_date END AS due_date,
           CASE
               WHEN $kind = 'attestation' THEN CASE WHEN s.category_lapsed THEN 'lapsed' ELSE 'due' END
               WHEN s.last_training_date IS NULL THEN 'never'
               WHEN s.training_due_date < s.reporting_date THEN 'overdue'
               ELSE 'due'
           END AS status
    FROM mart.staff_person AS s
    JOIN scope_institutions AS i ON i.inst_id = s.inst_id
    WHERE s.period = $period
      AND CASE $kind WHEN 'attestation' THEN s.attestation_due OR s.category_lapsed ELSE s.training_due END
      AND ($own::VARCHAR IS NULL OR s.inst_id = $own)
)

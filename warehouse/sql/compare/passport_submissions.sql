-- The passport's data-quality history of one institution ($inst_id): for every period up to $period, the
-- rows it has in core, its pedagogical staff, and what the checks set aside. The caller checks the access.
WITH periods AS (
    -- the chosen period is listed even when nothing is published for it yet
    SELECT DISTINCT period FROM mart.indicator_values WHERE period <= $period
    UNION SELECT $period
),

core_rows AS (
    -- the institution's rows in core, by dataset and period
    SELECT 'staff' AS dataset, period FROM core.staff WHERE inst_id = $inst_id
    UNION ALL SELECT 'ict', period FROM core.ict WHERE inst_id = $inst_id
    UNION ALL SELECT 'innovation', period FROM core.innovation WHERE inst_id = $inst_id
),

loaded AS (
    SELECT period,
           count(*) FILTER (WHERE dataset = 'staff') AS staff_rows,
           count(*) FILTER (WHERE dataset = 'ict') AS ict_rows,
           count(*) FILTER (WHERE dataset = 'innovation') AS innovation_rows
    FROM core_rows
    GROUP BY period
),

ped AS (
    SELECT period, value AS pedagogical_staff FROM mart.indicator_values
    WHERE level = 'institution' AND inst_id = $inst_id AND indicator_code = 'STAFF_COUNT'
),

q AS (
    -- one quarantine row per broken rule: count the file rows
    SELECT period, count(DISTINCT (batch_id, row_number)) AS quarantined_rows
    FROM dq.quarantine WHERE inst_id = $inst_id GROUP BY period
),

w AS (
    SELECT period, count(*) AS warnings FROM dq.warnings WHERE inst_id = $inst_id GROUP BY period
),

final AS (
    SELECT periods.period,
           coalesce(loaded.staff_rows, 0) AS staff_rows,
           ped.pedagogical_staff,
           coalesce(loaded.ict_rows, 0) AS ict_rows,
           coalesce(loaded.innovation_rows, 0) AS innovation_rows,
           coalesce(q.quarantined_rows, 0) AS quarantined_rows,
           coalesce(w.warnings, 0) AS warnings
    FROM periods
    LEFT JOIN loaded USING (period) LEFT JOIN ped USING (period)
    LEFT JOIN q USING (period) LEFT JOIN w USING (period)
)

SELECT * FROM final ORDER BY period

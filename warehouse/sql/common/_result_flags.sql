-- The flags of mart.result_flags in $period, as a CTE `flags` (the mart's columns that a reader shows).
flags AS (
    SELECT period, inst_id, flag, subject, grade, value, threshold, message_ru
    FROM mart.result_flags
    WHERE period = $period
)

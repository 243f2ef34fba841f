-- One institution's data-quality warnings of $period.
SELECT dataset, rule, message_ru FROM dq.warnings
WHERE inst_id = $inst_id AND period = $period
ORDER BY dataset, rule, message_ru

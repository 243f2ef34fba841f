-- How many warnings of the rules $rules (those that lower the score) each institution has per dataset.
SELECT inst_id, dataset, count(*) AS warnings
FROM dq.warnings
WHERE period = $period AND list_contains($rules::VARCHAR[], rule)
GROUP BY ALL

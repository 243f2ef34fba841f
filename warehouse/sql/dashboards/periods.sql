-- The periods with published indicators, oldest first (period codes such as 2024/2025 sort by time).
SELECT DISTINCT period FROM mart.indicator_values ORDER BY period

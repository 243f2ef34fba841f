-- The registry, sorted for lists and filters.
SELECT inst_id, name, short_name, inst_type, municipality, locality
FROM core.institutions
ORDER BY municipality, inst_type, short_name, inst_id

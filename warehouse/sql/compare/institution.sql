-- The registry row of one institution (no row: there is no such institution).
SELECT inst_id, name, short_name, inst_type, municipality, locality, address
FROM core.institutions
WHERE inst_id = $inst_id

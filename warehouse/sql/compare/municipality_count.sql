-- How many municipalities the registry holds: more than one is a regional warehouse, whose size bands are
-- cut over the whole region.
SELECT count(DISTINCT municipality) AS municipalities FROM core.institutions

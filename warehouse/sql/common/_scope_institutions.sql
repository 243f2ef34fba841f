-- The registry institutions of a scope, as a CTE `scope_institutions` (every column of core.institutions).
-- A NULL filter means every one: $municipality NULL = the whole region, $inst_type NULL = every type,
-- $inst_id NULL = every institution of the rest of the scope.
scope_institutions AS (
    SELECT * FROM core.institutions
    WHERE ($municipality::VARCHAR IS NULL OR municipality = $municipality)
      AND ($inst_type::VARCHAR IS NULL OR inst_type = $inst_type)
      AND ($inst_id::VARCHAR IS NULL OR inst_id = $inst_id)
)

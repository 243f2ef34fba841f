-- The columns a stored table has: a warehouse written by an older version may lack newer ones, so the
-- caller fills the absent optional columns itself instead of failing.
SELECT column_name FROM duckdb_columns() WHERE schema_name = $schema AND table_name = $table

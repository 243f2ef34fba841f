-- Every table and view of the warehouse as `schema.name`: what a page can read (a warehouse written by an
-- older version, or an empty one, lacks some).
WITH tables AS (
    SELECT schema_name || '.' || table_name AS relation FROM duckdb_tables()
),

views AS (
    SELECT schema_name || '.' || view_name AS relation FROM duckdb_views() WHERE NOT internal
),

final AS (
    SELECT relation FROM tables UNION ALL SELECT relation FROM views
)

SELECT * FROM final

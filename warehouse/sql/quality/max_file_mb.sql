-- The largest file the loader accepts, as stored with the warehouse (no row: the current settings apply).
SELECT value FROM meta.settings WHERE key = 'max_file_mb'

-- What the warehouse holds: `demo` for the generated demo data, else real loads (or no row at all).
SELECT value FROM meta.info WHERE key = 'kind'

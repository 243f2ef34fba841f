-- The published catalogue as stored; every column, because an older warehouse lacks the newer optional ones
-- (the caller adds them empty and sorts by the catalogue's order).
SELECT * FROM mart.indicator_catalog

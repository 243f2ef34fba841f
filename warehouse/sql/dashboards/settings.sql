-- The methodology settings stored with the data (they override the defaults: reporting date, targets …).
SELECT key, value FROM meta.settings

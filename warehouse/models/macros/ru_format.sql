-- Russian number formats for the messages of dq.warnings: decimal comma, a non-breaking space between
-- thousands and a true minus sign (−), as the dashboards and notes print numbers. DuckDB's format() needs a
-- constant format string, hence one macro per shape rather than a `decimals` argument.
CREATE OR REPLACE MACRO staging.ru_integer(x) AS
    replace(format('{:,}', round(x::DOUBLE)::BIGINT), ',', chr(160));

CREATE OR REPLACE MACRO staging.ru_decimal(x) AS
    replace(replace(replace(format('{:,.1f}', round(x::DOUBLE, 1)), ',', chr(160)), '.', ','), '-', '−');

-- with an explicit sign, for changes (format() rejects '{:+,.1f}')
CREATE OR REPLACE MACRO staging.ru_signed(x) AS
    CASE WHEN round(x::DOUBLE, 1) > 0 THEN '+' ELSE '' END || staging.ru_decimal(x);

-- a share already × 100: `24,1 %` with a non-breaking space before the sign, as pages/ui/fmt.py percent()
CREATE OR REPLACE MACRO staging.ru_percent(x) AS
    staging.ru_decimal(x) || chr(160) || '%';

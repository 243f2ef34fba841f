-- The models' macros.
--
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

-- The rows a build reads: every row, unless the build recomputes some institutions only (a load of their
-- corrected files, warehouse/build.py `scoped`) and has set the variables `imc_scope_insts` (a list of
-- inst_id) and optionally `imc_scope_periods`. getvariable() is folded when a query is planned, so an unset
-- scope costs nothing and a set one becomes a filter of the scan.
CREATE OR REPLACE MACRO staging.in_scope(period, inst_id) AS
    getvariable('imc_scope_insts') IS NULL
    OR (
        list_contains(getvariable('imc_scope_insts'), inst_id)
        AND (
            getvariable('imc_scope_periods') IS NULL
            OR list_contains(getvariable('imc_scope_periods'), period)
        )
    );

-- The periods a build reads: every period, unless `imc_scope_periods` is set (a load's warnings read the
-- periods they are computed for and the ones before them; the outliers compare every institution of those).
CREATE OR REPLACE MACRO staging.in_periods(period) AS
    getvariable('imc_scope_periods') IS NULL OR list_contains(getvariable('imc_scope_periods'), period);

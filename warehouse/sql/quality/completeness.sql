-- Every registry institution of the scope × every dataset (staff, ict, innovation) for $period, with its
-- status, the rows it has in core and its latest load (batch, rows loaded and quarantined in it, when, which
-- file). Status: `complete` = rows in core and a clean latest load; `partial` = rows in core, but the latest
-- load had quarantined rows; `quarantined` = every row sent was quarantined; `missing` = nothing at all.
WITH {% include "quality/_batches.sql" %},

{% include "common/_scope_institutions.sql" %},

datasets AS (
    SELECT * FROM (VALUES ('staff', 1), ('ict', 2), ('innovation', 3)) AS d (dataset, ord)
),

present AS (
    SELECT dataset, inst_id, CAST(sum(rows_loaded) AS BIGINT) AS rows FROM core_batches GROUP BY ALL
),

joined AS (
    SELECT inst.inst_id, inst.short_name, inst.inst_type, inst.municipality, d.dataset, d.ord,
           coalesce(present.rows, 0) AS rows,
           latest.batch_id AS latest_batch,
           coalesce(cb.rows_loaded, 0) AS latest_rows_loaded,
           coalesce(qb.rows_quarantined, 0) AS latest_rows_quarantined,
           log.loaded_at AS latest_loaded_at,
           log.source_file AS latest_file
    FROM scope_institutions AS inst
    CROSS JOIN datasets AS d
    LEFT JOIN present ON present.dataset = d.dataset AND present.inst_id = inst.inst_id
    LEFT JOIN latest ON latest.dataset = d.dataset AND latest.inst_id = inst.inst_id
    LEFT JOIN core_batches AS cb
        ON cb.dataset = d.dataset AND cb.inst_id = inst.inst_id AND cb.batch_id = latest.batch_id
    LEFT JOIN quarantine_batches AS qb
        ON qb.dataset = d.dataset AND qb.inst_id = inst.inst_id AND qb.batch_id = latest.batch_id
    LEFT JOIN dq.load_log AS log ON log.batch_id = latest.batch_id
),

final AS (
    SELECT inst_id, short_name, inst_type, municipality, dataset,
           CASE WHEN rows > 0 AND latest_rows_quarantined > 0 THEN 'partial'
                WHEN rows > 0 THEN 'complete'
                WHEN latest_rows_quarantined > 0 THEN 'quarantined'
                ELSE 'missing' END AS status,
           rows, latest_batch, latest_rows_loaded, latest_rows_quarantined, latest_loaded_at, latest_file, ord
    FROM joined
)

SELECT * EXCLUDE (ord) FROM final ORDER BY municipality, inst_type, short_name, inst_id, ord

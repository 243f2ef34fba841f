-- The pedagogical staff P with age, category at the reporting date and planning flags: the person-level
-- lists of the dashboards (who is due for attestation or training). Personal data: the data access layer
-- restricts it by role (a director sees their own institution only).
WITH persons AS (
    SELECT * FROM staging.stg_staff_person
),

institutions AS (
    SELECT inst_id, inst_type, municipality FROM core.institutions
),

final AS (
    SELECT
        persons.period,
        institutions.municipality,
        institutions.inst_type,
        persons.* EXCLUDE (period, batch_id)
    FROM persons
    INNER JOIN institutions ON institutions.inst_id = persons.inst_id
)

SELECT * FROM final

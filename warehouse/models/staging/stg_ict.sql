-- The ict rows with the institution's type and locality, the connectivity target that applies to it and
-- the five components of the ICT readiness index (ICT_READINESS_INDEX, see indicators.md).
WITH ict AS (
    SELECT * FROM core.ict WHERE staging.in_scope(period, inst_id)
),

institutions AS (
    SELECT inst_id, inst_type, locality FROM core.institutions
),

settings AS (
    SELECT * FROM staging.stg_settings
),

targeted AS (
    SELECT
        ict.*,
        institutions.inst_type,
        institutions.locality,
        -- national connectivity targets: 100 Mbit/s in towns, 50 Mbit/s in the countryside (settings)
        CASE
            WHEN institutions.locality = 'rural' THEN settings.speed_target_rural_mbps
            ELSE settings.speed_target_urban_mbps
        END AS speed_target_mbps
    FROM ict
    INNER JOIN institutions ON institutions.inst_id = ict.inst_id
    CROSS JOIN settings
),

components AS (
    SELECT
        targeted.*,
        targeted.internet_speed_mbps >= targeted.speed_target_mbps AS meets_speed_target,
        -- c1: learning PCs per 100 pupils, 10 or more per 100 counts as fully equipped
        CASE
            WHEN targeted.students > 0
                THEN least(targeted.computers_learning / targeted.students * 100 / 10, 1.0)
            ELSE 0.0
        END AS c1_pc_per_pupil,
        -- c2 and c3 are 0, not NULL, when there is nothing to connect or equip: no PCs is not ready
        CASE
            WHEN targeted.computers_total > 0 THEN targeted.computers_internet / targeted.computers_total
            ELSE 0.0
        END AS c2_pc_internet,
        CASE
            WHEN targeted.classrooms_total > 0
                THEN targeted.classrooms_workstation / targeted.classrooms_total
            ELSE 0.0
        END AS c3_rooms_workstation,
        CASE WHEN targeted.internet_speed_mbps >= targeted.speed_target_mbps THEN 1.0 ELSE 0.0 END
            AS c4_speed,
        -- an electronic journal is a school matter; other types are judged on distance learning alone
        CASE
            WHEN targeted.inst_type = 'school'
                THEN (CAST(targeted.e_journal AS DOUBLE) + CAST(targeted.distance_learning AS DOUBLE)) / 2
            ELSE CAST(targeted.distance_learning AS DOUBLE)
        END AS c5_digital_services
    FROM targeted
),

final AS (
    SELECT
        components.*,
        100 * (c1_pc_per_pupil + c2_pc_internet + c3_rooms_workstation + c4_speed + c5_digital_services) / 5
            AS readiness_index
    FROM components
)

SELECT * FROM final

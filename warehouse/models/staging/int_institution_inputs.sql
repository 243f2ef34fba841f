-- Institution-level numerators and denominators of every indicator, in long form, only for the
-- institutions and periods where the indicator is published (indicators.md, "An indicator is published for
-- an institution only when the dataset it needs exists"). mart.indicator_values turns these into values and
-- aggregates them; `weight` is what an institution's numerator and denominator count for in an aggregate:
-- 1 everywhere except the readiness index, whose aggregate is pupil-weighted.
WITH staff_submissions AS (
    -- an institution that submitted staff rows publishes the staff indicators even if none of its rows is
    -- pedagogical (|P| = 0 gives STAFF_COUNT 0 and NULL shares)
    SELECT DISTINCT period, inst_id FROM core.staff WHERE staging.in_scope(period, inst_id)
),

persons AS (
    SELECT * FROM staging.stg_staff_person
),

ict AS (
    SELECT * FROM staging.stg_ict
),

innovation AS (
    SELECT * FROM staging.stg_innovation
),

staff_by_institution AS (
    SELECT
        period,
        inst_id,
        count(*) AS ped,
        count_if(has_higher_edu) AS higher_edu,
        count_if(has_higher_ped_edu) AS higher_ped_edu,
        count_if(has_cat_highest) AS cat_highest,
        count_if(has_cat_first) AS cat_first,
        count_if(has_cat_any) AS cat_any,
        count_if(trained_3y) AS trained_3y,
        count_if(ict_training) AS ict_trained,
        count_if(is_under_35) AS under_35,
        count_if(is_55_plus) AS age_55_plus,
        sum(age) AS age_sum,
        count_if(exp_under_5) AS exp_under_5,
        count_if(exp_over_30) AS exp_over_30,
        count_if(is_young_specialist) AS young_specialists,
        count_if(attestation_due) AS attestation_due,
        count_if(category_lapsed) AS category_lapsed,
        count_if(training_due) AS training_due,
        count_if(young_with_mentor) AS young_with_mentor,
        count_if(needs_surveyed) AS needs_surveyed
    FROM persons
    GROUP BY period, inst_id
),

staff_counts AS (
    SELECT
        staff_submissions.period,
        staff_submissions.inst_id,
        -- every count of staff_by_institution, in its order: 0 where the institution has no pedagogical rows
        CAST(coalesce(COLUMNS(s.* EXCLUDE (period, inst_id)), 0) AS DOUBLE)
    FROM staff_submissions
    LEFT JOIN staff_by_institution AS s
        ON s.period = staff_submissions.period AND s.inst_id = staff_submissions.inst_id
),

innovation_by_institution AS (
    SELECT
        period,
        inst_id,
        count(*) FILTER (WHERE activity_type = 'innovation_site') AS sites,
        count(*) FILTER (WHERE activity_type = 'project') AS projects,
        count(*) FILTER (WHERE activity_type = 'event') AS events,
        count(*) FILTER (WHERE activity_type = 'publication') AS publications,
        -- participation counts every level and result; winners only municipal level and above
        sum(participants) FILTER (WHERE activity_type = 'staff_contest') AS staff_contest_participants,
        sum(participants) FILTER (
            WHERE activity_type = 'staff_contest' AND is_winner AND is_municipal_or_above
        ) AS staff_contest_winners,
        sum(participants) FILTER (
            WHERE activity_type = 'student_contest' AND is_winner AND is_municipal_or_above
        ) AS student_winners
    FROM innovation
    GROUP BY period, inst_id
),

reporting AS (
    -- "reporting institutions" of a period: a staff or an ict row
    SELECT period, inst_id FROM staff_submissions
    UNION
    SELECT period, inst_id FROM ict
),

innovation_population AS (
    -- counts are published for reporting institutions (0 without records) and for any institution that
    -- sent innovation records
    SELECT period, inst_id FROM reporting
    UNION
    SELECT period, inst_id FROM innovation_by_institution
),

innovation_counts AS (
    SELECT
        innovation_population.period,
        innovation_population.inst_id,
        reporting.inst_id IS NOT NULL AS is_reporting,
        -- every count of innovation_by_institution, in its order: 0 where the institution has no records
        CAST(coalesce(COLUMNS(i.* EXCLUDE (period, inst_id)), 0) AS DOUBLE)
    FROM innovation_population
    LEFT JOIN reporting
        ON reporting.period = innovation_population.period
       AND reporting.inst_id = innovation_population.inst_id
    LEFT JOIN innovation_by_institution AS i
        ON i.period = innovation_population.period AND i.inst_id = innovation_population.inst_id
),

staff_values AS (
    -- needs staff rows
    SELECT
        period,
        inst_id,
        unnest([
            {'indicator_code': 'STAFF_COUNT', 'numerator': ped, 'denominator': NULL::DOUBLE},
            {'indicator_code': 'STAFF_HIGHER_EDU', 'numerator': higher_edu, 'denominator': ped},
            {'indicator_code': 'STAFF_HIGHER_PED_EDU', 'numerator': higher_ped_edu, 'denominator': ped},
            {'indicator_code': 'STAFF_CAT_HIGHEST', 'numerator': cat_highest, 'denominator': ped},
            {'indicator_code': 'STAFF_CAT_FIRST', 'numerator': cat_first, 'denominator': ped},
            {'indicator_code': 'STAFF_CAT_ANY', 'numerator': cat_any, 'denominator': ped},
            {'indicator_code': 'STAFF_TRAINED_3Y', 'numerator': trained_3y, 'denominator': ped},
            {'indicator_code': 'STAFF_ICT_TRAINED', 'numerator': ict_trained, 'denominator': ped},
            {'indicator_code': 'STAFF_UNDER_35', 'numerator': under_35, 'denominator': ped},
            {'indicator_code': 'STAFF_55_PLUS', 'numerator': age_55_plus, 'denominator': ped},
            {'indicator_code': 'STAFF_MEAN_AGE', 'numerator': age_sum, 'denominator': ped},
            {'indicator_code': 'STAFF_EXP_UNDER_5', 'numerator': exp_under_5, 'denominator': ped},
            {'indicator_code': 'STAFF_EXP_OVER_30', 'numerator': exp_over_30, 'denominator': ped},
            {
                'indicator_code': 'STAFF_YOUNG_SPECIALISTS',
                'numerator': young_specialists,
                'denominator': NULL::DOUBLE
            },
            {
                'indicator_code': 'STAFF_ATTESTATION_DUE',
                'numerator': attestation_due,
                'denominator': NULL::DOUBLE
            },
            {
                'indicator_code': 'STAFF_CATEGORY_LAPSED',
                'numerator': category_lapsed,
                'denominator': NULL::DOUBLE
            },
            {'indicator_code': 'STAFF_TRAINING_DUE', 'numerator': training_due, 'denominator': NULL::DOUBLE},
            {
                'indicator_code': 'STAFF_YOUNG_WITH_MENTOR',
                'numerator': young_with_mentor,
                'denominator': young_specialists
            },
            -- per teacher: needs staff rows for the denominator
            {
                'indicator_code': 'INNO_STAFF_CONTEST_PER_100',
                'numerator': coalesce(staff_contest_participants, 0.0),
                'denominator': ped
            }
        ], recursive := true),
        1.0 AS weight
    FROM staff_counts
    LEFT JOIN innovation_counts USING (period, inst_id)
),

staff_and_ict_values AS (
    -- pupils per teacher needs both datasets
    SELECT
        staff_counts.period,
        staff_counts.inst_id,
        'STAFF_STUDENTS_PER_PED' AS indicator_code,
        CAST(ict.students AS DOUBLE) AS numerator,
        staff_counts.ped AS denominator,
        1.0 AS weight
    FROM staff_counts
    INNER JOIN ict ON ict.period = staff_counts.period AND ict.inst_id = staff_counts.inst_id
),

needs_values AS (
    -- the survey's share is published only for institutions whose survey (staff_needs rows) is in the
    -- warehouse for the period, and that sent staff rows (P is its denominator)
    SELECT
        staff_counts.period,
        staff_counts.inst_id,
        'STAFF_NEEDS_SURVEYED' AS indicator_code,
        staff_counts.needs_surveyed AS numerator,
        staff_counts.ped AS denominator,
        1.0 AS weight
    FROM staff_counts
    SEMI JOIN (SELECT period, inst_id FROM core.staff_needs WHERE staging.in_scope(period, inst_id)) AS needs
        ON needs.period = staff_counts.period AND needs.inst_id = staff_counts.inst_id
),

ict_counts AS (
    -- the ict row's counts as numerators and denominators, its yes/no answers as 1 or 0
    SELECT
        period,
        inst_id,
        CAST(students AS DOUBLE) AS students,
        CAST(computers_total AS DOUBLE) AS computers_total,
        CAST(computers_learning AS DOUBLE) AS computers_learning,
        CAST(computers_internet AS DOUBLE) AS computers_internet,
        CAST(computers_learning_internet AS DOUBLE) AS computers_learning_internet,
        CAST(classrooms_total AS DOUBLE) AS classrooms_total,
        CAST(classrooms_workstation AS DOUBLE) AS classrooms_workstation,
        CAST(interactive_boards AS DOUBLE) AS interactive_boards,
        CASE WHEN meets_speed_target THEN 1.0 ELSE 0.0 END AS meets_speed_target,
        CASE WHEN e_journal THEN 1.0 ELSE 0.0 END AS e_journal,
        CASE WHEN distance_learning THEN 1.0 ELSE 0.0 END AS distance_learning
    FROM ict
),

ict_values AS (
    -- needs the ict row; ICT_EJOURNAL is restricted to schools by the catalogue (inst_types)
    SELECT
        ict.period,
        ict.inst_id,
        unnest([
            {'indicator_code': 'ICT_PC_LEARNING_PER_100', 'numerator': ict.computers_learning,
             'denominator': ict.students},
            {'indicator_code': 'ICT_PC_LEARNING_INTERNET_PER_100', 'numerator': ict.computers_learning_internet,
             'denominator': ict.students},
            {'indicator_code': 'ICT_PC_INTERNET_SHARE', 'numerator': ict.computers_internet,
             'denominator': ict.computers_total},
            {'indicator_code': 'ICT_WORKSTATION_ROOMS', 'numerator': ict.classrooms_workstation,
             'denominator': ict.classrooms_total},
            {'indicator_code': 'ICT_INTERACTIVE_PER_100', 'numerator': ict.interactive_boards,
             'denominator': ict.students},
            {'indicator_code': 'ICT_SPEED_TARGET', 'numerator': ict.meets_speed_target, 'denominator': 1.0},
            {'indicator_code': 'ICT_EJOURNAL', 'numerator': ict.e_journal, 'denominator': 1.0},
            {'indicator_code': 'ICT_DISTANCE', 'numerator': ict.distance_learning, 'denominator': 1.0},
            -- per pupil: needs the ict row for the denominator
            {'indicator_code': 'INNO_STUDENT_WINNERS_PER_100',
             'numerator': coalesce(innovation_counts.student_winners, 0.0), 'denominator': ict.students}
        ], recursive := true),
        1.0 AS weight
    FROM ict_counts AS ict
    LEFT JOIN innovation_counts
        ON innovation_counts.period = ict.period AND innovation_counts.inst_id = ict.inst_id
),

readiness_values AS (
    -- the institution's index is its own value (denominator 1); above the institution it is weighted by
    -- pupils: Σ index × students / Σ students
    SELECT
        period,
        inst_id,
        'ICT_READINESS_INDEX' AS indicator_code,
        readiness_index AS numerator,
        1.0 AS denominator,
        CAST(students AS DOUBLE) AS weight
    FROM ict
),

innovation_values AS (
    SELECT
        period,
        inst_id,
        unnest([
            {'indicator_code': 'INNO_SITES', 'numerator': sites, 'denominator': NULL::DOUBLE},
            {'indicator_code': 'INNO_PROJECTS', 'numerator': projects, 'denominator': NULL::DOUBLE},
            {'indicator_code': 'INNO_EVENTS', 'numerator': events, 'denominator': NULL::DOUBLE},
            {
                'indicator_code': 'INNO_STAFF_CONTEST_WINNERS',
                'numerator': staff_contest_winners,
                'denominator': NULL::DOUBLE
            },
            {'indicator_code': 'INNO_PUBLICATIONS', 'numerator': publications, 'denominator': NULL::DOUBLE}
        ], recursive := true),
        1.0 AS weight
    FROM innovation_counts
),

site_values AS (
    -- the share of organisations with an innovation site is over reporting institutions only
    SELECT
        period,
        inst_id,
        'INNO_ORGS_WITH_SITE' AS indicator_code,
        CASE WHEN sites > 0 THEN 1.0 ELSE 0.0 END AS numerator,
        1.0 AS denominator,
        1.0 AS weight
    FROM innovation_counts
    WHERE is_reporting
),

final AS (
    -- the values above, matched by column name
    SELECT * FROM staff_values
    UNION ALL BY NAME
    SELECT * FROM staff_and_ict_values
    UNION ALL BY NAME
    SELECT * FROM needs_values
    UNION ALL BY NAME
    SELECT * FROM ict_values
    UNION ALL BY NAME
    SELECT * FROM readiness_values
    UNION ALL BY NAME
    SELECT * FROM innovation_values
    UNION ALL BY NAME
    SELECT * FROM site_values
)

SELECT period, inst_id, indicator_code, numerator, denominator, weight FROM final

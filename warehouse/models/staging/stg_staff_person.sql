-- P, the pedagogical staff of a period: one row per (period, inst_id, staff_id) with the person's age at the
-- reporting date D, the category valid at D and one flag per staff indicator. Every staff indicator counts
-- these flags, so the methodology's definitions live here once.
WITH staff AS (
    SELECT * FROM core.staff WHERE staging.in_scope(period, inst_id)
),

periods AS (
    SELECT period, reporting_date, training_window_start, next_year_end FROM staging.stg_periods
),

settings AS (
    SELECT * FROM staging.stg_settings
),

pedagogical AS (
    -- heads and deputy heads are administrative positions; external part-timers are counted where they
    -- hold their main post, as in the official methodology (only `main` and `internal` employment count)
    SELECT *
    FROM staff
    WHERE position NOT IN ('head', 'deputy_head')
      AND employment IN ('main', 'internal')
),

mentored AS (
    -- a mentor counts only when the mentor_staff_id is a person of P of the same institution and period
    -- (a mentor in another institution, or an administrative or external one, does not); dq.warnings names
    -- the rest (rule mentor_unknown). A person is not their own mentor.
    SELECT mentees.period, mentees.inst_id, mentees.staff_id
    FROM pedagogical AS mentees
    INNER JOIN pedagogical AS mentors
        ON mentors.period = mentees.period
       AND mentors.inst_id = mentees.inst_id
       AND mentors.staff_id = mentees.mentor_staff_id
    WHERE mentors.staff_id <> mentees.staff_id
),

surveyed AS (
    -- people who named at least one need in the survey of the same institution and period; a needs row of
    -- a staff_id without a staff row matches nobody here, so it counts in no indicator
    SELECT DISTINCT period, inst_id, staff_id FROM core.staff_needs WHERE staging.in_scope(period, inst_id)
),

dated AS (
    SELECT
        pedagogical.*,
        mentored.staff_id IS NOT NULL AS has_mentor,
        surveyed.staff_id IS NOT NULL AS needs_surveyed,
        periods.reporting_date,
        periods.training_window_start,
        periods.next_year_end,
        -- full years at D, birthday-based: on D's own month and day the birthday has come; someone born on
        -- 29 February has not had it yet on 28 February
        year(periods.reporting_date) - year(pedagogical.birth_date)
            - CASE
                WHEN month(periods.reporting_date) * 100 + day(periods.reporting_date)
                    < month(pedagogical.birth_date) * 100 + day(pedagogical.birth_date)
                    THEN 1
                ELSE 0
            END AS age,
        -- category_valid_until is as given, or derived by the loader (pre-01.09.2023 highest/first:
        -- + 5 years; otherwise indefinite = NULL); a category whose validity ended before D counts as no
        -- category, and `compliance` (соответствие занимаемой должности) is not a qualification category
        CASE
            WHEN pedagogical.category IN ('highest', 'methodist', 'mentor', 'first')
                AND (
                    pedagogical.category_valid_until IS NULL
                    OR pedagogical.category_valid_until >= periods.reporting_date
                )
                -- methodist and mentor are the top tier and count as "highest"
                THEN CASE WHEN pedagogical.category = 'first' THEN 'first' ELSE 'highest' END
            ELSE 'none'
        END AS category_at_date
    FROM pedagogical
    INNER JOIN periods ON periods.period = pedagogical.period
    LEFT JOIN mentored
        ON mentored.period = pedagogical.period
       AND mentored.inst_id = pedagogical.inst_id
       AND mentored.staff_id = pedagogical.staff_id
    LEFT JOIN surveyed
        ON surveyed.period = pedagogical.period
       AND surveyed.inst_id = pedagogical.inst_id
       AND surveyed.staff_id = pedagogical.staff_id
),

final AS (
    SELECT
        dated.period,
        dated.inst_id,
        dated.staff_id,
        dated.full_name,
        dated.position,
        dated.employment,
        dated.gender,
        dated.birth_date,
        dated.reporting_date,
        dated.age,
        dated.education_level,
        dated.pedagogical_education,
        dated.category,
        dated.category_date,
        dated.category_valid_until,
        dated.category_at_date,
        dated.last_training_date,
        -- the date by which the next training is due (N years after the last one; NULL = never trained)
        CAST(dated.last_training_date + to_years(settings.training_interval_years) AS DATE)
            AS training_due_date,
        dated.ict_training,
        dated.ped_experience_years,
        dated.total_experience_years,
        dated.subject,
        dated.mentor_staff_id,
        dated.batch_id,
        dated.education_level = 'higher' AS has_higher_edu,
        dated.education_level = 'higher' AND dated.pedagogical_education AS has_higher_ped_edu,
        dated.category_at_date = 'highest' AS has_cat_highest,
        dated.category_at_date = 'first' AS has_cat_first,
        dated.category_at_date IN ('highest', 'first') AS has_cat_any,
        -- "within the last 3 years" = (D − 3 years, D]
        coalesce(
            dated.last_training_date > dated.training_window_start
            AND dated.last_training_date <= dated.reporting_date,
            FALSE
        ) AS trained_3y,
        -- the indicator names fix 35 and 55 years; only the young-specialist thresholds are settings
        dated.age < 35 AS is_under_35,
        dated.age >= 55 AS is_55_plus,
        dated.ped_experience_years < 5 AS exp_under_5,
        dated.ped_experience_years > 30 AS exp_over_30,
        dated.age < settings.young_specialist_max_age
            AND dated.ped_experience_years < settings.young_specialist_max_experience AS is_young_specialist,
        -- mentoring and the needs survey (STAFF_YOUNG_WITH_MENTOR, STAFF_NEEDS_SURVEYED)
        dated.has_mentor,
        dated.age < settings.young_specialist_max_age
            AND dated.ped_experience_years < settings.young_specialist_max_experience
            AND dated.has_mentor AS young_with_mentor,
        dated.needs_surveyed,
        -- attestation planning: a highest or first category whose validity ends in [D, D + 1 year)
        coalesce(
            dated.category IN ('highest', 'first')
            AND dated.category_valid_until >= dated.reporting_date
            AND dated.category_valid_until < dated.next_year_end,
            FALSE
        ) AS attestation_due,
        -- a lapsed category: a highest or first category whose validity (given or derived) ended before D;
        -- the person counts as «без категории» in the shares and is the most urgent one for attestation
        coalesce(
            dated.category IN ('highest', 'first') AND dated.category_valid_until < dated.reporting_date,
            FALSE
        ) AS category_lapsed,
        -- training planning: never trained, or the N-year term since the last training ends before D + 1 year
        coalesce(
            dated.last_training_date IS NULL
            OR dated.last_training_date + to_years(settings.training_interval_years) < dated.next_year_end,
            FALSE
        ) AS training_due,
        -- the groupings of the staff structure charts, beside the flags of the same methodology:
        -- an expired category counts as none, but «соответствие занимаемой должности» is kept apart from
        -- «без категории» (it is no qualification category, yet the person was attested)
        CASE
            WHEN dated.category_at_date = 'none'
                THEN CASE WHEN dated.category = 'compliance' THEN 'compliance' ELSE 'none' END
            -- a valid category keeps its own name (methodist and mentor are shown as such)
            ELSE dated.category
        END AS category_group,
        CASE
            WHEN dated.education_level = 'higher' AND dated.pedagogical_education THEN 'higher_ped'
            WHEN dated.education_level = 'higher' THEN 'higher_other'
            WHEN dated.education_level = 'secondary_vocational' AND dated.pedagogical_education THEN 'svo_ped'
            WHEN dated.education_level = 'secondary_vocational' THEN 'svo_other'
            ELSE 'none'
        END AS education_group,
        -- five-year age bands at D (25-29 … 60-64), open at both ends: under 25, 65 and over
        CASE
            WHEN dated.age < 25 THEN '<25'
            WHEN dated.age < 65 THEN format('{}-{}', dated.age // 5 * 5, dated.age // 5 * 5 + 4)
            ELSE '65+'
        END AS age_band,
        -- pedagogical experience bands; the bounds of the staff indicators (under 5, over 30) are band edges
        CASE
            WHEN dated.ped_experience_years < 3 THEN '<3'
            WHEN dated.ped_experience_years < 5 THEN '3-5'
            WHEN dated.ped_experience_years < 10 THEN '5-10'
            WHEN dated.ped_experience_years < 20 THEN '10-20'
            WHEN dated.ped_experience_years <= 30 THEN '20-30'
            ELSE '>30'
        END AS experience_band,
        -- the pedagogical-service bands of the federal form ОО-1, each including its lower bound (the age
        -- bands of ОО-1 are age_band above: under 25, 25–29 … 60–64, 65 and over)
        CASE
            WHEN dated.ped_experience_years < 3 THEN '<3'
            WHEN dated.ped_experience_years < 5 THEN '3-5'
            WHEN dated.ped_experience_years < 10 THEN '5-10'
            WHEN dated.ped_experience_years < 15 THEN '10-15'
            WHEN dated.ped_experience_years < 20 THEN '15-20'
            ELSE '20+'
        END AS oo1_experience_band
    FROM dated
    CROSS JOIN settings
)

SELECT * FROM final

-- The warehouse's stored tables: what the loader writes. Everything under mart.* is rebuilt from these
-- by the models in warehouse/models/ (see warehouse/build.py).
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS dq;
CREATE SCHEMA IF NOT EXISTS mart;
CREATE SCHEMA IF NOT EXISTS meta;

-- settings the models read (reporting date of a period, speed targets, young-specialist thresholds)
CREATE TABLE IF NOT EXISTS meta.settings (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- facts about the warehouse itself (e.g. kind = demo)
CREATE TABLE IF NOT EXISTS meta.info (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS core.institutions (
    inst_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    short_name VARCHAR NOT NULL,
    inst_type VARCHAR NOT NULL,
    municipality VARCHAR NOT NULL,
    locality VARCHAR NOT NULL,
    address VARCHAR,
    batch_id VARCHAR
);

CREATE TABLE IF NOT EXISTS core.staff (
    period VARCHAR NOT NULL,
    inst_id VARCHAR NOT NULL,
    staff_id VARCHAR NOT NULL,
    full_name VARCHAR,
    position VARCHAR NOT NULL,
    employment VARCHAR NOT NULL,
    gender VARCHAR NOT NULL,
    birth_date DATE NOT NULL,
    education_level VARCHAR NOT NULL,
    pedagogical_education BOOLEAN NOT NULL,
    category VARCHAR NOT NULL,
    category_date DATE,
    -- as given in the file, or derived: pre-01.09.2023 highest/first + 5 years, otherwise indefinite (NULL)
    category_valid_until DATE,
    category_valid_until_given BOOLEAN NOT NULL DEFAULT FALSE,
    last_training_date DATE,
    ict_training BOOLEAN NOT NULL,
    ped_experience_years DOUBLE NOT NULL,
    total_experience_years DOUBLE,
    subject VARCHAR,
    batch_id VARCHAR,
    -- the person's mentor (staff_id of a pedagogical worker of the same institution and period); an
    -- unknown mentor is kept as given and reported in dq.warnings (rule mentor_unknown)
    mentor_staff_id VARCHAR
);
-- a warehouse built before the column existed gains it (empty): no reload needed
ALTER TABLE core.staff ADD COLUMN IF NOT EXISTS mentor_staff_id VARCHAR;

CREATE TABLE IF NOT EXISTS core.ict (
    period VARCHAR NOT NULL,
    inst_id VARCHAR NOT NULL,
    students BIGINT NOT NULL,
    computers_total BIGINT NOT NULL,
    computers_learning BIGINT NOT NULL,
    computers_internet BIGINT NOT NULL,
    computers_learning_internet BIGINT NOT NULL,
    classrooms_total BIGINT NOT NULL,
    classrooms_workstation BIGINT NOT NULL,
    interactive_boards BIGINT NOT NULL,
    internet_speed_mbps DOUBLE NOT NULL,
    e_journal BOOLEAN NOT NULL,
    distance_learning BOOLEAN NOT NULL,
    batch_id VARCHAR
);

CREATE TABLE IF NOT EXISTS core.innovation (
    period VARCHAR NOT NULL,
    inst_id VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,
    activity_type VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    event_date DATE,
    participants BIGINT NOT NULL DEFAULT 1,
    result VARCHAR,
    staff_id VARCHAR,
    batch_id VARCHAR
);

-- ГИА: one row per participant per exam subject (data contract, dataset 5); participants by code only
CREATE TABLE IF NOT EXISTS core.exam_results (
    period VARCHAR NOT NULL,
    inst_id VARCHAR NOT NULL,
    exam VARCHAR NOT NULL,  -- ege / oge / gve
    grade INTEGER NOT NULL,  -- 9 / 11
    subject VARCHAR NOT NULL,
    participant_id VARCHAR NOT NULL,
    primary_score DOUBLE,
    score INTEGER,  -- ЕГЭ except math_base
    mark INTEGER,  -- ОГЭ, ГВЭ, ЕГЭ math_base
    batch_id VARCHAR
);

-- ВПР: one row per participant per subject and grade (dataset 6)
CREATE TABLE IF NOT EXISTS core.vpr_results (
    period VARCHAR NOT NULL,
    inst_id VARCHAR NOT NULL,
    grade INTEGER NOT NULL,
    subject VARCHAR NOT NULL,
    participant_id VARCHAR NOT NULL,
    primary_score DOUBLE,
    mark INTEGER NOT NULL,
    journal_mark INTEGER,
    batch_id VARCHAR
);

-- ВсОШ: one row per participant per stage and subject (dataset 7); `subject` as written in the file,
-- `subject_key` trimmed, whitespace collapsed, lower-cased, «ё» as «е» (what indicators compare and group by)
CREATE TABLE IF NOT EXISTS core.olympiad (
    period VARCHAR NOT NULL,
    inst_id VARCHAR NOT NULL,
    stage VARCHAR NOT NULL,  -- school / municipal / regional / final
    subject VARCHAR NOT NULL,
    subject_key VARCHAR NOT NULL,
    grade INTEGER NOT NULL,
    participant_id VARCHAR NOT NULL,
    score DOUBLE,
    status VARCHAR NOT NULL,  -- participant / prize_winner / winner
    batch_id VARCHAR
);

-- the needs survey (dataset 8): one row per person per need; a staff_id without a staff row of the same
-- institution and period is kept (the staff file may come later) and counts in no indicator until it has one
CREATE TABLE IF NOT EXISTS core.staff_needs (
    period VARCHAR NOT NULL,
    inst_id VARCHAR NOT NULL,
    staff_id VARCHAR NOT NULL,
    need VARCHAR NOT NULL,  -- fgos / functional_literacy / … / other
    form VARCHAR,  -- course / seminar / mentoring / self_study / internship
    batch_id VARCHAR
);

-- settings that differ by period (e.g. the ЕГЭ minimum score of a subject in one year): a row here wins over
-- the same key of meta.settings for that period only (warehouse/settings.py)
CREATE TABLE IF NOT EXISTS meta.period_settings (
    period VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY (period, key)
);

CREATE TABLE IF NOT EXISTS dq.load_log (
    batch_id VARCHAR PRIMARY KEY,
    loaded_at TIMESTAMP NOT NULL,
    source_file VARCHAR NOT NULL,
    sha256 VARCHAR,
    dataset VARCHAR,
    status VARCHAR NOT NULL,  -- loaded / partial / rejected / duplicate
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    message_ru VARCHAR,
    archive_path VARCHAR,
    uploaded_by VARCHAR  -- the app user's login, or the operating-system user of `python -m etl load`
);
-- warehouses built before the column existed
ALTER TABLE dq.load_log ADD COLUMN IF NOT EXISTS uploaded_by VARCHAR;

-- one row per broken rule: a row that breaks two rules appears twice
CREATE TABLE IF NOT EXISTS dq.quarantine (
    batch_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    dataset VARCHAR NOT NULL,
    row_number BIGINT,
    inst_id VARCHAR,
    column_name VARCHAR,
    value VARCHAR,
    rule VARCHAR NOT NULL,
    message_ru VARCHAR NOT NULL,
    period VARCHAR
);

CREATE TABLE IF NOT EXISTS dq.warnings (
    batch_id VARCHAR,
    period VARCHAR,
    dataset VARCHAR,
    inst_id VARCHAR,
    rule VARCHAR NOT NULL,
    message_ru VARCHAR NOT NULL
);

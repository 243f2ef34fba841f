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
    batch_id VARCHAR
);

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

CREATE TABLE IF NOT EXISTS dq.load_log (
    batch_id VARCHAR PRIMARY KEY,
    loaded_at TIMESTAMP NOT NULL,
    source_file VARCHAR NOT NULL,
    sha256 VARCHAR,
    dataset VARCHAR,
    status VARCHAR NOT NULL,  -- loaded / partial / rejected / duplicate / replaced (by a later file of its load)
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

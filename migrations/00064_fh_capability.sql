-- +goose Up
-- FH 2025 服务伙伴-专家能力构建激励 (§10.6.2): a programme of one of the
-- four capability-building scenarios, joined on the vendor's invitation or
-- on the partner's application (five certified specialists in the
-- scenario, reviewed by the ecosystem manager), at the tier the vendor set
-- for the scenario when the agreement is signed.
ALTER TABLE fh_programs
    DROP CONSTRAINT fh_programs_variant_check,
    ADD CONSTRAINT fh_programs_variant_check CHECK (variant IN ('service_2024', 'capability_2025')),
    DROP CONSTRAINT fh_programs_status_check,
    ADD CONSTRAINT fh_programs_status_check CHECK (status IN ('applied', 'rejected', 'invited', 'joined', 'ended')),
    DROP CONSTRAINT fh_programs_joined_check,
    ADD CONSTRAINT fh_programs_joined_check CHECK ((status = 'joined') <= (joined_at IS NOT NULL) AND (status IN ('applied', 'rejected', 'invited')) <= (joined_at IS NULL)),
    ADD COLUMN scenario text CHECK (scenario IN ('database', 'devsecops', 'pangu', 'ascend')),
    ADD COLUMN tier smallint CHECK (tier BETWEEN 1 AND 3),
    ADD COLUMN application_id bigint REFERENCES applications (id),
    ADD CONSTRAINT fh_programs_scenario_variant_check CHECK ((variant = 'capability_2025') = (scenario IS NOT NULL)),
    ADD CONSTRAINT fh_programs_joined_tier_check CHECK (variant <> 'capability_2025' OR status <> 'joined' OR tier IS NOT NULL),
    DROP CONSTRAINT fh_programs_partner_id_variant_key;
-- One live programme per partner and variant; an ended one stays beside a
-- newer invitation or application.
CREATE UNIQUE INDEX fh_programs_live_key ON fh_programs (partner_id, variant) WHERE status <> 'ended';

-- The tier the vendor sets for each scenario (§10.6.2.3: 一档 15万, 二档
-- 20万, 三档 30万 per capability standard).
CREATE TABLE fh_scenario_tiers (
    scenario   text        PRIMARY KEY CHECK (scenario IN ('database', 'devsecops', 'pangu', 'ascend')),
    tier       smallint    NOT NULL CHECK (tier BETWEEN 1 AND 3),
    updated_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL
);

-- A scenario's capability standards (能力标准), kept by the vendor.
CREATE TABLE fh_standards (
    id         bigserial   PRIMARY KEY,
    scenario   text        NOT NULL CHECK (scenario IN ('database', 'devsecops', 'pangu', 'ascend')),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    active     boolean     NOT NULL DEFAULT true,
    created_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX fh_standards_name_key ON fh_standards (scenario, lower(name));

-- A passed capability appraisal (能力鉴定), recorded by the ecosystem
-- manager: a person and a standard once (§10.6.2.6).
CREATE TABLE fh_appraisals (
    id          bigserial   PRIMARY KEY,
    program_id  bigint      NOT NULL REFERENCES fh_programs (id) ON DELETE CASCADE,
    partner_id  bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    person_id   bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    standard_id bigint      NOT NULL REFERENCES fh_standards (id),
    passed_on   date        NOT NULL,
    recorded_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (person_id, standard_id)
);
CREATE INDEX fh_appraisals_program_idx ON fh_appraisals (program_id, passed_on);

-- A line is baseline × units × coefficient: a 2024 month is one unit of
-- the role's baseline at the city's coefficient; a 2025 month pays the
-- person's newly passed standards, units of the tier amount at 1.
ALTER TABLE fh_lines ADD COLUMN units integer NOT NULL DEFAULT 1 CHECK (units > 0);

-- The appraisals a line pays: each once while its month is live.
CREATE TABLE fh_line_appraisals (
    line_id      bigint  NOT NULL REFERENCES fh_lines (id) ON DELETE CASCADE,
    appraisal_id bigint  NOT NULL REFERENCES fh_appraisals (id) ON DELETE CASCADE,
    live         boolean NOT NULL DEFAULT true,
    PRIMARY KEY (line_id, appraisal_id)
);
CREATE UNIQUE INDEX fh_line_appraisals_once_key ON fh_line_appraisals (appraisal_id) WHERE live;

-- +goose Down
DROP TABLE fh_line_appraisals;
ALTER TABLE fh_lines DROP COLUMN units;
DROP TABLE fh_appraisals;
DROP TABLE fh_standards;
DROP TABLE fh_scenario_tiers;
DELETE FROM fh_programs WHERE variant = 'capability_2025' OR status IN ('applied', 'rejected');
DELETE FROM fh_programs a USING fh_programs b WHERE a.partner_id = b.partner_id AND a.variant = b.variant AND a.id < b.id;
DROP INDEX fh_programs_live_key;
ALTER TABLE fh_programs
    ADD CONSTRAINT fh_programs_partner_id_variant_key UNIQUE (partner_id, variant),
    DROP CONSTRAINT fh_programs_joined_tier_check,
    DROP CONSTRAINT fh_programs_scenario_variant_check,
    DROP COLUMN application_id,
    DROP COLUMN tier,
    DROP COLUMN scenario,
    DROP CONSTRAINT fh_programs_joined_check,
    ADD CONSTRAINT fh_programs_joined_check CHECK ((status = 'joined') <= (joined_at IS NOT NULL) AND (status = 'invited') <= (joined_at IS NULL)),
    DROP CONSTRAINT fh_programs_status_check,
    ADD CONSTRAINT fh_programs_status_check CHECK (status IN ('invited', 'joined', 'ended')),
    DROP CONSTRAINT fh_programs_variant_check,
    ADD CONSTRAINT fh_programs_variant_check CHECK (variant IN ('service_2024'));

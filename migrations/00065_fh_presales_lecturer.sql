-- +goose Up
-- FH 数字化转型咨询与系统集成伙伴-售前解决方案专家激励 (si_presales,
-- §10.6.3) and 学习与赋能伙伴-讲师养成基金/讲师专职投入基金 (lp_lecturer,
-- §10.6.4).
ALTER TABLE fh_programs
    DROP CONSTRAINT fh_programs_variant_check,
    ADD CONSTRAINT fh_programs_variant_check CHECK (variant IN ('service_2024', 'capability_2025', 'si_presales', 'lp_lecturer')),
    -- An LP programme's 月度地区限额 (§10.6.4.6, "请咨询您的生态经理"): set
    -- by vendor staff, needed before the agreement is signed.
    ADD COLUMN monthly_limit numeric CHECK (monthly_limit > 0 AND monthly_limit = round(monthly_limit, 2)),
    ADD CONSTRAINT fh_programs_limit_variant_check CHECK (monthly_limit IS NULL OR variant = 'lp_lecturer'),
    ADD CONSTRAINT fh_programs_joined_limit_check CHECK (variant <> 'lp_lecturer' OR status <> 'joined' OR monthly_limit IS NOT NULL);

-- An SI presales expert's grading (定级) by the ecosystem manager with the
-- project that proves it (§10.6.3.5–10.6.3.7): at most two per expert,
-- a project proves one grading only.
CREATE TABLE fh_gradings (
    id           bigserial   PRIMARY KEY,
    program_id   bigint      NOT NULL REFERENCES fh_programs (id) ON DELETE CASCADE,
    partner_id   bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    person_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seq          smallint    NOT NULL CHECK (seq IN (1, 2)),
    level        text        NOT NULL CHECK (level IN ('senior', 'principal')),
    project_code text        NOT NULL CHECK (length(project_code) BETWEEN 1 AND 40),
    project_name text        NOT NULL CHECK (length(project_name) BETWEEN 1 AND 100),
    customer     text        NOT NULL CHECK (length(customer) BETWEEN 1 AND 100),
    currency     text        NOT NULL CHECK (currency IN ('CNY', 'USD')),
    cash         numeric     NOT NULL CHECK (cash > 0 AND cash = round(cash, 2)),
    start_month  date        NOT NULL CHECK (extract(day FROM start_month) = 1),
    written_exam boolean     NOT NULL DEFAULT false,
    graded_on    date        NOT NULL,
    recorded_by  bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL,
    UNIQUE (person_id, seq),
    CHECK (level <> 'principal' OR written_exam),
    CHECK (start_month <= graded_on)
);
CREATE UNIQUE INDEX fh_gradings_project_key ON fh_gradings (upper(project_code));
CREATE INDEX fh_gradings_program_idx ON fh_gradings (program_id, graded_on);

-- An SI line pays one grading (4 × the level's baseline), once while its
-- month is live. An LP line is a fund: 讲师养成基金 (cultivation, once per
-- lecturer) or 讲师专职投入基金 (dedicated, with the month's class-days and
-- satisfaction).
ALTER TABLE fh_lines
    ADD COLUMN grading_id bigint REFERENCES fh_gradings (id) ON DELETE CASCADE,
    ADD COLUMN class_days numeric CHECK (class_days > 0 AND class_days = round(class_days, 1)),
    ADD COLUMN satisfaction numeric CHECK (satisfaction BETWEEN 0 AND 5 AND satisfaction = round(satisfaction, 2));
CREATE UNIQUE INDEX fh_lines_grading_key ON fh_lines (grading_id) WHERE live AND grading_id IS NOT NULL;
CREATE UNIQUE INDEX fh_lines_cultivation_key ON fh_lines (person_id) WHERE live AND role = 'cultivation';

-- +goose Down
DROP INDEX fh_lines_cultivation_key;
DROP INDEX fh_lines_grading_key;
ALTER TABLE fh_lines DROP COLUMN satisfaction, DROP COLUMN class_days, DROP COLUMN grading_id;
DROP TABLE fh_gradings;
DELETE FROM fh_programs WHERE variant IN ('si_presales', 'lp_lecturer');
ALTER TABLE fh_programs
    DROP CONSTRAINT fh_programs_joined_limit_check,
    DROP CONSTRAINT fh_programs_limit_variant_check,
    DROP COLUMN monthly_limit,
    DROP CONSTRAINT fh_programs_variant_check,
    ADD CONSTRAINT fh_programs_variant_check CHECK (variant IN ('service_2024', 'capability_2025'));

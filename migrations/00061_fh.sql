-- +goose Up
-- 专职人员激励 FH (seed 003 §10.6; build-plan 7.C; issue 16): the
-- programmes partners are invited to, the persons they fund (project
-- specialists of the right path), the monthly applications and their
-- lines, and the quarterly payment applications.

-- A partner's FH programme of a variant (service_2024: 服务伙伴-专家服务
-- 专职人员激励, invitation only, §10.6.1.1): invited → joined (the partner
-- accepted the agreement and the compliance points) | ended.
CREATE TABLE fh_programs (
    id         bigserial   PRIMARY KEY,
    partner_id bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    variant    text        NOT NULL CHECK (variant IN ('service_2024')),
    status     text        NOT NULL CHECK (status IN ('invited', 'joined', 'ended')),
    invited_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    invited_at timestamptz NOT NULL,
    joined_by  bigint      REFERENCES users (id) ON DELETE SET NULL,
    joined_at  timestamptz,
    UNIQUE (partner_id, variant),
    CHECK ((status = 'invited') = (joined_at IS NULL))
);

-- A funded person: a project specialist of the programme's path, with
-- the role whose baseline applies and the work city (社保所在地) whose
-- coefficient applies (§10.6.1.2–10.6.1.3).
CREATE TABLE fh_persons (
    id         bigserial   PRIMARY KEY,
    program_id bigint      NOT NULL REFERENCES fh_programs (id) ON DELETE CASCADE,
    person_id  bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text        NOT NULL CHECK (role IN ('expert', 'senior_engineer', 'senior_consultant')),
    city       text        NOT NULL CHECK (length(city) BETWEEN 1 AND 20),
    active     boolean     NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL,
    UNIQUE (program_id, person_id)
);

-- A month's application (one per partner and month, N62): submitted →
-- approved | rejected | withdrawn; the quarter's payment application
-- takes the approved months.
CREATE TABLE fh_months (
    id             bigserial   PRIMARY KEY,
    program_id     bigint      NOT NULL REFERENCES fh_programs (id) ON DELETE CASCADE,
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    month          date        NOT NULL CHECK (extract(day FROM month) = 1),
    status         text        NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'withdrawn')),
    amount         numeric     NOT NULL CHECK (amount >= 0 AND amount = round(amount, 2)),
    application_id bigint      REFERENCES applications (id),
    payment_id     bigint,
    created_by     bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX fh_months_live_key ON fh_months (program_id, month) WHERE status IN ('submitted', 'approved');
CREATE INDEX fh_months_partner_idx ON fh_months (partner_id, month DESC);

-- A person's line of a month: its baseline × 100% × its city's
-- coefficient. One live line per person and month across every FH
-- (§10.6.1.7, N74).
CREATE TABLE fh_lines (
    id          bigserial PRIMARY KEY,
    month_id    bigint    NOT NULL REFERENCES fh_months (id) ON DELETE CASCADE,
    person_id   bigint    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    month       date      NOT NULL,
    name        text      NOT NULL,
    role        text      NOT NULL,
    baseline    numeric   NOT NULL CHECK (baseline > 0),
    city        text      NOT NULL,
    coefficient numeric   NOT NULL CHECK (coefficient > 0),
    amount      numeric   NOT NULL CHECK (amount >= 0 AND amount = round(amount, 2)),
    live        boolean   NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX fh_lines_person_month_key ON fh_lines (person_id, month) WHERE live;
CREATE INDEX fh_lines_month_idx ON fh_lines (month_id);

-- A quarter's payment application (§10.6.1.4–10.6.1.5): all three months
-- approved, no deadline; paid by vendor finance.
CREATE TABLE fh_payments (
    id           bigserial   PRIMARY KEY,
    program_id   bigint      NOT NULL REFERENCES fh_programs (id) ON DELETE CASCADE,
    partner_id   bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    quarter      text        NOT NULL CHECK (quarter ~ '^[0-9]{4}Q[1-4]$'),
    amount       numeric     NOT NULL CHECK (amount >= 0 AND amount = round(amount, 2)),
    status       text        NOT NULL CHECK (status IN ('submitted', 'paid')),
    payment_ref  text        NOT NULL DEFAULT '' CHECK (length(payment_ref) <= 100),
    decision_key text        NOT NULL DEFAULT '',
    paid_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    paid_at      timestamptz,
    created_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL,
    UNIQUE (program_id, quarter),
    CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
ALTER TABLE fh_months ADD CONSTRAINT fh_months_payment_fk FOREIGN KEY (payment_id) REFERENCES fh_payments (id);

-- +goose Down
ALTER TABLE fh_months DROP CONSTRAINT fh_months_payment_fk;
DROP TABLE fh_payments;
DROP TABLE fh_lines;
DROP TABLE fh_months;
DROP TABLE fh_persons;
DROP TABLE fh_programs;

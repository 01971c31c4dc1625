-- +goose Up
-- 一次性工程费用 NRE (seed 003 §10.8; build-plan 7.B; issue 16): the
-- ecosystem special solutions the vendor records with their flags, the NRE
-- applications (one per solution), and the milestones of the signed
-- agreement, accepted and paid one by one.

-- A solution of an ecosystem special programme (昇腾云/盘古大模型, 鲲鹏云,
-- 高斯数据库, 鸿蒙应用上云) as the vendor records it: its admission
-- certification and whether it is already listed (§10.8.2).
CREATE TABLE nre_solutions (
    id          bigserial   PRIMARY KEY,
    partner_id  bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    programme   text        NOT NULL CHECK (programme IN ('ascend_pangu', 'kunpeng', 'gauss', 'harmony')),
    admitted_on date,
    listed      boolean     NOT NULL DEFAULT false,
    created_by  bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (partner_id, name)
);

-- An NRE: assessing 技术评估 → final_review 商业价值终评 (the staged
-- review) → agreement_pending 协议待签署 → agreement_review 协议复核 →
-- effective 协议生效 → completed (every milestone paid) | rejected |
-- withdrawn.
CREATE TABLE nre_applications (
    id                 bigserial   PRIMARY KEY,
    no                 text        NOT NULL UNIQUE,
    partner_id         bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    solution_id        bigint      NOT NULL REFERENCES nre_solutions (id),
    status             text        NOT NULL CHECK (status IN ('assessing', 'final_review', 'agreement_pending', 'agreement_review',
                                                              'effective', 'completed', 'rejected', 'withdrawn')),
    scope              text        NOT NULL CHECK (length(scope) BETWEEN 1 AND 2000),
    services           text        NOT NULL CHECK (length(services) BETWEEN 1 AND 500),
    plan               text        NOT NULL CHECK (length(plan) BETWEEN 1 AND 2000),
    starts_on          date        NOT NULL,
    amount             numeric     CHECK (amount IS NULL OR (amount > 0 AND amount <= 500000 AND amount = round(amount, 2))),
    agreement_file_id  bigint      REFERENCES files (id) ON DELETE SET NULL,
    agreement_by       bigint      REFERENCES users (id) ON DELETE SET NULL,
    agreement_note     text        NOT NULL DEFAULT '' CHECK (length(agreement_note) <= 500),
    application_id     bigint      REFERENCES applications (id),
    created_by         bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    CHECK (status NOT IN ('agreement_review', 'effective', 'completed') OR (amount IS NOT NULL AND agreement_file_id IS NOT NULL))
);
-- One NRE per solution (§10.8.3).
CREATE UNIQUE INDEX nre_applications_solution_key ON nre_applications (solution_id) WHERE status NOT IN ('rejected', 'withdrawn');
CREATE INDEX nre_applications_partner_idx ON nre_applications (partner_id, created_at DESC);
CREATE INDEX nre_applications_status_idx ON nre_applications (status, updated_at);

-- A milestone of the agreement: pending → accepting 验收中 → accepted →
-- paid (an acceptance refused: pending again).
CREATE TABLE nre_milestones (
    id             bigserial   PRIMARY KEY,
    nre_id         bigint      NOT NULL REFERENCES nre_applications (id) ON DELETE CASCADE,
    seq            int         NOT NULL CHECK (seq BETWEEN 1 AND 10),
    name           text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    amount         numeric     NOT NULL CHECK (amount > 0 AND amount = round(amount, 2)),
    due_on         date        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('pending', 'accepting', 'accepted', 'paid')),
    application_id bigint      REFERENCES applications (id),
    payment_ref    text        NOT NULL DEFAULT '' CHECK (length(payment_ref) <= 100),
    decision_key   text        NOT NULL DEFAULT '',
    paid_by        bigint      REFERENCES users (id) ON DELETE SET NULL,
    paid_at        timestamptz,
    UNIQUE (nre_id, seq),
    CHECK ((status = 'paid') = (paid_at IS NOT NULL))
);
CREATE INDEX nre_milestones_status_idx ON nre_milestones (status);

-- +goose Down
DROP TABLE nre_milestones;
DROP TABLE nre_applications;
DROP TABLE nre_solutions;

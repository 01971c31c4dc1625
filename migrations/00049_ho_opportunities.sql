-- +goose Up
-- 机会点 由华为共享 HO (seed 003 §11.1.3; build-plan 5.C; issue 14): the
-- opportunities the vendor shares with an eligible PCE member, and the
-- Offerings built jointly with the partner that make it eligible.

-- 基于华为云联合共建的伙伴Offering (§11.1.3.2 (2)), kept by the vendor.
CREATE TABLE partner_offerings (
    id         bigserial   PRIMARY KEY,
    partner_id bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- the baseline solution's lead (build-plan 5.B): Huawei-Lead or Partner-Lead
    lead       text        NOT NULL CHECK (lead IN ('huawei', 'partner')),
    created_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (partner_id, name)
);

CREATE TABLE ho_opportunities (
    id                   bigserial   PRIMARY KEY,
    partner_id           bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    -- HO-YYYYMMDD-NNNN, China date
    no                   text        NOT NULL UNIQUE CHECK (no ~ '^HO-[0-9]{8}-[0-9]{4,}$'),
    -- pending 待接受 → accepted 已接受 | rejected 已拒绝 | expired 逾期失效;
    -- accepted → withdrawn 已撤回 (the vendor only, §11.1.3.5)
    status               text        NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected', 'expired', 'withdrawn')),
    customer_name        text        NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 100),
    -- the normalised name the duplicate protection compares (§11.1.2.9)
    customer_key         text        NOT NULL,
    customer_credit_code text        NOT NULL DEFAULT '',
    industry             text        NOT NULL,
    requirement          text        NOT NULL CHECK (length(requirement) <= 500),
    budget               numeric     NOT NULL CHECK (budget > 0 AND budget = round(budget, 2)),
    purchase_on          date        NOT NULL,
    description          text        NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    -- 客户负责人: the vendor's account owner of the customer
    customer_owner       text        NOT NULL CHECK (length(customer_owner) BETWEEN 1 AND 50),
    -- the CRM creation time: an HO's validity (§11.1.2.9)
    crm_created_at       timestamptz NOT NULL,
    shared_by            bigint      REFERENCES users (id) ON DELETE SET NULL,
    shared_at            timestamptz NOT NULL,
    -- the end of the third working day after sharing, China time (§11.1.3.4)
    due_at               timestamptz NOT NULL,
    decided_by           bigint      REFERENCES users (id) ON DELETE SET NULL,
    decided_at           timestamptz,
    reject_reason        text        NOT NULL DEFAULT '' CHECK (length(reject_reason) <= 500),
    withdrawn_by         bigint      REFERENCES users (id) ON DELETE SET NULL,
    withdraw_reason      text        NOT NULL DEFAULT '' CHECK (length(withdraw_reason) <= 500),
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CHECK (crm_created_at <= shared_at),
    CHECK ((status = 'rejected') = (reject_reason <> '')),
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX ho_opportunities_partner_idx ON ho_opportunities (partner_id, shared_at DESC);
CREATE INDEX ho_opportunities_due_idx ON ho_opportunities (due_at) WHERE status = 'pending';
CREATE INDEX ho_opportunities_customer_key_idx ON ho_opportunities (customer_key) WHERE status IN ('pending', 'accepted');
CREATE INDEX ho_opportunities_credit_code_idx ON ho_opportunities (customer_credit_code)
    WHERE status IN ('pending', 'accepted') AND customer_credit_code <> '';

-- +goose Down
DROP TABLE ho_opportunities;
DROP TABLE partner_offerings;

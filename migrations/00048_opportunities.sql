-- +goose Up
-- 机会点 共享给华为 PO (seed 003 §11.1.2; build-plan 5.B; issue 14): the
-- opportunities a PCE member shares with the vendor, reviewed by its
-- ecosystem manager through the approval engine (type opportunity_po).
CREATE TABLE opportunities (
    id                   bigserial   PRIMARY KEY,
    partner_id           bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    -- PO-YYYYMMDD-NNNN, China date
    no                   text        NOT NULL UNIQUE CHECK (no ~ '^PO-[0-9]{8}-[0-9]{4,}$'),
    -- draft 草稿 → in_review 审核中 → approved 已通过 | review_failed 审核不通过
    -- (信息不完整 / 机会点无效: resubmitted) | duplicate 审核不通过 (机会点重复);
    -- in_review → draft (驳回); approved → won 赢单 | lost 丢单
    status               text        NOT NULL CHECK (status IN ('draft', 'in_review', 'approved', 'review_failed', 'duplicate', 'won', 'lost')),
    customer_name        text        NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 100),
    -- the normalised name the duplicate protection compares (§11.1.2.9)
    customer_key         text        NOT NULL,
    customer_credit_code text        NOT NULL DEFAULT '',
    industry             text        NOT NULL,
    contact_name         text        NOT NULL,
    contact_phone        text        NOT NULL,
    requirement          text        NOT NULL CHECK (length(requirement) <= 500),
    budget               numeric     NOT NULL CHECK (budget > 0 AND budget = round(budget, 2)),
    purchase_on          date        NOT NULL,
    description          text        NOT NULL CHECK (length(description) <= 1000),
    offerings            text        NOT NULL DEFAULT '' CHECK (length(offerings) <= 200),
    support              text        NOT NULL DEFAULT '' CHECK (length(support) <= 500),
    authorized           boolean     NOT NULL CHECK (authorized),
    partner_contact      text        NOT NULL,
    partner_phone        text        NOT NULL,
    review_reason        text        NOT NULL DEFAULT '' CHECK (review_reason IN ('', 'incomplete', 'invalid', 'duplicate')),
    review_comment       text        NOT NULL DEFAULT '' CHECK (length(review_comment) <= 2000),
    application_id       bigint      REFERENCES applications (id),
    submitted_at         timestamptz,
    -- the approval: protection starts (a PO's validity, §11.1.2.9)
    valid_from           timestamptz,
    closed_at            timestamptz,
    created_by           bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CHECK ((status IN ('approved', 'won', 'lost')) = (valid_from IS NOT NULL))
);
CREATE INDEX opportunities_partner_idx ON opportunities (partner_id, created_at DESC);
CREATE INDEX opportunities_customer_key_idx ON opportunities (customer_key) WHERE valid_from IS NOT NULL;
CREATE INDEX opportunities_credit_code_idx ON opportunities (customer_credit_code) WHERE valid_from IS NOT NULL AND customer_credit_code <> '';

-- +goose Down
DROP TABLE opportunities;

-- +goose Up
-- Contracts (账务 > 合同商务, seed 003 §12.1.9.2, §12.1.9.4, §12.3.11;
-- digest §3.22, §3.25, §4.13).
--
-- Two kinds share one table:
--   online  — the 华为云付款协议 (cloud payment agreement) a real-name
--             verified partner generates and signs itself; the signed terms
--             are kept verbatim (terms) and the generated PDF in files.
--   offline — 线下合同 entered by vendor staff (经销商发展合作协议, 请款合同,
--             框架协议 …), optionally with a PDF scan in files.
-- The stored status is 'active' (生效中) or 'terminated' (已终止, by vendor
-- staff); 已到期 (expired) is not stored: it is an active contract whose
-- ends_on lies before today (China time), so it never goes stale.
CREATE SEQUENCE contract_code_seq;

CREATE TABLE contracts (
    id              bigserial PRIMARY KEY,
    partner_id      bigint      NOT NULL REFERENCES partners (id),
    kind            text        NOT NULL CHECK (kind IN ('online', 'offline')),
    code            text        NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_./-]{0,63}$'),
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    contract_type   text        NOT NULL CHECK (contract_type IN
                        ('payment_agreement', 'reseller_development', 'payment_request', 'framework', 'other')),
    -- §12.1.9.4: 'software' 华为软件技术有限公司, 'cloud' 华为云计算技术有限公司.
    signing_entity  text        NOT NULL CHECK (signing_entity IN ('software', 'cloud')),
    amount          numeric     CHECK (amount IS NULL OR (amount > 0 AND amount = trunc(amount, 2))),
    starts_on       date,
    ends_on         date,
    status          text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'terminated')),
    signed_at       timestamptz,
    signed_by       bigint      REFERENCES users (id) ON DELETE SET NULL,
    terms           text        NOT NULL DEFAULT '',
    file_id         bigint      REFERENCES files (id) ON DELETE SET NULL,
    created_by      bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    terminated_at   timestamptz,
    terminated_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    termination_reason text     NOT NULL DEFAULT '' CHECK (length(termination_reason) <= 200),
    UNIQUE (code),
    UNIQUE (partner_id, id),
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
    -- The online payment agreement is generated, signed and stored as a PDF.
    CHECK (kind <> 'online' OR (contract_type = 'payment_agreement' AND signed_at IS NOT NULL
        AND terms <> '')),
    CHECK (kind <> 'offline' OR (contract_type <> 'payment_agreement' AND starts_on IS NOT NULL AND ends_on IS NOT NULL)),
    CHECK ((status = 'terminated') = (terminated_at IS NOT NULL))
);
CREATE INDEX contracts_partner_idx ON contracts (partner_id, kind, created_at DESC, id DESC);
CREATE INDEX contracts_created_idx ON contracts (created_at DESC, id DESC);
-- One payment agreement in effect per partner and signing entity: a second
-- signing while one is in effect is refused (also under concurrency).
CREATE UNIQUE INDEX contracts_one_payment_agreement ON contracts (partner_id, signing_entity)
    WHERE kind = 'online' AND contract_type = 'payment_agreement' AND status = 'active';

-- +goose Down
DROP TABLE contracts;
DROP SEQUENCE contract_code_seq;

-- +goose Up
-- 发展路径 (seed 003 §4; build-plan 1.D; issue 11): a partner account's
-- development path and stage, the vendor's invitations and whitelist (SI
-- §4.3.1, learning & enablement by invitation), the solution
-- certifications the vendor records (software path, §4.1), and the
-- December re-review campaigns (§4.2.8).
CREATE TABLE path_enrollments (
    id               bigserial   PRIMARY KEY,
    partner_id       bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    path             text        NOT NULL CHECK (path IN ('software', 'service', 'si', 'learning')),
    stage            text        NOT NULL CHECK (stage IN ('joined', 'role_certified', 'differentiated')),
    status           text        NOT NULL CHECK (status IN ('active', 'exited')),
    joined_at        timestamptz NOT NULL,
    stage_at         timestamptz NOT NULL,
    -- The stage certificate (role or differentiation), valid to 31
    -- January of the next year (N16).
    certificate_no   text        UNIQUE,
    cert_valid_until date,
    exited_at        timestamptz,
    updated_at       timestamptz NOT NULL,
    CHECK (stage = 'joined' OR (certificate_no IS NOT NULL AND cert_valid_until IS NOT NULL)),
    CHECK (status <> 'exited' OR exited_at IS NOT NULL)
);
-- One path per account (LC §3.4, inferred).
CREATE UNIQUE INDEX path_enrollments_live ON path_enrollments (partner_id) WHERE status = 'active';
CREATE INDEX path_enrollments_expiry_idx ON path_enrollments (cert_valid_until) WHERE status = 'active' AND stage <> 'joined';

-- The vendor's invitation of a partner to a path that is not open to
-- everyone: SI by whitelist (§4.3.1), learning & enablement by invitation
-- (001:L15).
CREATE TABLE path_invitations (
    partner_id  bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    path        text        NOT NULL CHECK (path IN ('si', 'learning')),
    invited_by  bigint      REFERENCES users (id) ON DELETE SET NULL,
    invited_at  timestamptz NOT NULL,
    PRIMARY KEY (partner_id, path)
);

-- Solution certifications of the software path (§4.1.1–4.1.8), recorded
-- by the vendor: one year valid (N11); they decide the software stage.
CREATE TABLE solution_certifications (
    id          bigserial   PRIMARY KEY,
    partner_id  bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind        text        NOT NULL CHECK (kind IN ('cloud_software', 'advanced')),
    approved_on date        NOT NULL,
    valid_until date        NOT NULL CHECK (valid_until > approved_on),
    recorded_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX solution_certifications_partner_idx ON solution_certifications (partner_id, valid_until DESC);

-- The December re-review (复核, §4.2.8): the vendor opens a campaign with
-- a deadline; certified partners submit path_rereview applications.
CREATE TABLE path_campaigns (
    id         bigserial   PRIMARY KEY,
    year       int         NOT NULL UNIQUE CHECK (year BETWEEN 2000 AND 2100),
    deadline   date        NOT NULL,
    opened_by  bigint      REFERENCES users (id) ON DELETE SET NULL,
    opened_at  timestamptz NOT NULL
);

-- Accounts that hold a path identity from before this table get their
-- enrollment (at the joined stage: their certificates were not recorded).
INSERT INTO path_enrollments (partner_id, path, stage, status, joined_at, stage_at, updated_at)
SELECT DISTINCT ON (partner_id) partner_id, identity, 'joined', 'active', joined_at, joined_at, now()
FROM partner_identities WHERE identity IN ('software', 'service', 'si', 'learning')
ORDER BY partner_id, joined_at;

-- +goose Down
DROP TABLE path_campaigns;
DROP TABLE solution_certifications;
DROP TABLE path_invitations;
DROP TABLE path_enrollments;

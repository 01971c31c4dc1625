-- +goose Up
-- 华为云伙伴计划 (seed 003 §5; build-plan 1.C; issue 11): a partner's
-- memberships of the solution provider, master distributor and cloud
-- reseller programs. partner_identities stays the set of active
-- memberships and paths that access reads (written in the same
-- transaction by the partner package).
CREATE TABLE program_memberships (
    id                bigserial   PRIMARY KEY,
    partner_id        bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    program           text        NOT NULL CHECK (program IN ('solution_provider', 'master_distributor', 'cloud_reseller')),
    -- applied: an SP application with the reviewer; invited: an MD
    -- invitation waiting for the main account; active; the rest are ends.
    status            text        NOT NULL CHECK (status IN ('applied', 'invited', 'active', 'rejected', 'withdrawn',
                                      'declined', 'expired', 'delisted', 'exited')),
    -- SP level (N44 names 领先级 and 核心级; '' before any assessment).
    level             text        NOT NULL DEFAULT '' CHECK (level IN ('', 'core', 'leading')),
    -- MD type and region class (§5.2, N43).
    md_type           text        NOT NULL DEFAULT '' CHECK (md_type IN ('', 'national', 'regional')),
    region_class      smallint    CHECK (region_class BETWEEN 1 AND 3),
    -- CR: its master distributor (also partners.parent_partner_id).
    parent_partner_id bigint      REFERENCES partners (id),
    application_id    bigint      REFERENCES applications (id),
    invited_by        bigint      REFERENCES users (id) ON DELETE SET NULL,
    invited_at        timestamptz,
    joined_at         timestamptz,
    valid_until       date,
    certificate_no    text        UNIQUE,
    ended_at          timestamptz,
    ended_by          bigint      REFERENCES users (id) ON DELETE SET NULL,
    end_reason        text        NOT NULL DEFAULT '' CHECK (length(end_reason) <= 500),
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    CHECK (status <> 'active' OR (joined_at IS NOT NULL AND valid_until IS NOT NULL AND certificate_no IS NOT NULL)),
    CHECK (program <> 'master_distributor' OR (md_type <> '' AND region_class IS NOT NULL)),
    CHECK (program <> 'cloud_reseller' OR parent_partner_id IS NOT NULL),
    CHECK (parent_partner_id IS NULL OR parent_partner_id <> partner_id)
);
-- One open or active membership of a program per partner.
CREATE UNIQUE INDEX program_memberships_live ON program_memberships (partner_id, program)
    WHERE status IN ('applied', 'invited', 'active');
CREATE INDEX program_memberships_partner_idx ON program_memberships (partner_id, id DESC);
CREATE INDEX program_memberships_parent_idx ON program_memberships (parent_partner_id) WHERE parent_partner_id IS NOT NULL;
CREATE INDEX program_memberships_renewal_idx ON program_memberships (valid_until) WHERE status = 'active';

-- The vendor's annual assessment of a membership (§5.1.6, §5.1.9,
-- N21/N23): published at the end of January for the year before; a
-- certificate is renewed only when the year's assessment passed.
CREATE TABLE program_assessments (
    membership_id bigint      NOT NULL REFERENCES program_memberships (id) ON DELETE CASCADE,
    year          int         NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    passed        boolean     NOT NULL,
    note          text        NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    recorded_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    recorded_at   timestamptz NOT NULL,
    PRIMARY KEY (membership_id, year)
);

-- A master distributor's invitation of a cloud reseller (§5.3, §4.5):
-- one link, valid 7 days (inferred), used once.
CREATE TABLE reseller_invitations (
    id                  bigserial   PRIMARY KEY,
    master_partner_id   bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    token               text        NOT NULL UNIQUE CHECK (length(token) BETWEEN 20 AND 64),
    note                text        NOT NULL DEFAULT '' CHECK (length(note) <= 100),
    status              text        NOT NULL CHECK (status IN ('pending', 'accepted', 'revoked')),
    created_by          bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL,
    expires_at          timestamptz NOT NULL,
    accepted_partner_id bigint      REFERENCES partners (id) ON DELETE SET NULL,
    accepted_at         timestamptz,
    CHECK (status <> 'accepted' OR (accepted_partner_id IS NOT NULL AND accepted_at IS NOT NULL)),
    CHECK (accepted_partner_id IS NULL OR accepted_partner_id <> master_partner_id)
);
CREATE INDEX reseller_invitations_master_idx ON reseller_invitations (master_partner_id, id DESC);

-- Partners that hold a program identity from before this table existed
-- get their membership (joined when the identity was given, certificate
-- valid to the next 31 January). A reseller without a parent keeps its
-- identity only: its membership needs the master distributor.
INSERT INTO program_memberships (partner_id, program, status, md_type, region_class, parent_partner_id, joined_at,
    valid_until, certificate_no, created_at, updated_at)
SELECT pi.partner_id, pi.identity, 'active',
       CASE WHEN pi.identity = 'master_distributor' THEN 'national' ELSE '' END,
       CASE WHEN pi.identity = 'master_distributor' THEN 1 END,
       CASE WHEN pi.identity = 'cloud_reseller' THEN p.parent_partner_id END,
       pi.joined_at,
       make_date(extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int + 1, 1, 31),
       'HWC-' || CASE pi.identity WHEN 'solution_provider' THEN 'SP' WHEN 'master_distributor' THEN 'MD' ELSE 'CR' END
           || '-' || extract(year FROM pi.joined_at AT TIME ZONE 'Asia/Shanghai')::int || '-P' || lpad(pi.partner_id::text, 6, '0'),
       now(), now()
FROM partner_identities pi JOIN partners p ON p.id = pi.partner_id
WHERE pi.identity IN ('solution_provider', 'master_distributor')
   OR (pi.identity = 'cloud_reseller' AND p.parent_partner_id IS NOT NULL);

-- +goose Down
DROP TABLE reseller_invitations;
DROP TABLE program_assessments;
DROP TABLE program_memberships;

-- +goose Up
-- 权益, part 1: the people side (seed 003 §7.2, §10.3, §10.4; build-plan
-- 6.A–6.D, 6.G–6.H; issue 15): personal Huawei accounts, the partner's
-- invitations and links to them (组织 > 项目专员), their certificates
-- (个人资质), project specialists, and the exam vouchers and cloud-lab
-- points issued to them.

-- A personal Huawei account (个人华为账号) signs in like everyone else.
ALTER TABLE users DROP CONSTRAINT users_kind_check;
ALTER TABLE users ADD CONSTRAINT users_kind_check CHECK (kind IN ('partner', 'vendor', 'customer', 'personal'));
ALTER TABLE users DROP CONSTRAINT users_kind_shape;
ALTER TABLE users ADD CONSTRAINT users_kind_shape CHECK (
       (kind = 'partner' AND partner_id IS NOT NULL AND vendor_role IS NULL)
    OR (kind = 'vendor' AND partner_id IS NULL AND vendor_role IS NOT NULL AND NOT is_main)
    OR (kind IN ('customer', 'personal') AND partner_id IS NULL AND vendor_role IS NULL AND NOT is_main));

-- What the cloud knows of a personal account: its tenant name (华为云租户名,
-- its login name), site, real-name status, and what the person keeps
-- (Uniportal account for HCIX vouchers, 就职信息, 常驻地).
CREATE TABLE personal_profiles (
    user_id     bigint      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    site        text        NOT NULL CHECK (site IN ('cn', 'intl', 'eu')),
    real_name   text        NOT NULL DEFAULT 'none' CHECK (real_name IN ('none', 'personal', 'enterprise')),
    uniportal   text        NOT NULL DEFAULT '' CHECK (length(uniportal) <= 64),
    company     text        NOT NULL DEFAULT '' CHECK (length(company) <= 100),
    position    text        NOT NULL DEFAULT '' CHECK (length(position) <= 50),
    joined_on   date,
    city        text        NOT NULL DEFAULT '' CHECK (length(city) <= 50),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- 邀请列表: pending 待接受 → accepted 已接受 | expired 已失效 (7 days,
-- §7.2.5) | cancelled 已取消.
CREATE TABLE specialist_invitations (
    id          bigserial   PRIMARY KEY,
    partner_id  bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    person_id   bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status      text        NOT NULL CHECK (status IN ('pending', 'accepted', 'expired', 'cancelled')),
    invited_by  bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL CHECK (expires_at > created_at),
    decided_at  timestamptz,
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX specialist_invitations_pending_key ON specialist_invitations (partner_id, person_id) WHERE status = 'pending';
CREATE INDEX specialist_invitations_partner_idx ON specialist_invitations (partner_id, created_at DESC);
CREATE INDEX specialist_invitations_person_idx ON specialist_invitations (person_id, created_at DESC);
CREATE INDEX specialist_invitations_due_idx ON specialist_invitations (expires_at) WHERE status = 'pending';

-- A person linked to a partner; one live link per person (§7.2.3 #2).
CREATE TABLE specialist_links (
    id            bigserial   PRIMARY KEY,
    partner_id    bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    person_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    invitation_id bigint      NOT NULL UNIQUE REFERENCES specialist_invitations (id),
    linked_at     timestamptz NOT NULL,
    unlinked_at   timestamptz,
    unlinked_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    CHECK (unlinked_at IS NULL OR unlinked_at >= linked_at)
);
CREATE UNIQUE INDEX specialist_links_live_key ON specialist_links (person_id) WHERE unlinked_at IS NULL;
CREATE INDEX specialist_links_partner_idx ON specialist_links (partner_id, linked_at DESC);
CREATE INDEX specialist_links_person_idx ON specialist_links (person_id, linked_at DESC);

-- 项目专员 of one path (§7.2.9): submitted 审核中 → approved 已通过 |
-- rejected 已驳回 | withdrawn 已撤回; approved → cancelling 取消审核中 →
-- cancelled 已取消 (or back to approved when the cancellation is refused).
CREATE TABLE project_specialists (
    id                    bigserial   PRIMARY KEY,
    partner_id            bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    person_id             bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    path                  text        NOT NULL,
    status                text        NOT NULL CHECK (status IN ('submitted', 'approved', 'rejected', 'withdrawn', 'cancelling', 'cancelled')),
    application_id        bigint      REFERENCES applications (id),
    cancel_application_id bigint      REFERENCES applications (id),
    since                 timestamptz,
    cancelled_at          timestamptz,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    CHECK (status NOT IN ('approved', 'cancelling', 'cancelled') OR since IS NOT NULL)
);
CREATE UNIQUE INDEX project_specialists_live_key ON project_specialists (person_id) WHERE status IN ('submitted', 'approved', 'cancelling');
CREATE INDEX project_specialists_partner_idx ON project_specialists (partner_id, created_at DESC);

-- 个人资质: certificates synced from 云学堂 (the vendor's import) or
-- uploaded (HCIA/HCIP/HCIE) and reviewed by the vendor (§7.2.6).
CREATE TABLE personal_certificates (
    id            bigserial   PRIMARY KEY,
    person_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type          text        NOT NULL CHECK (type IN ('HCCDA', 'HCCDP', 'HCCDE', 'HCSA', 'HCSP', 'HCIA', 'HCIP', 'HCIE')),
    direction     text        NOT NULL CHECK (length(direction) BETWEEN 1 AND 50),
    number        text        NOT NULL CHECK (length(number) BETWEEN 4 AND 40),
    issued_on     date        NOT NULL,
    expires_on    date        NOT NULL CHECK (expires_on > issued_on),
    source        text        NOT NULL CHECK (source IN ('synced', 'uploaded')),
    status        text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    file_id       bigint      REFERENCES files (id) ON DELETE SET NULL,
    reviewed_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at   timestamptz,
    reject_reason text        NOT NULL DEFAULT '' CHECK (length(reject_reason) <= 500),
    created_at    timestamptz NOT NULL,
    CHECK (source = 'uploaded' OR status = 'approved'),
    CHECK (source = 'synced' OR file_id IS NOT NULL OR status <> 'pending'),
    CHECK (status <> 'rejected' OR reject_reason <> '')
);
-- One holder per certificate: a certificate moves only when its owner
-- deletes it (§7.2.7).
CREATE UNIQUE INDEX personal_certificates_number_key ON personal_certificates (type, upper(number)) WHERE status <> 'rejected';
CREATE INDEX personal_certificates_person_idx ON personal_certificates (person_id, issued_on DESC);
CREATE INDEX personal_certificates_pending_idx ON personal_certificates (created_at) WHERE status = 'pending';

-- 考试券 and 云实验 (§10.3, §10.4): benefits issued to linked persons.
ALTER TABLE benefit_policies DROP CONSTRAINT benefit_policies_type_check;
ALTER TABLE benefit_policies ADD CONSTRAINT benefit_policies_type_check CHECK (type IN ('test_voucher', 'exam_voucher', 'cloud_lab'));

-- A voucher or lab points of one person, non-transferable (§10.3.10):
-- issued 待兑换 → redeemed 已兑换 | expired 已过期 (not redeemed in time).
CREATE TABLE person_vouchers (
    id             bigserial   PRIMARY KEY,
    no             text        NOT NULL UNIQUE,
    application_id bigint      NOT NULL REFERENCES benefit_applications (id),
    partner_id     bigint      NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    person_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind           text        NOT NULL CHECK (kind IN ('exam', 'lab')),
    exam           text        NOT NULL DEFAULT '' CHECK (exam IN ('', 'HCCDA', 'HCCDP', 'HCCDE', 'HCIA', 'HCIP', 'HCIE')),
    uniportal      text        NOT NULL DEFAULT '',
    points         int         NOT NULL DEFAULT 0 CHECK (points >= 0),
    status         text        NOT NULL CHECK (status IN ('issued', 'redeemed', 'expired')),
    issued_at      timestamptz NOT NULL,
    -- redeem within 7 natural days (HCCDX and lab points); none for HCIX
    redeem_by      timestamptz,
    redeemed_at    timestamptz,
    -- 1 year after redemption
    valid_until    timestamptz,
    CHECK ((kind = 'exam') = (exam <> '')),
    CHECK ((kind = 'lab') = (points > 0)),
    CHECK ((status = 'redeemed') = (redeemed_at IS NOT NULL AND valid_until IS NOT NULL))
);
CREATE INDEX person_vouchers_person_idx ON person_vouchers (person_id, issued_at DESC);
CREATE INDEX person_vouchers_partner_idx ON person_vouchers (partner_id, issued_at DESC);
CREATE INDEX person_vouchers_due_idx ON person_vouchers (redeem_by) WHERE status = 'issued';

-- +goose Down
DROP TABLE person_vouchers;
DELETE FROM benefit_policies WHERE type <> 'test_voucher';
ALTER TABLE benefit_policies DROP CONSTRAINT benefit_policies_type_check;
ALTER TABLE benefit_policies ADD CONSTRAINT benefit_policies_type_check CHECK (type IN ('test_voucher'));
DROP TABLE personal_certificates;
DROP TABLE project_specialists;
DROP TABLE specialist_links;
DROP TABLE specialist_invitations;
DROP TABLE personal_profiles;
DELETE FROM users WHERE kind = 'personal';
ALTER TABLE users DROP CONSTRAINT users_kind_shape;
ALTER TABLE users ADD CONSTRAINT users_kind_shape CHECK (
       (kind = 'partner' AND partner_id IS NOT NULL AND vendor_role IS NULL)
    OR (kind = 'vendor' AND partner_id IS NULL AND vendor_role IS NOT NULL AND NOT is_main)
    OR (kind = 'customer' AND partner_id IS NULL AND vendor_role IS NULL AND NOT is_main));
ALTER TABLE users DROP CONSTRAINT users_kind_check;
ALTER TABLE users ADD CONSTRAINT users_kind_check CHECK (kind IN ('partner', 'vendor', 'customer'));

-- +goose Up
-- Protection you can see coming (issue 14, item 8; beyond the original):
-- a PO protects its customer for a year from its approval (protected_until),
-- and the owner and the partner admin are warned a configurable number of
-- days (setting protection_warn_days) before a PO's or a customer report's
-- protection ends — once (protection_warned_at).
ALTER TABLE opportunities ADD COLUMN protected_until timestamptz;
UPDATE opportunities SET protected_until = valid_from + interval '365 days' WHERE valid_from IS NOT NULL;
ALTER TABLE opportunities ADD CONSTRAINT opportunities_protected_check CHECK ((valid_from IS NULL) = (protected_until IS NULL));
ALTER TABLE opportunities ADD COLUMN protection_warned_at timestamptz;
CREATE INDEX opportunities_protected_until_idx ON opportunities (protected_until) WHERE status = 'approved' AND protection_warned_at IS NULL;

ALTER TABLE customer_reports ADD COLUMN protection_warned_at timestamptz;
CREATE INDEX customer_reports_warn_idx ON customer_reports (expires_at) WHERE status = 'protected' AND protection_warned_at IS NULL;

INSERT INTO settings (key, value) VALUES ('protection_warn_days', '7') ON CONFLICT (key) DO NOTHING;

-- +goose Down
DELETE FROM settings WHERE key = 'protection_warn_days';
DROP INDEX customer_reports_warn_idx;
ALTER TABLE customer_reports DROP COLUMN protection_warned_at;
DROP INDEX opportunities_protected_until_idx;
ALTER TABLE opportunities DROP COLUMN protection_warned_at;
ALTER TABLE opportunities DROP CONSTRAINT opportunities_protected_check;
ALTER TABLE opportunities DROP COLUMN protected_until;

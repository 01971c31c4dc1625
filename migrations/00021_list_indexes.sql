-- +goose Up
-- Lists over a million rows (issue 10, docs/PERFORMANCE.md "Large lists").
--
-- 操作日志's filters: by action and by object type, newest first, and
-- their option lists read by skip scans (one probe per distinct value)
-- instead of a DISTINCT over every row of the partner.
CREATE INDEX audit_log_partner_action_idx ON audit_log (partner_id, action, at DESC, id DESC);
CREATE INDEX audit_log_partner_object_idx ON audit_log (partner_id, object_type, at DESC, id DESC);

-- +goose Down
DROP INDEX audit_log_partner_object_idx;
DROP INDEX audit_log_partner_action_idx;

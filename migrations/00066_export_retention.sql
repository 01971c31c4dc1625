-- +goose Up
-- Export files expire (issue 17): a done task older than the retention
-- (EXPORT_RETENTION_DAYS) loses its file and becomes expired; the 导出记录
-- row stays and says so.
ALTER TABLE export_tasks
    DROP CONSTRAINT export_tasks_status_check,
    ADD CONSTRAINT export_tasks_status_check CHECK (status IN ('queued', 'running', 'done', 'failed', 'expired')),
    DROP CONSTRAINT export_tasks_check,
    ADD CONSTRAINT export_tasks_check CHECK ((status IN ('done', 'failed', 'expired')) = (finished_at IS NOT NULL)),
    ADD CONSTRAINT export_tasks_expired_check CHECK (status <> 'expired' OR file_id IS NULL);
CREATE INDEX export_tasks_done_idx ON export_tasks (finished_at) WHERE status = 'done';

-- +goose Down
DROP INDEX export_tasks_done_idx;
UPDATE export_tasks SET status = 'failed', error = 'expired' WHERE status = 'expired';
ALTER TABLE export_tasks
    DROP CONSTRAINT export_tasks_expired_check,
    DROP CONSTRAINT export_tasks_check,
    ADD CONSTRAINT export_tasks_check CHECK ((status IN ('done', 'failed')) = (finished_at IS NOT NULL)),
    DROP CONSTRAINT export_tasks_status_check,
    ADD CONSTRAINT export_tasks_status_check CHECK (status IN ('queued', 'running', 'done', 'failed'));

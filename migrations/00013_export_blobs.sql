-- +goose Up
-- Export files move to the shared blob store (migrations/00011): one way
-- to keep files in PostgreSQL. export_tasks.file_id is the finished file
-- (or, while an attempt runs, the file it is writing).
ALTER TABLE export_tasks ADD COLUMN file_id bigint REFERENCES blobs (id) ON DELETE SET NULL;
DROP TABLE export_file_chunks;

-- +goose Down
CREATE TABLE export_file_chunks (
    task_id bigint  NOT NULL REFERENCES export_tasks (id) ON DELETE CASCADE,
    seq     integer NOT NULL CHECK (seq >= 0),
    data    bytea   NOT NULL CHECK (length(data) BETWEEN 1 AND 1048576),
    PRIMARY KEY (task_id, seq)
);
ALTER TABLE export_tasks DROP COLUMN file_id;

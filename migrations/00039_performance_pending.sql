-- +goose Up
-- The consumption lines the formation has passed that were not due yet
-- (their day's evening had not come): the next runs read them and the new
-- lines only, however many lines lie between (issue 12, 10,000,000 lines).
CREATE TABLE performance_pending (
    consumption_id bigint PRIMARY KEY
);

-- +goose Down
DROP TABLE performance_pending;

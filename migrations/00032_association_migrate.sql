-- +goose Up
-- A solution provider's customers migrated in bulk to a cloud reseller of
-- the same company by the vendor (seed 003 §12.3.2, R76; issue 11): the
-- old association ends through a 'migrate' request.
ALTER TABLE association_requests DROP CONSTRAINT association_requests_type_check;
ALTER TABLE association_requests ADD CONSTRAINT association_requests_type_check
    CHECK (type IN ('associate', 'unbind', 'switch', 'migrate'));

-- +goose Down
DELETE FROM association_requests WHERE type = 'migrate';
ALTER TABLE association_requests DROP CONSTRAINT association_requests_type_check;
ALTER TABLE association_requests ADD CONSTRAINT association_requests_type_check
    CHECK (type IN ('associate', 'unbind', 'switch'));

-- +goose Up
-- The partner-scoped search keys of migration 00025 move out of
-- associations into a table of their own: about forty keys a customer
-- made every association row several times wider, and the customer
-- list's other pages (first page, filters, deep pages) read those rows.
-- association_search holds one row of keys per association, with the GIN
-- index; associations stays narrow. Triggers keep it as 00025 did.
CREATE TABLE association_search (
    association_id bigint PRIMARY KEY REFERENCES associations (id) ON DELETE CASCADE,
    keys           text[] NOT NULL
);

LOCK TABLE associations IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO association_search (association_id, keys) SELECT id, search_keys FROM associations;
CREATE INDEX association_search_keys_idx ON association_search USING gin (keys);

DROP TRIGGER associations_search_keys ON associations;
DROP FUNCTION associations_search_keys();
DROP TRIGGER customers_search_keys ON customers;
DROP FUNCTION customers_search_keys();
DROP INDEX associations_search_keys_idx;
ALTER TABLE associations DROP COLUMN search_keys;

-- +goose StatementBegin
CREATE FUNCTION associations_search_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO association_search (association_id, keys)
    VALUES (NEW.id, search_keys(NEW.partner_id, (SELECT search FROM customers WHERE id = NEW.customer_id)))
    ON CONFLICT (association_id) DO UPDATE SET keys = EXCLUDED.keys;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER associations_search_keys AFTER INSERT OR UPDATE OF partner_id, customer_id ON associations
    FOR EACH ROW EXECUTE FUNCTION associations_search_keys();

-- +goose StatementBegin
CREATE FUNCTION customers_search_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE association_search s SET keys = search_keys(a.partner_id, NEW.search)
    FROM associations a WHERE a.customer_id = NEW.id AND s.association_id = a.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER customers_search_keys AFTER UPDATE ON customers
    FOR EACH ROW WHEN (OLD.search IS DISTINCT FROM NEW.search) EXECUTE FUNCTION customers_search_keys();

-- +goose Down
DROP TRIGGER customers_search_keys ON customers;
DROP FUNCTION customers_search_keys();
DROP TRIGGER associations_search_keys ON associations;
DROP FUNCTION associations_search_keys();
ALTER TABLE associations ADD COLUMN search_keys text[] NOT NULL DEFAULT '{}';
UPDATE associations a SET search_keys = s.keys FROM association_search s WHERE s.association_id = a.id;
CREATE INDEX associations_search_keys_idx ON associations USING gin (search_keys);
DROP TABLE association_search;
-- +goose StatementBegin
CREATE FUNCTION associations_search_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_keys := search_keys(NEW.partner_id, (SELECT search FROM customers WHERE id = NEW.customer_id));
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER associations_search_keys BEFORE INSERT OR UPDATE OF partner_id, customer_id ON associations
    FOR EACH ROW EXECUTE FUNCTION associations_search_keys();
-- +goose StatementBegin
CREATE FUNCTION customers_search_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE associations SET search_keys = search_keys(partner_id, NEW.search) WHERE customer_id = NEW.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER customers_search_keys AFTER UPDATE ON customers
    FOR EACH ROW WHEN (OLD.search IS DISTINCT FROM NEW.search) EXECUTE FUNCTION customers_search_keys();

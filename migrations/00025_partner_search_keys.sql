-- +goose Up
-- Partner-scoped search (issue 10). customers.search has one trigram
-- index over every customer; a search within one partner's list still
-- reads the posting lists of its trigrams over all of them (2.2M names
-- in the benchmark, where a common trigram is in two thirds). Each
-- association now carries the trigrams of its customer's search text
-- prefixed with its partner ('<partner id>:<trigram>'), with one GIN
-- index: a partner's search reads posting lists of that partner's own
-- customers only. customers.search LIKE still decides the match (the
-- keys only narrow it down). Trigrams here are the text's 3-character
-- substrings; the list asks for search_keys(partner, query) ⊆ the keys.
CREATE FUNCTION search_keys(scope bigint, s text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT scope::text || ':' || substr(s, i, 3)), '{}')
    FROM generate_series(1, length(s) - 2) AS i
$$;

ALTER TABLE associations ADD COLUMN search_keys text[] NOT NULL DEFAULT '{}';

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

LOCK TABLE associations IN SHARE ROW EXCLUSIVE MODE;
UPDATE associations a SET search_keys = search_keys(a.partner_id, c.search) FROM customers c WHERE c.id = a.customer_id;
CREATE INDEX associations_search_keys_idx ON associations USING gin (search_keys);

-- +goose Down
DROP INDEX associations_search_keys_idx;
DROP TRIGGER customers_search_keys ON customers;
DROP FUNCTION customers_search_keys();
DROP TRIGGER associations_search_keys ON associations;
DROP FUNCTION associations_search_keys();
ALTER TABLE associations DROP COLUMN search_keys;
DROP FUNCTION search_keys(bigint, text);

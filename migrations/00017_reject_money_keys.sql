-- +goose Up
-- Money parse errors name their limit in the key (field messages carry no
-- arguments): rejects stored with the old keys get the new ones, by the
-- column's rule (8-decimal prices and amounts, 2-decimal vouchers and
-- cards; 12 integer digits everywhere).
UPDATE consumption_import_rejects SET message_key = 'money.err.places_2'
 WHERE message_key = 'money.err.places' AND column_name IN ('voucher_paid', 'card_paid');
UPDATE consumption_import_rejects SET message_key = 'money.err.places_8' WHERE message_key = 'money.err.places';
UPDATE consumption_import_rejects SET message_key = 'money.err.too_large_12' WHERE message_key = 'money.err.too_large';

-- +goose Down
UPDATE consumption_import_rejects SET message_key = 'money.err.places' WHERE message_key IN ('money.err.places_2', 'money.err.places_8');
UPDATE consumption_import_rejects SET message_key = 'money.err.too_large' WHERE message_key = 'money.err.too_large_12';

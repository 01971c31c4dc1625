-- +goose Up
-- The import resolves customer, partner, mode and signing entity in Go
-- against a batch-loaded cache and COPYs each line straight into
-- consumption_records (issue 10: every line written once). Only the lines
-- that need the whole file before they can be stored go through this
-- table: a resale customer's debits, drawn from its funded balance in
-- time order, and lines whose source id may repeat one earlier in the
-- file. They arrive resolved and typed. Unlogged scratch space, emptied
-- before and after every import (imports are serialized by an advisory
-- lock).
DROP TABLE consumption_import_stage;
CREATE UNLOGGED TABLE consumption_import_stage (
    line_no          integer     NOT NULL,
    source_ref       text        NOT NULL,
    customer_account text        NOT NULL,
    customer_id      bigint      NOT NULL,
    partner_id       bigint      NOT NULL,
    mode             text        NOT NULL,
    signing_entity   text        NOT NULL,
    bill_type        text        NOT NULL,
    billing_period   date        NOT NULL,
    transaction_at   timestamptz NOT NULL,
    order_no         text        NOT NULL,
    product_type     text        NOT NULL,
    product_name     text        NOT NULL,
    resource_type    text        NOT NULL,
    resource_id      text        NOT NULL,
    region           text        NOT NULL,
    billing_mode     text        NOT NULL,
    list_price       numeric     NOT NULL,
    discount_amount  numeric     NOT NULL,
    charged          numeric     NOT NULL,
    voucher_paid     numeric     NOT NULL,
    card_paid        numeric     NOT NULL,
    -- Its source id hashed like an earlier line's in the file.
    repeat           boolean     NOT NULL
);

-- +goose Down
DROP TABLE consumption_import_stage;
CREATE UNLOGGED TABLE consumption_import_stage (
    line_no          integer     NOT NULL,
    source_ref       text        NOT NULL,
    customer_account text        NOT NULL,
    bill_type        text        NOT NULL,
    billing_period   date        NOT NULL,
    transaction_at   timestamptz NOT NULL,
    order_no         text        NOT NULL,
    product_type     text        NOT NULL,
    product_name     text        NOT NULL,
    resource_type    text        NOT NULL,
    resource_id      text        NOT NULL,
    region           text        NOT NULL,
    billing_mode     text        NOT NULL,
    list_price       text        NOT NULL,
    discount_amount  text        NOT NULL,
    voucher_paid     text        NOT NULL,
    card_paid        text        NOT NULL,
    charged_fen      text        NOT NULL
);

-- +goose Up
-- 业绩明细 > 导出 (seed 003 §12.1.5.3, §12.1.9.9; issue 12): a list export
-- worked as an export task when long.
ALTER TABLE export_tasks DROP CONSTRAINT export_tasks_kind_check;
ALTER TABLE export_tasks ADD CONSTRAINT export_tasks_kind_check
    CHECK (kind IN ('bill_pdf', 'bill_detail_xlsx', 'bill_detail_csv', 'customers_xlsx', 'funds_lines_csv', 'audit_csv',
                    'performance_xlsx'));

-- +goose Down
DELETE FROM export_tasks WHERE kind = 'performance_xlsx';
ALTER TABLE export_tasks DROP CONSTRAINT export_tasks_kind_check;
ALTER TABLE export_tasks ADD CONSTRAINT export_tasks_kind_check
    CHECK (kind IN ('bill_pdf', 'bill_detail_xlsx', 'bill_detail_csv', 'customers_xlsx', 'funds_lines_csv', 'audit_csv'));

-- +goose Up
-- 指标信息 > 导出 and 激励明细 > 导出 (seed 003 §12.1.8.1, §12.1.5.4; issue
-- 12): list exports worked as export tasks when long.
ALTER TABLE export_tasks DROP CONSTRAINT export_tasks_kind_check;
ALTER TABLE export_tasks ADD CONSTRAINT export_tasks_kind_check
    CHECK (kind IN ('bill_pdf', 'bill_detail_xlsx', 'bill_detail_csv', 'customers_xlsx', 'funds_lines_csv', 'audit_csv',
                    'performance_xlsx', 'indicators_xlsx', 'incentive_details_xlsx'));

-- +goose Down
DELETE FROM export_tasks WHERE kind IN ('indicators_xlsx', 'incentive_details_xlsx');
ALTER TABLE export_tasks DROP CONSTRAINT export_tasks_kind_check;
ALTER TABLE export_tasks ADD CONSTRAINT export_tasks_kind_check
    CHECK (kind IN ('bill_pdf', 'bill_detail_xlsx', 'bill_detail_csv', 'customers_xlsx', 'funds_lines_csv', 'audit_csv',
                    'performance_xlsx'));

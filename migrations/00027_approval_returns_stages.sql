-- +goose Up
-- The approval engine grown up (issue 11, build-plan 1.A):
-- * 退回补充材料: a reviewer returns a submitted application with a
--   comment; the applicant adds materials and resubmits it (a new due
--   date) or withdraws it;
-- * stages: a type may review in stages, each with its reviewer role and
--   SLA; the application remembers its stage, the history each event's;
-- * a daily reminder to reviewers of what is due tomorrow or overdue,
--   at most once a day per application (reminded_on).
ALTER TABLE applications DROP CONSTRAINT applications_state_check;
ALTER TABLE applications ADD CONSTRAINT applications_state_check
    CHECK (state IN ('draft', 'submitted', 'returned', 'approved', 'rejected', 'withdrawn'));
ALTER TABLE applications ADD COLUMN stage integer NOT NULL DEFAULT 1 CHECK (stage >= 1);
ALTER TABLE applications ADD COLUMN returned_comment text NOT NULL DEFAULT '' CHECK (length(returned_comment) <= 1000);
ALTER TABLE applications ADD CONSTRAINT applications_returned_comment CHECK (state <> 'returned' OR returned_comment <> '');
ALTER TABLE applications ADD COLUMN reminded_on date;
ALTER TABLE application_events ADD COLUMN stage integer NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE application_events DROP COLUMN stage;
ALTER TABLE applications DROP COLUMN reminded_on;
ALTER TABLE applications DROP CONSTRAINT applications_returned_comment;
ALTER TABLE applications DROP COLUMN returned_comment;
ALTER TABLE applications DROP COLUMN stage;
UPDATE applications SET state = 'submitted' WHERE state = 'returned';
ALTER TABLE applications DROP CONSTRAINT applications_state_check;
ALTER TABLE applications ADD CONSTRAINT applications_state_check
    CHECK (state IN ('draft', 'submitted', 'approved', 'rejected', 'withdrawn'));

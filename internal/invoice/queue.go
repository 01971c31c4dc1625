package invoice

import (
	"context"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/apperr"
)

// QueueCounts are vendor finance's invoice work: applications to issue
// (已申请) and returns to accept (退票中), over every partner.
type QueueCounts struct {
	ToIssue, ReturnsToAccept int64
}

// Counts is the invoice desk's queue for vendor finance's home page.
func (d Desk) Counts(ctx context.Context, p *access.Principal) (_ QueueCounts, err error) {
	defer apperr.Wrap(&err, "invoice.Counts")
	var out QueueCounts
	if _, err := p.Staff(); err != nil {
		return out, err
	}
	err = d.DB.WithContext(ctx).Table("invoices").
		Select("count(*) FILTER (WHERE state = ?) AS to_issue, count(*) FILTER (WHERE state = ?) AS returns_to_accept",
			StateApplied, StateReturnedRequested).Scan(&out).Error
	return out, err
}

package customer

import (
	"context"
	"strconv"
	"strings"

	"partnercenter/internal/platform/apperr"
)

// Existing reports which of ids are customers (issue 8, "Tables have
// owners": consumption's integrity check asks here which customers its
// lines name). The ids travel as one array parameter, so a set of any
// size is one query.
func (s *Service) Existing(ctx context.Context, ids []int64) (_ map[int64]bool, err error) {
	defer apperr.Wrap(&err, "customer.Existing(%d ids)", len(ids))
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte('}')
	var found []int64
	if err := s.DB.WithContext(ctx).Model(&Customer{}).Where("id = ANY(?::bigint[])", b.String()).Pluck("id", &found).Error; err != nil {
		return nil, err
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

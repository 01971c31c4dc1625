package identity

import (
	"context"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/db"
)

type sessionSnapshot struct {
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
	CreatedAt  time.Time `json:"signed_in_at"`
	LastSeenAt time.Time `json:"last_active_at"`
}

// EndSession signs one of the acting member's own devices out (基本信息 >
// 登录设备). Another user's session, or one that does not exist, is
// NotFound; the current session is ended by signing out, not here.
func (s Users) EndSession(ctx context.Context, p *access.Principal, rowID, currentRowID int64) (err error) {
	defer apperr.Wrap(&err, "identity.EndSession(%d, %d)", rowID, currentRowID)
	userID, partnerID, err := self(p)
	if err != nil {
		return err
	}
	if rowID == currentRowID {
		return apperr.Conflict("profile.sessions.err.current")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var row SessionRow
		err := tx.Where("id = ? AND user_id = ?", rowID, userID).Take(&row).Error
		if db.IsNotFound(err) {
			return apperr.NotFound()
		}
		if err != nil {
			return err
		}
		if err := tx.Where("id = ? AND user_id = ?", rowID, userID).Delete(&SessionRow{}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.Clock.Now(), PartnerID: partnerID, Action: "session.end", ObjectType: "session",
			ObjectID: row.ID, Before: sessionSnapshot{row.IP, row.UserAgent, row.CreatedAt, row.LastSeenAt}})
	})
}

// EndOtherSessions signs every other device of the acting member out and
// keeps the current session. It returns how many sessions ended.
func (s Users) EndOtherSessions(ctx context.Context, p *access.Principal, currentRowID int64) (_ int64, err error) {
	defer apperr.Wrap(&err, "identity.EndOtherSessions(%d)", currentRowID)
	userID, partnerID, err := self(p)
	if err != nil {
		return 0, err
	}
	if currentRowID == 0 {
		return 0, apperr.Conflict("profile.sessions.err.no_current")
	}
	var ended int64
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		res := tx.Where("user_id = ? AND id <> ?", userID, currentRowID).Delete(&SessionRow{})
		if res.Error != nil {
			return res.Error
		}
		ended = res.RowsAffected
		if ended == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Change{At: s.Clock.Now(), PartnerID: partnerID, Action: "session.end_others", ObjectType: "user",
			ObjectID: userID, After: map[string]int64{"ended": ended, "kept_session_id": currentRowID}})
	})
	return ended, err
}

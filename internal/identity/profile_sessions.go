package identity

import (
	"context"
	"time"

	"gorm.io/gorm"

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

// EndSession signs one of the user's own devices out (基本信息 > 登录设备).
// Another user's session, or one that does not exist, is NotFound; the
// current session is ended by signing out, not here.
func (s Users) EndSession(ctx context.Context, u *User, rowID, currentRowID int64) error {
	if rowID == currentRowID {
		return apperr.Conflict("profile.sessions.err.current")
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var row SessionRow
		err := tx.Where("id = ? AND user_id = ?", rowID, u.ID).Take(&row).Error
		if db.IsNotFound(err) {
			return apperr.NotFound()
		}
		if err != nil {
			return err
		}
		if err := tx.Where("id = ? AND user_id = ?", rowID, u.ID).Delete(&SessionRow{}).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: u.TenantID(), Action: "session.end", ObjectType: "session",
			ObjectID: row.ID, Before: sessionSnapshot{row.IP, row.UserAgent, row.CreatedAt, row.LastSeenAt}})
	})
}

// EndOtherSessions signs every other device of the user out and keeps the
// current session. It returns how many sessions ended.
func (s Users) EndOtherSessions(ctx context.Context, u *User, currentRowID int64) (int64, error) {
	if currentRowID == 0 {
		return 0, apperr.Conflict("profile.sessions.err.no_current")
	}
	var ended int64
	err := db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		res := tx.Where("user_id = ? AND id <> ?", u.ID, currentRowID).Delete(&SessionRow{})
		if res.Error != nil {
			return res.Error
		}
		ended = res.RowsAffected
		if ended == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Change{PartnerID: u.TenantID(), Action: "session.end_others", ObjectType: "user",
			ObjectID: u.ID, After: map[string]int64{"ended": ended, "kept_session_id": currentRowID}})
	})
	return ended, err
}

package outbox

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
	"partnercenter/internal/platform/i18n"
)

// DefaultTimeZone is China time, the seeds' clock.
const DefaultTimeZone = "Asia/Shanghai"

// TimeZones are the zones a user may choose (消息接收设置, §6.1.1).
var TimeZones = []string{"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Tokyo", "Europe/London", "Europe/Berlin",
	"America/New_York", "America/Los_Angeles", "UTC"}

// Setting is a row of message_settings: one user's choice for a channel.
type Setting struct {
	UserID    int64
	Channel   string
	Enabled   bool
	Lang      string
	TimeZone  string
	UpdatedAt time.Time
}

// TableName maps Setting to message_settings.
func (Setting) TableName() string { return "message_settings" }

// settingsOf is a user's settings of every channel, defaults filled in:
// receive, the console language, China time.
func settingsOf(ctx context.Context, g *gorm.DB, u *identity.User) (map[string]Setting, error) {
	var rows []Setting
	if err := g.WithContext(ctx).Where("user_id = ?", u.ID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string]Setting{}
	for _, ch := range Channels {
		out[ch] = Setting{UserID: u.ID, Channel: ch, Enabled: true, Lang: i18n.Normalize(u.Locale), TimeZone: DefaultTimeZone}
	}
	for _, r := range rows {
		out[r.Channel] = r
	}
	return out, nil
}

// Settings is the settings service: each user reads and changes its own.
type Settings struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// Mine is the actor's settings, in the order of Channels.
func (s Settings) Mine(ctx context.Context, p *access.Principal) (_ []Setting, err error) {
	defer apperr.Wrap(&err, "outbox.Settings.Mine")
	uid, err := p.Self()
	if err != nil {
		return nil, err
	}
	users, err := (identity.Users{DB: s.DB}).ByIDs(ctx, []int64{uid})
	if err != nil {
		return nil, err
	}
	if users[uid] == nil {
		return nil, apperr.NotFound()
	}
	m, err := settingsOf(ctx, s.DB, users[uid])
	if err != nil {
		return nil, err
	}
	out := make([]Setting, 0, len(Channels))
	for _, ch := range Channels {
		out = append(out, m[ch])
	}
	return out, nil
}

// Input is one channel's choice on the settings form.
type Input struct {
	Channel  string
	Enabled  bool
	Lang     string
	TimeZone string
}

// Save stores the actor's choices for every channel, audited. 站内信
// cannot be turned off (the console shows it anyway); an unknown language
// or time zone is refused with the field's message.
func (s Settings) Save(ctx context.Context, p *access.Principal, in []Input) (err error) {
	defer apperr.Wrap(&err, "outbox.Settings.Save")
	uid, err := p.Self()
	if err != nil {
		return err
	}
	f := apperr.Fields{}
	seen := map[string]Input{}
	for _, c := range in {
		known := false
		for _, ch := range Channels {
			known = known || ch == c.Channel
		}
		if !known {
			return apperr.Invalid("error.bad_request")
		}
		if c.Lang != i18n.ZhCN && c.Lang != i18n.EnUS {
			f.Add(c.Channel+"_lang", "outbox.err.lang")
		}
		if !validZone(c.TimeZone) {
			f.Add(c.Channel+"_tz", "outbox.err.time_zone")
		}
		if c.Channel == Inbox {
			c.Enabled = true
		}
		seen[c.Channel] = c
	}
	if len(seen) != len(Channels) {
		return apperr.Invalid("error.bad_request")
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.Clock.Now().UTC()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		after := map[string]any{}
		for _, ch := range Channels {
			c := seen[ch]
			row := Setting{UserID: uid, Channel: ch, Enabled: c.Enabled, Lang: c.Lang, TimeZone: c.TimeZone, UpdatedAt: now}
			if err := tx.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}, {Name: "channel"}},
				DoUpdates: clause.AssignmentColumns([]string{"enabled", "lang", "time_zone", "updated_at"})}).Create(&row).Error; err != nil {
				return err
			}
			on := "off"
			if c.Enabled {
				on = "on"
			}
			after[ch] = on + " · " + c.Lang + " · " + c.TimeZone
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: p.PartnerID, Action: "profile.message_settings", ObjectType: "user",
			ObjectID: uid, After: after})
	})
}

func validZone(tz string) bool {
	for _, z := range TimeZones {
		if z == tz {
			return true
		}
	}
	return false
}

// ErrNothingToSend refuses a test message with no channel to send to.
const ErrNothingToSend = "outbox.settings.test_none"

// SendTest queues a test message to the actor on the channels it receives
// and has an address for (发送测试消息).
func (s Settings) SendTest(ctx context.Context, p *access.Principal) (err error) {
	defer apperr.Wrap(&err, "outbox.Settings.SendTest")
	uid, err := p.Self()
	if err != nil {
		return err
	}
	now := s.Clock.Now().UTC()
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		var before, after int64
		if err := tx.WithContext(ctx).Model(&Message{}).Where("user_id = ?", uid).Count(&before).Error; err != nil {
			return err
		}
		n := Note{Template: "outbox.test", Partner: p.PartnerID, At: now,
			Params: map[string]any{"No": now.Format("150405"), "DueAt": now.Format(time.RFC3339), "Link": "/profile/messages"}}
		if err := ToUser(ctx, tx, uid, n, Email, SMS); err != nil {
			return err
		}
		if err := tx.WithContext(ctx).Model(&Message{}).Where("user_id = ?", uid).Count(&after).Error; err != nil {
			return err
		}
		if after == before {
			return apperr.Conflict(ErrNothingToSend)
		}
		return nil
	})
}

// Inbox is the language and time zone the actor reads its 站内信 in.
func (s Settings) Inbox(ctx context.Context, p *access.Principal) (lang string, loc *time.Location, err error) {
	defer apperr.Wrap(&err, "outbox.Settings.Inbox")
	all, err := s.Mine(ctx, p)
	if err != nil {
		return "", nil, err
	}
	for _, st := range all {
		if st.Channel == Inbox {
			loc, err := time.LoadLocation(st.TimeZone)
			if err != nil {
				loc = clock.China
			}
			return st.Lang, loc, nil
		}
	}
	return i18n.ZhCN, clock.China, nil
}

package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"partnercenter/internal/platform/apperr"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/platform/clock"
)

// Session value keys.
const (
	KeyUserID = "uid"
	KeyCSRF   = "csrf"
	KeyFlash  = "flash"
	// keyRowID is set when a session is loaded; it is never persisted.
	keyRowID = "_rowid"
	// keyAuthzStamp is the signed-in user's authorization stamp read with
	// the session (AuthzStamp); never persisted.
	keyAuthzStamp = "_authz"
)

// SessionRow is one server-side session.
type SessionRow struct {
	ID         int64
	TokenHash  []byte
	UserID     *int64
	Data       string `gorm:"type:jsonb"`
	IP         string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// TableName maps SessionRow to user_sessions.
func (SessionRow) TableName() string { return "user_sessions" }

// SessionStore is a gorilla/sessions Store that keeps sessions in
// PostgreSQL. The cookie carries only a random token; the row is found by
// the token's SHA-256, so a database leak does not leak live cookies.
// Sessions end after Idle without activity or Absolute after creation,
// and can be revoked by deleting their rows.
type SessionStore struct {
	DB       *gorm.DB
	Clock    clock.Clock
	Idle     time.Duration
	Absolute time.Duration
	Secure   bool
}

// CookieName is the session cookie's name (__Host- prefixed over HTTPS).
func (s *SessionStore) CookieName() string {
	if s.Secure {
		return "__Host-pc_session"
	}
	return "pc_session"
}

func (s *SessionStore) options() *sessions.Options {
	return &sessions.Options{Path: "/", HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode}
}

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Get returns the request's session, cached per request by gorilla.
func (s *SessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New loads the session named by the request cookie, or returns a new
// empty one. An expired or revoked session yields a new one.
func (s *SessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	sess.Options = s.options()
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" {
		return sess, nil
	}
	now := s.Clock.Now()
	// One query: the session and its user's authorization stamp.
	var row struct {
		SessionRow
		AuthzStamp *string
	}
	err = s.DB.WithContext(r.Context()).Raw(`SELECT s.*, session_authz_stamp(s.user_id) AS authz_stamp
		FROM user_sessions s WHERE s.token_hash = ? AND s.expires_at > ? LIMIT 1`, hashToken(c.Value), now).
		Scan(&row).Error
	if err != nil {
		return sess, err
	}
	if row.ID == 0 {
		return sess, nil
	}
	if row.AuthzStamp != nil {
		sess.Values[keyAuthzStamp] = *row.AuthzStamp
	}
	var vals map[string]string
	_ = json.Unmarshal([]byte(row.Data), &vals)
	for k, v := range vals {
		sess.Values[k] = v
	}
	sess.Values[keyRowID] = strconv.FormatInt(row.ID, 10)
	sess.ID = c.Value
	sess.IsNew = false
	// Slide the idle window, at most once a minute.
	if now.Sub(row.LastSeenAt) > time.Minute {
		s.DB.WithContext(r.Context()).Model(&SessionRow{}).Where("id = ?", row.ID).
			Updates(map[string]any{"last_seen_at": now, "expires_at": s.expiry(row.CreatedAt, now)})
	}
	return sess, nil
}

func (s *SessionStore) expiry(created, now time.Time) time.Time {
	idle := now.Add(s.Idle)
	abs := created.Add(s.Absolute)
	if idle.Before(abs) {
		return idle
	}
	return abs
}

// Save writes the session row and the cookie. MaxAge < 0 deletes both.
func (s *SessionStore) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	ctx := r.Context()
	if sess.Options != nil && sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.DB.WithContext(ctx).Where("token_hash = ?", hashToken(sess.ID)).Delete(&SessionRow{}).Error; err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	vals := map[string]string{}
	var uid *int64
	for k, v := range sess.Values {
		ks, ok := k.(string)
		if !ok || strings.HasPrefix(ks, "_") {
			continue
		}
		vs, _ := v.(string)
		vals[ks] = vs
		if ks == KeyUserID {
			if id, err := strconv.ParseInt(vs, 10, 64); err == nil {
				uid = &id
			}
		}
	}
	data, _ := json.Marshal(vals)
	now := s.Clock.Now()
	if sess.ID == "" {
		sess.ID = newToken()
		row := SessionRow{TokenHash: hashToken(sess.ID), UserID: uid, Data: string(data), IP: clientIP(r),
			UserAgent: truncate(r.UserAgent(), 300), CreatedAt: now, LastSeenAt: now, ExpiresAt: s.expiry(now, now)}
		if err := s.DB.WithContext(ctx).Create(&row).Error; err != nil {
			return err
		}
		sess.Values[keyRowID] = strconv.FormatInt(row.ID, 10)
	} else {
		res := s.DB.WithContext(ctx).Model(&SessionRow{}).Where("token_hash = ?", hashToken(sess.ID)).
			Updates(map[string]any{"data": string(data), "user_id": uid})
		if res.Error != nil {
			return res.Error
		}
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), sess.ID, sess.Options))
	return nil
}

// Rotate gives the session a new token and row (keeping its values) and
// deletes the old row: called at sign-in against session fixation.
func (s *SessionStore) Rotate(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	if sess.ID != "" {
		if err := s.DB.WithContext(r.Context()).Where("token_hash = ?", hashToken(sess.ID)).Delete(&SessionRow{}).Error; err != nil {
			return err
		}
	}
	sess.ID = ""
	delete(sess.Values, keyRowID)
	return s.Save(r, w, sess)
}

// AuthzStamp is the signed-in user's authorization stamp as read with the
// session this request ("" when none was read, e.g. right after sign-in):
// equal stamps mean the user's principal has not changed.
func AuthzStamp(sess *sessions.Session) string {
	v, _ := sess.Values[keyAuthzStamp].(string)
	return v
}

// RowID returns the database id of a loaded or saved session, or 0.
func RowID(sess *sessions.Session) int64 {
	v, _ := sess.Values[keyRowID].(string)
	id, _ := strconv.ParseInt(v, 10, 64)
	return id
}

// ListForUser returns the acting member's own live sessions (基本信息 >
// 登录设备), newest activity first.
func (s *SessionStore) ListForUser(ctx context.Context, p *access.Principal) (_ []SessionRow, err error) {
	defer apperr.Wrap(&err, "identity.ListForUser")
	userID, _, err := self(p)
	if err != nil {
		return nil, err
	}
	var rows []SessionRow
	err = s.DB.WithContext(ctx).Where("user_id = ? AND expires_at > ?", userID, s.Clock.Now()).
		Order("last_seen_at DESC").Find(&rows).Error
	return rows, err
}

// End deletes one of the acting member's own sessions. It reports false
// when the session does not exist or belongs to someone else.
func (s *SessionStore) End(ctx context.Context, p *access.Principal, rowID int64) (_ bool, err error) {
	defer apperr.Wrap(&err, "identity.End(%d)", rowID)
	userID, _, err := self(p)
	if err != nil {
		return false, err
	}
	res := s.DB.WithContext(ctx).Where("id = ? AND user_id = ?", rowID, userID).Delete(&SessionRow{})
	return res.RowsAffected == 1, res.Error
}

// EndAllForUser deletes every session of the user (disable, delete,
// password reset), optionally keeping one.
func EndAllForUser(tx *gorm.DB, userID, keepRowID int64) error {
	q := tx.Where("user_id = ?", userID)
	if keepRowID != 0 {
		q = q.Where("id <> ?", keepRowID)
	}
	return q.Delete(&SessionRow{}).Error
}

// PurgeExpired deletes expired sessions and old login failures.
func (s *SessionStore) PurgeExpired(ctx context.Context) (_ int64, err error) {
	defer apperr.Wrap(&err, "identity.PurgeExpired")
	now := s.Clock.Now()
	res := s.DB.WithContext(ctx).Where("expires_at <= ?", now).Delete(&SessionRow{})
	if res.Error != nil {
		return 0, res.Error
	}
	err = s.DB.WithContext(ctx).Where("at < ?", now.Add(-24*time.Hour)).Delete(&LoginFailure{}).Error
	return res.RowsAffected, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// clientIP is the remote address without the port. The web layer sets
// X-Real-IP only from a trusted proxy configuration; here we take the
// socket address.
func clientIP(r *http.Request) string {
	addr := r.RemoteAddr
	if i := strings.LastIndexByte(addr, ':'); i > 0 {
		addr = addr[:i]
	}
	return strings.Trim(addr, "[]")
}

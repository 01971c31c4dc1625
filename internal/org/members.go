package org

import (
	"context"
	"errors"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"partnercenter/internal/access"
	"partnercenter/internal/audit"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// PerPage is the member list's page size.
const PerPage = 20

// Field limits.
const (
	MaxNameLen     = 64
	MaxPositionLen = 64
)

// Statuses a list can filter on.
const (
	StatusActive   = identity.StatusActive
	StatusDisabled = identity.StatusDisabled
)

// Member is a user of the tenant with its roles.
type Member struct {
	identity.User
	Roles []access.Role
}

// RoleIDs returns the ids of the member's roles.
func (m *Member) RoleIDs() []int64 {
	out := make([]int64, 0, len(m.Roles))
	for _, r := range m.Roles {
		out = append(out, r.ID)
	}
	return out
}

// Filter selects and orders the member list.
type Filter struct {
	Q      string // login name, name, email or mobile contains
	Status string // "", active, disabled
	RoleID int64
	Sort   string // one of SortFields
	Desc   bool
	Page   int
	Per    int // 1–100; 0: PerPage
}

// SortFields are the sortable columns and their SQL.
var SortFields = map[string]string{
	"login_name": "lower(login_name)",
	"name":       "display_name",
	"email":      "lower(email)",
	"mobile":     "mobile",
	"status":     "status",
	"last_login": "last_login_at",
	"created":    "created_at",
}

// List is one page of members.
type List struct {
	Members []Member
	Total   int64
	Page    int
	Per     int
}

// Input is what the member form submits. Password is only read by Create.
type Input struct {
	LoginName   string
	DisplayName string
	Email       string
	Mobile      string
	Position    string
	Password    string
	RoleIDs     []int64
}

// Members manages the organization members of a tenant. Every method
// takes the acting partner member first (Principal.Tenant: vendor staff,
// customers and the system are refused), works on the actor's tenant
// only and never touches another tenant's users: their ids are
// apperr.NotFound.
type Members struct {
	DB    *gorm.DB
	Clock clock.Clock
}

// List returns a page of the actor's tenant's members, the main account
// first.
func (s Members) List(ctx context.Context, actor *access.Principal, f Filter) (_ *List, err error) {
	defer apperr.Wrap(&err, "org.List")
	partnerID, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	q := s.DB.WithContext(ctx).Model(&identity.User{}).Where("kind = ? AND partner_id = ?", identity.KindPartner, partnerID)
	if t := strings.TrimSpace(f.Q); t != "" {
		p := db.Contains(t)
		q = q.Where("(login_name ILIKE ? OR display_name ILIKE ? OR email ILIKE ? OR mobile ILIKE ?)", p, p, p, p)
	}
	if f.Status == StatusActive || f.Status == StatusDisabled {
		q = q.Where("status = ?", f.Status)
	}
	if f.RoleID > 0 {
		q = q.Where("EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = users.id AND ur.role_id = ?)", f.RoleID)
	}
	out := &List{Page: f.Page, Per: f.Per}
	if out.Page < 1 {
		out.Page = 1
	}
	if out.Per <= 0 || out.Per > 100 {
		out.Per = PerPage
	}
	if err := q.Count(&out.Total).Error; err != nil {
		return nil, err
	}
	order := "is_main DESC"
	if col, ok := SortFields[f.Sort]; ok {
		dir := " ASC NULLS FIRST"
		if f.Desc {
			dir = " DESC NULLS LAST"
		}
		order += ", " + col + dir
	}
	order += ", created_at, id"
	var users []identity.User
	if err := q.Order(order).Limit(out.Per).Offset((out.Page - 1) * out.Per).Find(&users).Error; err != nil {
		return nil, err
	}
	roles, err := rolesOf(ctx, s.DB, userIDs(users))
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		out.Members = append(out.Members, Member{User: u, Roles: roles[u.ID]})
	}
	return out, nil
}

func userIDs(us []identity.User) []int64 {
	ids := make([]int64, 0, len(us))
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	return ids
}

// rolesOf loads the roles of users: the preset role first, then by name.
func rolesOf(ctx context.Context, g *gorm.DB, ids []int64) (map[int64][]access.Role, error) {
	out := map[int64][]access.Role{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID int64
		access.Role
	}
	err := g.WithContext(ctx).Raw(`
		SELECT ur.user_id, r.*
		FROM user_roles ur JOIN roles r ON r.id = ur.role_id
		WHERE ur.user_id IN ?
		ORDER BY r.preset IS NULL, lower(r.name), r.id`, ids).Scan(&rows).Error
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.Role)
	}
	return out, err
}

// Get returns one member of the actor's tenant.
func (s Members) Get(ctx context.Context, actor *access.Principal, id int64) (_ *Member, err error) {
	defer apperr.Wrap(&err, "org.Get(%d)", id)
	partnerID, err := actor.Tenant()
	if err != nil {
		return nil, err
	}
	return s.get(ctx, s.DB, partnerID, id, false)
}

func (s Members) get(ctx context.Context, g *gorm.DB, partnerID, id int64, lock bool) (*Member, error) {
	var u identity.User
	q := g.WithContext(ctx).Where("id = ? AND kind = ? AND partner_id = ?", id, identity.KindPartner, partnerID)
	if lock {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.First(&u).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	roles, err := rolesOf(ctx, g, []int64{u.ID})
	if err != nil {
		return nil, err
	}
	return &Member{User: u, Roles: roles[u.ID]}, nil
}

// SessionCount is how many live sessions a member of the actor's tenant
// has.
func (s Members) SessionCount(ctx context.Context, actor *access.Principal, id int64) (_ int64, err error) {
	defer apperr.Wrap(&err, "org.SessionCount(%d)", id)
	partnerID, err := actor.Tenant()
	if err != nil {
		return 0, err
	}
	if _, err := s.get(ctx, s.DB, partnerID, id, false); err != nil {
		return 0, err
	}
	var n int64
	err = s.DB.WithContext(ctx).Model(&identity.SessionRow{}).Where("user_id = ? AND expires_at > ?", id, s.Clock.Now()).Count(&n).Error
	return n, err
}

// snapshot is what the audit trail keeps of a member (never the password
// hash).
type snapshot struct {
	LoginName   string   `json:"login_name"`
	DisplayName string   `json:"display_name"`
	Email       string   `json:"email"`
	Mobile      string   `json:"mobile"`
	Position    string   `json:"position"`
	Status      string   `json:"status"`
	Roles       []string `json:"roles"`
}

func snap(u *identity.User, roles []access.Role) snapshot {
	s := snapshot{LoginName: u.LoginName, DisplayName: u.DisplayName, Email: identity.Str(u.Email),
		Mobile: identity.Str(u.Mobile), Position: u.Position, Status: u.Status, Roles: []string{}}
	for _, r := range roles {
		s.Roles = append(s.Roles, r.Name)
	}
	return s
}

// normalize trims the input and checks formats; it records field errors.
func (in *Input) normalize(f apperr.Fields, creating bool) {
	in.LoginName = strings.TrimSpace(in.LoginName)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	in.Email = strings.TrimSpace(in.Email)
	in.Mobile = strings.TrimSpace(in.Mobile)
	in.Position = strings.TrimSpace(in.Position)
	if creating {
		switch {
		case in.LoginName == "":
			f.Add("login_name", "org.members.err.login_required")
		case !identity.ValidLoginName(in.LoginName):
			f.Add("login_name", "org.members.err.login_format")
		}
	}
	switch n := utf8.RuneCountInString(in.DisplayName); {
	case n == 0:
		f.Add("display_name", "org.members.err.name_required")
	case n > MaxNameLen:
		f.Add("display_name", "org.members.err.name_too_long")
	}
	switch {
	case in.Email == "":
		f.Add("email", "org.members.err.email_required")
	case !identity.ValidEmail(in.Email):
		f.Add("email", "org.members.err.email_format")
	}
	if in.Mobile != "" && !identity.ValidMobile(in.Mobile) {
		f.Add("mobile", "org.members.err.mobile_format")
	}
	if utf8.RuneCountInString(in.Position) > MaxPositionLen {
		f.Add("position", "org.members.err.position_too_long")
	}
	if creating {
		if k := identity.ValidatePassword(in.Password, in.LoginName); k != "" {
			f.Add("password", k)
		}
	}
}

// resolveRoles checks a role selection: at most three roles (seed 003
// §12.1.9.3), each the tenant's own or the preset 客户经理 role, and each
// newly given role made only of items the actor may grant.
func resolveRoles(ctx context.Context, tx *gorm.DB, actor *access.Principal, ids []int64, current []access.Role, f apperr.Fields) ([]access.Role, error) {
	seen := map[int64]bool{}
	var uniq []int64
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	if len(uniq) > access.MaxRolesPerMember {
		f.Add("roles", "org.members.err.too_many_roles")
		return nil, nil
	}
	assignable, err := access.Roles{DB: tx}.Assignable(ctx, actor)
	if err != nil {
		return nil, err
	}
	byID := map[int64]access.Role{}
	for _, r := range assignable {
		byID[r.ID] = r
	}
	held := map[int64]bool{}
	for _, r := range current {
		held[r.ID] = true
	}
	var out []access.Role
	for _, id := range uniq {
		r, ok := byID[id]
		if !ok {
			f.Add("roles", "org.members.err.role_unknown")
			return nil, nil
		}
		if !held[id] {
			items, err := access.RoleItems(ctx, tx, &r)
			if err != nil {
				return nil, err
			}
			if !access.CanGrant(actor, items, nil) {
				f.Add("roles", "org.members.err.role_exceeds_own")
				return nil, nil
			}
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].IsPreset() != out[j].IsPreset() {
			return out[i].IsPreset()
		}
		return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name)
	})
	return out, nil
}

func setRoles(tx *gorm.DB, userID int64, roles []access.Role) error {
	if err := tx.Exec(`DELETE FROM user_roles WHERE user_id = ?`, userID).Error; err != nil {
		return err
	}
	for _, r := range roles {
		if err := tx.Exec(`INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)`, userID, r.ID).Error; err != nil {
			return err
		}
	}
	return nil
}

// Create adds a member to the actor's tenant with an initial password
// and its roles. Bad input changes nothing.
func (s Members) Create(ctx context.Context, actor *access.Principal, in Input) (_ int64, err error) {
	defer apperr.Wrap(&err, "org.Create")
	pid, err := actor.Tenant()
	if err != nil {
		return 0, err
	}
	var id int64
	err = db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		f := apperr.Fields{}
		in.normalize(f, true)
		if err := identity.CheckAvailable(ctx, tx, identity.Claim{LoginName: in.LoginName, Email: in.Email, Mobile: in.Mobile}, f); err != nil {
			return err
		}
		roles, err := resolveRoles(ctx, tx, actor, in.RoleIDs, nil, f)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		hash, err := identity.HashPassword(in.Password)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		u := identity.User{Kind: identity.KindPartner, PartnerID: &pid, LoginName: in.LoginName, DisplayName: in.DisplayName,
			Email: identity.Ptr(in.Email), Mobile: identity.Ptr(in.Mobile), Position: in.Position, PasswordHash: hash,
			Status: identity.StatusActive, Locale: "zh-CN", PasswordChangedAt: now, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&u).Error; err != nil {
			return identity.TakenError(err)
		}
		id = u.ID
		if err := setRoles(tx, u.ID, roles); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "org.member.create", ObjectType: "user",
			ObjectID: u.ID, After: snap(&u, roles)})
	})
	return id, err
}

// Update changes a member's name, email, mobile, position and roles. The
// main account's roles are not editable (it holds everything) and only
// the main account edits its own details; a member cannot change its own
// roles.
func (s Members) Update(ctx context.Context, actor *access.Principal, id int64, in Input) (err error) {
	defer apperr.Wrap(&err, "org.Update(%d)", id)
	pid, err := actor.Tenant()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		m, err := s.get(ctx, tx, pid, id, true)
		if err != nil {
			return err
		}
		if m.IsMain && m.ID != actor.UserID {
			return apperr.Conflict("org.members.err.main_protected")
		}
		in.LoginName = m.LoginName
		f := apperr.Fields{}
		in.normalize(f, false)
		if err := identity.CheckAvailable(ctx, tx, identity.Claim{Email: in.Email, Mobile: in.Mobile, SelfID: m.ID}, f); err != nil {
			return err
		}
		roles := m.Roles
		if !m.IsMain {
			if m.ID == actor.UserID {
				if !sameIDs(in.RoleIDs, m.RoleIDs()) {
					f.Add("roles", "org.members.err.self_roles")
				}
			} else if roles, err = resolveRoles(ctx, tx, actor, in.RoleIDs, m.Roles, f); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		before := snap(&m.User, m.Roles)
		now := s.Clock.Now()
		res := tx.Model(&identity.User{}).Where("id = ? AND partner_id = ?", m.ID, pid).Updates(map[string]any{
			"display_name": in.DisplayName, "email": identity.Ptr(in.Email), "mobile": identity.Ptr(in.Mobile),
			"position": in.Position, "updated_at": now})
		if res.Error != nil {
			return identity.TakenError(res.Error)
		}
		if !m.IsMain && m.ID != actor.UserID {
			if err := setRoles(tx, m.ID, roles); err != nil {
				return err
			}
		}
		after := m.User
		after.DisplayName, after.Email, after.Mobile, after.Position = in.DisplayName, identity.Ptr(in.Email), identity.Ptr(in.Mobile), in.Position
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "org.member.update", ObjectType: "user",
			ObjectID: m.ID, Before: before, After: snap(&after, roles)})
	})
}

func sameIDs(a, b []int64) bool {
	set := func(x []int64) map[int64]bool {
		m := map[int64]bool{}
		for _, v := range x {
			if v > 0 {
				m[v] = true
			}
		}
		return m
	}
	sa, sb := set(a), set(b)
	if len(sa) != len(sb) {
		return false
	}
	for k := range sa {
		if !sb[k] {
			return false
		}
	}
	return true
}

// target loads and locks a member of the actor's tenant (pid) the actor
// acts on with disable, enable, delete, reset password or set supervisor:
// never the main account, never itself.
func (s Members) target(ctx context.Context, tx *gorm.DB, actor *access.Principal, pid, id int64) (*Member, error) {
	m, err := s.get(ctx, tx, pid, id, true)
	if err != nil {
		return nil, err
	}
	if m.IsMain {
		return nil, apperr.Conflict("org.members.err.main_protected")
	}
	if m.ID == actor.UserID {
		return nil, apperr.Conflict("org.members.err.self_action")
	}
	return m, nil
}

// Disable stops a member from signing in and ends all its sessions at
// once.
func (s Members) Disable(ctx context.Context, actor *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "org.Disable(%d)", id)
	return s.setStatus(ctx, actor, id, identity.StatusDisabled, "org.member.disable")
}

// Enable lets a disabled member sign in again.
func (s Members) Enable(ctx context.Context, actor *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "org.Enable(%d)", id)
	return s.setStatus(ctx, actor, id, identity.StatusActive, "org.member.enable")
}

func (s Members) setStatus(ctx context.Context, actor *access.Principal, id int64, status, action string) error {
	pid, err := actor.Tenant()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		m, err := s.target(ctx, tx, actor, pid, id)
		if err != nil {
			return err
		}
		if m.Status == status {
			return nil // already so: nothing changes, nothing to record
		}
		now := s.Clock.Now()
		if err := tx.Model(&identity.User{}).Where("id = ? AND partner_id = ?", m.ID, pid).
			Updates(map[string]any{"status": status, "updated_at": now}).Error; err != nil {
			return err
		}
		if status == identity.StatusDisabled {
			if err := identity.EndAllForUser(tx, m.ID, 0); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: action, ObjectType: "user",
			ObjectID: m.ID, Before: map[string]string{"status": m.Status}, After: map[string]string{"status": status}})
	})
}

// Delete removes a member, its roles and its sessions.
func (s Members) Delete(ctx context.Context, actor *access.Principal, id int64) (err error) {
	defer apperr.Wrap(&err, "org.Delete(%d)", id)
	pid, err := actor.Tenant()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		m, err := s.target(ctx, tx, actor, pid, id)
		if err != nil {
			return err
		}
		if err := identity.EndAllForUser(tx, m.ID, 0); err != nil {
			return err
		}
		// A savepoint keeps the transaction usable when another table
		// still refers to the member (its records must not vanish).
		err = tx.Transaction(func(sp *gorm.DB) error {
			return sp.Where("id = ? AND partner_id = ?", m.ID, pid).Delete(&identity.User{}).Error
		})
		var pg *pgconn.PgError
		if errors.As(err, &pg) && pg.Code == "23503" {
			return apperr.Conflict("org.members.err.in_use")
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: s.Clock.Now(), PartnerID: pid, Action: "org.member.delete", ObjectType: "user",
			ObjectID: m.ID, Before: snap(&m.User, m.Roles)})
	})
}

// ResetPassword sets a new password chosen by the admin (seed 003 §7.1.7:
// "请联系管理员为您重置密码") and ends the member's sessions.
func (s Members) ResetPassword(ctx context.Context, actor *access.Principal, id int64, password string) (err error) {
	defer apperr.Wrap(&err, "org.ResetPassword(%d)", id)
	pid, err := actor.Tenant()
	if err != nil {
		return err
	}
	return db.WithTx(ctx, s.DB, func(tx *gorm.DB) error {
		m, err := s.target(ctx, tx, actor, pid, id)
		if err != nil {
			return err
		}
		if k := identity.ValidatePassword(password, m.LoginName); k != "" {
			return apperr.FieldError("password", k)
		}
		hash, err := identity.HashPassword(password)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := tx.Model(&identity.User{}).Where("id = ? AND partner_id = ?", m.ID, pid).
			Updates(map[string]any{"password_hash": hash, "password_changed_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := identity.EndAllForUser(tx, m.ID, 0); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Change{At: now, PartnerID: pid, Action: "org.member.reset_password",
			ObjectType: "user", ObjectID: m.ID, After: map[string]any{"password_changed": true}})
	})
}

package people

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/files"
	"partnercenter/internal/identity"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/db"
)

// PerPage is a page of a people list.
const PerPage = 20

// Filter narrows a list: a state, a name or tenant name, a page.
type Filter struct {
	Status string
	Q      string
	Page   int
}

func (f *Filter) normalize(states []string) {
	f.Q = strings.TrimSpace(f.Q)
	if !slices.Contains(states, f.Status) {
		f.Status = ""
	}
	if f.Page <= 0 {
		f.Page = 1
	}
}

// InvitationRow is a line of 邀请列表.
type InvitationRow struct {
	Invitation
	PersonName string
	Tenant     string
	LinkID     *int64
}

// Invitations is a page of the tenant's invitations, newest first; a
// pending invitation past its days reads 已失效 (the filter too).
func (s Service) Invitations(ctx context.Context, p *access.Principal, f Filter) (_ []InvitationRow, total int64, err error) {
	defer apperr.Wrap(&err, "people.Invitations")
	pid, err := p.Tenant()
	if err != nil {
		return nil, 0, err
	}
	f.normalize(InviteStates)
	now := s.now()
	q := s.DB.WithContext(ctx).Table("specialist_invitations i").Joins("JOIN users u ON u.id = i.person_id").Where("i.partner_id = ?", pid)
	switch f.Status {
	case InvitePending:
		q = q.Where("i.status = ? AND i.expires_at > ?", InvitePending, now)
	case InviteExpired:
		q = q.Where("(i.status = ? OR (i.status = ? AND i.expires_at <= ?))", InviteExpired, InvitePending, now)
	case "":
	default:
		q = q.Where("i.status = ?", f.Status)
	}
	if f.Q != "" {
		q = q.Where("(u.login_name ILIKE ? OR u.display_name ILIKE ?)", db.Contains(f.Q), db.Contains(f.Q))
	}
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []InvitationRow
	err = q.Select(`i.*, u.display_name AS person_name, u.login_name AS tenant,
		(SELECT l.id FROM specialist_links l WHERE l.invitation_id = i.id AND l.unlinked_at IS NULL) AS link_id`).
		Order("i.created_at DESC, i.id DESC").Limit(PerPage).Offset((f.Page - 1) * PerPage).Scan(&out).Error
	return out, total, err
}

// Member is a line of the 项目专员 tab: a linked person with its
// specialist standing and certificate count.
type Member struct {
	LinkID       int64
	PersonID     int64
	PersonName   string
	Tenant       string
	Email        *string
	LinkedAt     time.Time
	SpecialistID *int64
	SpecStatus   *string
	SpecPath     *string
	Since        *time.Time
	ValidCerts   int
}

// MemberStates filter the 项目专员 tab: linked persons who are
// specialists, in review, or neither.
var MemberStates = []string{"specialist", "reviewing", "none"}

// Members is a page of the tenant's linked persons.
func (s Service) Members(ctx context.Context, p *access.Principal, f Filter) (_ []Member, total int64, err error) {
	defer apperr.Wrap(&err, "people.Members")
	pid, err := p.Tenant()
	if err != nil {
		return nil, 0, err
	}
	f.normalize(MemberStates)
	today := clock.ChinaDate(s.now())
	q := s.DB.WithContext(ctx).Table("specialist_links l").Joins("JOIN users u ON u.id = l.person_id").
		Joins(`LEFT JOIN project_specialists sp ON sp.person_id = l.person_id AND sp.partner_id = l.partner_id
			AND sp.status IN ('submitted', 'approved', 'cancelling')`).
		Where("l.partner_id = ? AND l.unlinked_at IS NULL", pid)
	switch f.Status {
	case "specialist":
		q = q.Where("sp.status IN ('approved', 'cancelling')")
	case "reviewing":
		q = q.Where("sp.status = 'submitted'")
	case "none":
		q = q.Where("sp.id IS NULL")
	}
	if f.Q != "" {
		q = q.Where("(u.login_name ILIKE ? OR u.display_name ILIKE ?)", db.Contains(f.Q), db.Contains(f.Q))
	}
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Member
	err = q.Select(`l.id AS link_id, l.person_id, u.display_name AS person_name, u.login_name AS tenant, u.email, l.linked_at,
		sp.id AS specialist_id, sp.status AS spec_status, sp.path AS spec_path, sp.since,
		(SELECT count(*) FROM personal_certificates c WHERE c.person_id = l.person_id AND c.status = 'approved' AND c.expires_on >= ?) AS valid_certs`, today).
		Order("l.linked_at DESC, l.id DESC").Limit(PerPage).Offset((f.Page - 1) * PerPage).Scan(&out).Error
	return out, total, err
}

// Detail is a person's page as its partner sees it (§7.2.8): the person,
// the link, its certificates and specialist history.
type Detail struct {
	Person       Person
	Link         *Link
	Invitations  []Invitation
	Certificates []Certificate
	Specialists  []Specialist
}

// PersonDetail reads a person the tenant invited (another tenant's
// person is 404). Certificates are shown while the person is linked.
func (s Service) PersonDetail(ctx context.Context, p *access.Principal, personID int64) (_ *Detail, err error) {
	defer apperr.Wrap(&err, "people.PersonDetail(%d)", personID)
	pid, err := p.Tenant()
	if err != nil {
		return nil, err
	}
	g := s.DB.WithContext(ctx)
	d := &Detail{}
	if err := g.Where("partner_id = ? AND person_id = ?", pid, personID).Order("created_at DESC").Find(&d.Invitations).Error; err != nil {
		return nil, err
	}
	if len(d.Invitations) == 0 {
		return nil, apperr.NotFound()
	}
	pr, err := person(ctx, s.DB, personID)
	if err != nil {
		return nil, err
	}
	// An invitation alone shows the name and tenant name; the e-mail,
	// employment and certificates are the partner's only while linked.
	d.Person = Person{User: identity.User{ID: pr.ID, LoginName: pr.LoginName, DisplayName: pr.DisplayName}}
	var ls []Link
	if err := g.Where("partner_id = ? AND person_id = ? AND unlinked_at IS NULL", pid, personID).Limit(1).Find(&ls).Error; err != nil {
		return nil, err
	}
	if len(ls) == 1 {
		d.Person = *pr
		d.Link = &ls[0]
		if err := g.Where("person_id = ? AND status <> ?", personID, CertRejected).Order("issued_on DESC, id DESC").Find(&d.Certificates).Error; err != nil {
			return nil, err
		}
	}
	if err := g.Where("partner_id = ? AND person_id = ?", pid, personID).Order("created_at DESC").Find(&d.Specialists).Error; err != nil {
		return nil, err
	}
	return d, nil
}

// MyInvitation is a line of the person's 邀请 page.
type MyInvitation struct {
	Invitation
	PartnerName string
	Linked      bool
}

// MyLink is a partner the person is (or was) linked to.
type MyLink struct {
	Link
	PartnerName string
}

// MyInvitations lists the person's invitations, pending first, and its
// links.
func (s Service) MyInvitations(ctx context.Context, p *access.Principal) (_ []MyInvitation, _ []MyLink, err error) {
	defer apperr.Wrap(&err, "people.MyInvitations")
	uid, err := p.Person()
	if err != nil {
		return nil, nil, err
	}
	var invs []MyInvitation
	if err := s.DB.WithContext(ctx).Table("specialist_invitations i").Joins("JOIN partners pt ON pt.id = i.partner_id").
		Where("i.person_id = ?", uid).Select("i.*, pt.name AS partner_name").
		Order("(i.status = 'pending') DESC, i.created_at DESC").Limit(100).Scan(&invs).Error; err != nil {
		return nil, nil, err
	}
	var links []MyLink
	if err := s.DB.WithContext(ctx).Table("specialist_links l").Joins("JOIN partners pt ON pt.id = l.partner_id").
		Where("l.person_id = ?", uid).Select("l.*, pt.name AS partner_name").Order("l.linked_at DESC").Limit(50).Scan(&links).Error; err != nil {
		return nil, nil, err
	}
	return invs, links, nil
}

// MyCertificates lists the person's certificates, newest first.
func (s Service) MyCertificates(ctx context.Context, p *access.Principal) (_ []Certificate, err error) {
	defer apperr.Wrap(&err, "people.MyCertificates")
	uid, err := p.Person()
	if err != nil {
		return nil, err
	}
	var out []Certificate
	err = s.DB.WithContext(ctx).Where("person_id = ?", uid).Order("created_at DESC, id DESC").Limit(200).Find(&out).Error
	return out, err
}

// CertificateRow is a line of the vendor's 个人资质审核.
type CertificateRow struct {
	Certificate
	PersonName string
	Tenant     string
}

// CertificateStates filter the vendor's list.
var CertificateStates = []string{CertPending, CertApproved, CertRejected}

// ReviewQueue is a page of uploaded certificates for vendor staff,
// oldest pending first.
func (s Service) ReviewQueue(ctx context.Context, p *access.Principal, f Filter) (_ []CertificateRow, total int64, err error) {
	defer apperr.Wrap(&err, "people.ReviewQueue")
	if _, err := p.Staff(); err != nil {
		return nil, 0, err
	}
	f.normalize(CertificateStates)
	q := s.DB.WithContext(ctx).Table("personal_certificates c").Joins("JOIN users u ON u.id = c.person_id")
	if f.Status != "" {
		q = q.Where("c.status = ?", f.Status)
	}
	if f.Q != "" {
		q = q.Where("(u.login_name ILIKE ? OR u.display_name ILIKE ? OR c.number ILIKE ?)", db.Contains(f.Q), db.Contains(f.Q), db.Contains(f.Q))
	}
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []CertificateRow
	err = q.Select("c.*, u.display_name AS person_name, u.login_name AS tenant").
		Order("(c.status = 'pending') DESC, c.created_at ASC, c.id").Limit(PerPage).Offset((f.Page - 1) * PerPage).Scan(&out).Error
	return out, total, err
}

// CertificateFile is the file of an uploaded certificate: its owner and
// vendor staff read it.
func (s Service) CertificateFile(ctx context.Context, p *access.Principal, id int64) (_ *files.File, err error) {
	defer apperr.Wrap(&err, "people.CertificateFile(%d)", id)
	q := s.DB.WithContext(ctx).Model(&Certificate{}).Where("id = ? AND file_id IS NOT NULL", id)
	switch {
	case p != nil && p.IsVendor:
	case p != nil && p.IsPersonal:
		q = q.Where("person_id = ?", p.UserID)
	default:
		return nil, apperr.NotFound()
	}
	var ids []int64
	if err := q.Pluck("file_id", &ids).Error; err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apperr.NotFound()
	}
	return files.GetVendor(ctx, s.DB, ids[0])
}

// LinkedPeople are the persons linked to a partner now, for the exam
// voucher form: name, tenant, bound e-mail and Uniportal account.
type LinkedPeople struct {
	PersonID  int64
	Name      string
	Tenant    string
	Email     *string
	Uniportal string
}

// Linked lists the tenant's linked persons (at most 500).
func Linked(ctx context.Context, g *gorm.DB, partnerID int64) ([]LinkedPeople, error) {
	var out []LinkedPeople
	err := g.WithContext(ctx).Raw(`SELECT u.id AS person_id, u.display_name AS name, u.login_name AS tenant, u.email, pp.uniportal
		FROM specialist_links l JOIN users u ON u.id = l.person_id JOIN personal_profiles pp ON pp.user_id = l.person_id
		WHERE l.partner_id = ? AND l.unlinked_at IS NULL ORDER BY u.display_name, u.id LIMIT 500`, partnerID).Scan(&out).Error
	return out, err
}

// LinkPerson is the person of one of the tenant's links (another
// tenant's link is 404).
func (s Service) LinkPerson(ctx context.Context, p *access.Principal, linkID int64) (_ int64, err error) {
	defer apperr.Wrap(&err, "people.LinkPerson(%d)", linkID)
	pid, err := p.Tenant()
	if err != nil {
		return 0, err
	}
	var ids []int64
	if err := s.DB.WithContext(ctx).Model(&Link{}).Where("id = ? AND partner_id = ?", linkID, pid).Pluck("person_id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, apperr.NotFound()
	}
	return ids[0], nil
}

// SpecialistPerson is the person of one of the tenant's specialists
// (another tenant's is 404).
func (s Service) SpecialistPerson(ctx context.Context, p *access.Principal, id int64) (_ int64, err error) {
	defer apperr.Wrap(&err, "people.SpecialistPerson(%d)", id)
	pid, err := p.Tenant()
	if err != nil {
		return 0, err
	}
	var ids []int64
	if err := s.DB.WithContext(ctx).Model(&Specialist{}).Where("id = ? AND partner_id = ?", id, pid).Pluck("person_id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, apperr.NotFound()
	}
	return ids[0], nil
}

// SpecialistPerson is an approved project specialist linked to a partner
// now, for the benefits that fund specialists (FH).
type SpecialistPerson struct {
	PartnerID int64
	PersonID  int64
	Name      string
	Tenant    string
	City      string
	Since     time.Time
}

// Specialists lists a partner's approved (or being cancelled) project
// specialists of a path who are linked to it now, with their 常驻地.
func Specialists(ctx context.Context, g *gorm.DB, partnerID int64, path string) ([]SpecialistPerson, error) {
	by, err := SpecialistsOf(ctx, g, []int64{partnerID}, path)
	return by[partnerID], err
}

// SpecialistsOf is Specialists for several partners in one query.
func SpecialistsOf(ctx context.Context, g *gorm.DB, partnerIDs []int64, path string) (map[int64][]SpecialistPerson, error) {
	out := map[int64][]SpecialistPerson{}
	if len(partnerIDs) == 0 {
		return out, nil
	}
	var rows []SpecialistPerson
	err := g.WithContext(ctx).Raw(`SELECT sp.partner_id, sp.person_id, u.display_name AS name, u.login_name AS tenant, pp.city, sp.since
		FROM project_specialists sp
		JOIN specialist_links l ON l.person_id = sp.person_id AND l.partner_id = sp.partner_id AND l.unlinked_at IS NULL
		JOIN users u ON u.id = sp.person_id JOIN personal_profiles pp ON pp.user_id = sp.person_id
		WHERE sp.partner_id IN ? AND sp.path = ? AND sp.status IN ('approved', 'cancelling')
		ORDER BY u.display_name, sp.person_id`, partnerIDs, path).Scan(&rows).Error
	for _, r := range rows {
		out[r.PartnerID] = append(out[r.PartnerID], r)
	}
	return out, err
}

package customer

import (
	"time"

	"github.com/shopspring/decimal"
)

// Kinds of customer (and of report).
const (
	KindPersonal   = "personal"
	KindEnterprise = "enterprise"
)

// Real-name verification states of a customer account.
const (
	RealNameNone       = "none"
	RealNamePersonal   = "personal"
	RealNameEnterprise = "enterprise"
)

// Association modes (seed 003 §12.1.2.1).
const (
	ModeResale     = "resale"     // 代售
	ModeConsulting = "consulting" // 顾问销售
)

// Modes lists the modes in display order.
var Modes = []string{ModeResale, ModeConsulting}

// Report states (报备).
const (
	ReportProtected  = "protected"
	ReportInReview   = "in_review"
	ReportRejected   = "rejected"
	ReportAssociated = "associated"
	ReportExpired    = "expired"
)

// ReportStatuses lists the report states in display order.
var ReportStatuses = []string{ReportProtected, ReportInReview, ReportAssociated, ReportExpired, ReportRejected}

// Invitation channels and states.
const (
	ChannelOnline  = "online"
	ChannelOffline = "offline"

	InvitationSent     = "sent"
	InvitationOpened   = "opened"
	InvitationAccepted = "accepted"
	InvitationExpired  = "expired"
	InvitationRevoked  = "revoked"
)

// InvitationStatuses lists the invitation states in display order.
var InvitationStatuses = []string{InvitationSent, InvitationOpened, InvitationAccepted, InvitationExpired, InvitationRevoked}

// Association states.
const (
	AssociationActive = "active"
	AssociationEnded  = "ended"
)

// Request (关联关系操作记录) types, initiators and states.
const (
	RequestAssociate = "associate"
	RequestUnbind    = "unbind"
	RequestSwitch    = "switch"

	InitiatorPartner  = "partner"
	InitiatorCustomer = "customer"
	InitiatorSystem   = "system"

	RequestPending   = "pending"
	RequestCompleted = "completed"
	RequestRejected  = "rejected"
	RequestCancelled = "cancelled"
)

// RequestTypes and RequestStatuses list them in display order.
var (
	RequestTypes    = []string{RequestAssociate, RequestSwitch, RequestUnbind, RequestMigrate}
	RequestStatuses = []string{RequestPending, RequestCompleted, RequestRejected, RequestCancelled}
)

// Rule numbers (seed 003; digest rules R10–R16).
const (
	// OnlineLinkDays: an online invitation link is valid 7 days (R10, §12.1.2.4).
	OnlineLinkDays = 7
	// OfflineAccountMaxAgeDays: through an offline link only an account
	// created within 7 days may associate (R11, §12.4.6).
	OfflineAccountMaxAgeDays = 7
	// ReviewRegisteredDays: a report of an existing account registered more
	// than 7 days ago goes to manual review (seed 001 报备规则).
	ReviewRegisteredDays = 7
	// MaxUnbindRequests within UnbindWindowMonths by a customer (R15, §12.4.3).
	MaxUnbindRequests  = 3
	UnbindWindowMonths = 3
	// Grace periods of on-demand resources (R16, §12.4.19).
	GraceDaysResaleAssociate = 1
	GraceDaysResaleUnbind    = 7
	// DefaultReportValidityDays when the setting is missing.
	DefaultReportValidityDays = 90
	// SettingReportValidity is the settings key of the report validity.
	SettingReportValidity = "customer_report_validity_days"
	// AgreementVersion of 《客户关联华为云合作伙伴须知》 a customer signs (R62, R73).
	AgreementVersion = "2024.1"
	// PerPage is the default page size of lists.
	PerPage = 20
	// MaxReasonLen is the longest reason or decision note (characters).
	MaxReasonLen = 500
)

// Customer is a customer cloud account (华为云账号). UserID is its console
// login; bulk-loaded accounts may have none.
type Customer struct {
	ID                 int64
	UserID             *int64
	AccountName        string
	Name               string
	Kind               string
	RealNameStatus     string
	CreditCode         *string
	Mobile             *string
	Email              *string
	Industry           string
	Region             string
	Level              string
	RegisteredAt       time.Time
	EnterpriseMasterID *int64
	FinanceHosted      bool
	CashBalance        decimal.Decimal
	GraceDays          int
	AgreementVersion   string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// TableName maps Customer to customers.
func (Customer) TableName() string { return "customers" }

// IsEnterpriseSub reports an enterprise sub-account (has a master).
func (c *Customer) IsEnterpriseSub() bool { return c.EnterpriseMasterID != nil }

// Report is a partner's claim on a prospect (报备).
type Report struct {
	ID            int64
	PartnerID     int64
	CustomerName  string
	CustomerKind  string
	CreditCode    *string
	ContactName   string
	Mobile        string
	Email         string
	Industry      string
	Region        string
	Notes         string
	Status        string
	ExpiresAt     time.Time
	ApplicationID *int64
	CustomerID    *int64
	ReportedBy    *int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TableName maps Report to customer_reports.
func (Report) TableName() string { return "customer_reports" }

// StatusAt is the state at now: a protected report whose protection ended
// reads as expired even before Expire swept it.
func (r *Report) StatusAt(now time.Time) string {
	if r.Status == ReportProtected && !now.Before(r.ExpiresAt) {
		return ReportExpired
	}
	return r.Status
}

// Invitable reports whether invitations may be sent for the report at now.
func (r *Report) Invitable(now time.Time) bool { return r.StatusAt(now) == ReportProtected }

// ReportInput is the 报备客户 form.
type ReportInput struct {
	CustomerName string
	Kind         string // personal | enterprise
	CreditCode   string // enterprise only
	ContactName  string
	Mobile       string
	Email        string
	Industry     string
	Region       string
	Notes        string
}

// ReportFilter selects and pages the report list.
type ReportFilter struct {
	Status string // one of ReportStatuses or ""
	Q      string // customer name, contact, mobile or email contains
	Page   int
	Per    int // 0: PerPage
}

// ReportRow is a report in the list, with who reported it.
type ReportRow struct {
	Report
	ReportedByName string
	// Effective is StatusAt(now).
	Effective string
	// Invitations counts the report's invitations.
	Invitations int
}

// ReportList is one page of reports.
type ReportList struct {
	Rows  []ReportRow
	Total int64
	Page  int
	Per   int
}

// Invitation is an online or offline invitation of a reported customer.
type Invitation struct {
	ID                 int64
	PartnerID          int64
	ReportID           int64
	Channel            string
	Mode               string
	Email              string
	Token              string
	Status             string
	ExpiresAt          *time.Time
	SentAt             time.Time
	OpenedAt           *time.Time
	AcceptedAt         *time.Time
	AcceptedCustomerID *int64
	CreatedBy          *int64
	CreatedAt          time.Time
}

// TableName maps Invitation to invitations.
func (Invitation) TableName() string { return "invitations" }

// InvitePathPrefix is the path of the public invitation landing page; the
// link of an invitation is InvitePathPrefix + token (the console routes
// serve it).
const InvitePathPrefix = "/invite/"

// Path is the invitation's link (local path; prefix the site's origin to
// show or copy it).
func (i *Invitation) Path() string { return InvitePathPrefix + i.Token }

// ExpiredAt reports an online link past its 7 days (R10); offline links
// never expire.
func (i *Invitation) ExpiredAt(now time.Time) bool {
	return i.Status == InvitationExpired ||
		(i.ExpiresAt != nil && !now.Before(*i.ExpiresAt) && (i.Status == InvitationSent || i.Status == InvitationOpened))
}

// StatusAt is the state at now (expired computed on read).
func (i *Invitation) StatusAt(now time.Time) string {
	if i.ExpiredAt(now) {
		return InvitationExpired
	}
	return i.Status
}

// InvitationFilter selects and pages a partner's invitations.
type InvitationFilter struct {
	Channel  string // online | offline | ""
	Status   string // one of InvitationStatuses or ""
	Q        string // customer name, email or mobile contains
	ReportID int64
	Page     int
	Per      int
}

// InvitationRow is an invitation with its report's customer.
type InvitationRow struct {
	Invitation
	CustomerName  string
	ContactName   string
	Mobile        string
	CreatedByName string
	// Effective is StatusAt(now).
	Effective string
}

// InvitationList is one page of invitations.
type InvitationList struct {
	Rows  []InvitationRow
	Total int64
	Page  int
	Per   int
}

// Landing is what the public invitation page shows.
type Landing struct {
	Token        string
	Channel      string
	Mode         string
	PartnerID    int64
	PartnerName  string
	CustomerName string
	ExpiresAt    *time.Time
	Status       string // effective status
	Expired      bool
	// Usable: sent or opened and not expired.
	Usable bool
}

// Association links a customer to a partner.
type Association struct {
	ID              int64
	PartnerID       int64
	CustomerID      int64
	Mode            string
	Status          string
	InvitationID    *int64
	ManagerUserID   *int64
	AssociatedAt    time.Time
	EndedAt         *time.Time
	GraceDaysBefore *int
}

// TableName maps Association to associations.
func (Association) TableName() string { return "associations" }

// Request is one row of 关联关系操作记录: an association, a switch or an
// unbinding, with its initiator, state and decision.
type Request struct {
	ID            int64
	PartnerID     int64
	CustomerID    int64
	AssociationID *int64
	Type          string
	Initiator     string
	FromMode      *string
	ToMode        *string
	Reason        string
	Status        string
	RequestedBy   *int64
	DecidedBy     *int64
	DecisionNote  string
	RequestedAt   time.Time
	DecidedAt     *time.Time
}

// TableName maps Request to association_requests.
func (Request) TableName() string { return "association_requests" }

// RequestRow is a request with the names the records page shows.
type RequestRow struct {
	Request
	AccountName     string
	CustomerName    string
	Mobile          string
	Mode            string // the association's mode (current, or at its end)
	ManagerName     string
	PartnerName     string
	RequestedByName string
	DecidedByName   string
	// Decidable: a pending customer-initiated unbinding the partner admin
	// approves or rejects (R14).
	Decidable bool
	// AwaitsCustomer: a pending partner-initiated request the customer
	// consents to or refuses.
	AwaitsCustomer bool
}

// RecordFilter selects the 关联关系操作记录 list.
type RecordFilter struct {
	CustomerName string // contains
	ManagerName  string // contains (客户经理姓名)
	ManagerID    int64
	Mobile       string // contains
	Type         string // one of RequestTypes or ""
	Status       string // one of RequestStatuses or ""
	Initiator    string // InitiatorCustomer, InitiatorPartner or "" (the home's to-do: the customers' requests)
	Resellers    bool   // master distributor: its cloud resellers' records (read-only)
	Page         int
	Per          int
}

// RecordList is one page of records (Total capped like List's).
type RecordList struct {
	Rows        []RequestRow
	Total       int64
	TotalCapped bool
	Page        int
	Per         int
}

// RegisterInput is the customer console's registration form.
type RegisterInput struct {
	LoginName  string // the account name (华为云账号名)
	Password   string
	Name       string // person or company name
	Kind       string // personal | enterprise
	RealName   string // none | personal | enterprise (real-name verification done)
	CreditCode string // enterprise
	Mobile     string
	Email      string
	// EnterpriseMaster is the account name of the enterprise master
	// account, for an enterprise sub-account (optional).
	EnterpriseMaster string
	// FinanceHosted marks a finance-hosted sub-account (needs a master).
	FinanceHosted bool
}

// Account is the console's account view (账号中心).
type Account struct {
	Customer
	LoginName        string
	MasterName       string // enterprise master's account name, if any
	Partner          *CurrentPartner
	AgreementCurrent bool // signed the latest 《客户关联华为云合作伙伴须知》 (R62)
}

// CurrentPartner is the customer's active association as the console shows it.
type CurrentPartner struct {
	AssociationID int64
	PartnerID     int64
	PartnerName   string
	Mode          string
	AssociatedAt  time.Time
	Status        string
}

// MyPartners is the console's 我的合作伙伴 page.
type MyPartners struct {
	Customer Customer
	Current  *CurrentPartner
	// Pending are requests waiting for this customer (立即处理): partner-
	// initiated switches and unbindings.
	Pending []RequestRow
	// Own are this customer's pending unbinding requests (cancellable).
	Own []RequestRow
	// Log is the operation log of this customer, newest first.
	Log []RequestRow
	// UnbindsLeft is how many unbinding applications the customer may still
	// make in the current window (R15).
	UnbindsLeft int
}

// Check is one association pre-check (seed 003 §12.4, §4.4 step 4).
type Check struct {
	Name   string // catalog key of the check's label
	OK     bool
	Reason string // catalog key explaining a failure ("" when OK)
	Args   map[string]any
}

// Precheck is the result of all pre-checks for a customer and a link.
type Precheck struct {
	Landing Landing
	Checks  []Check
	// OK: every check passes (the agreement itself is given at Accept).
	OK bool
}

// Filter selects, orders and pages the customer list (客户管理).
type Filter struct {
	Q         string // customer name, account name or mobile
	Mode      string // resale | consulting | ""
	ManagerID int64  // -1: unassigned; 0: any
	From, To  *time.Time
	// State: "" or "active" (current customers), "ended", "all".
	State string
	// Sort: "associated" (default) or "name"; Desc reverses.
	Sort string
	Desc bool
	// Resellers: a master distributor's 我的客户 tab — its cloud resellers'
	// customers, read-only (R64, R74–R76).
	Resellers bool
	Page      int
	Per       int
}

// Row is one line of the customer list (one association).
type Row struct {
	AssociationID  int64
	CustomerID     int64
	PartnerID      int64
	PartnerName    string // the cloud reseller's name on the 我的客户 tab
	Name           string
	AccountName    string
	Kind           string
	Mobile         string
	Level          string
	Mode           string
	State          string // active | ended
	AssociatedAt   time.Time
	EndedAt        *time.Time
	ManagerUserID  *int64
	ManagerName    string
	RealNameStatus string
	CashBalance    decimal.Decimal
}

// List is one page of customers. Total is exact up to MaxCount; beyond,
// it is MaxCount with TotalCapped set (show "10000+").
type List struct {
	Rows        []Row
	Total       int64
	TotalCapped bool
	Page        int
	Per         int
}

// Detail is a customer as its partner sees it.
type Detail struct {
	Customer    Customer
	MasterName  string
	Current     *Association // the active association with this partner, or nil
	ManagerName string
	PartnerName string // the owning partner (a reseller's, for a master distributor)
	// ReadOnly: a master distributor viewing a cloud reseller's customer.
	ReadOnly bool
	// History: every association of the customer with this partner, newest first.
	History []Association
	// Requests: the records of this customer with this partner, newest first.
	Requests []RequestRow
}

// Manager is a member who may be assigned customers (holds the preset
// 客户经理 role).
type Manager struct {
	UserID       int64
	LoginName    string
	Name         string
	SupervisorID *int64
}

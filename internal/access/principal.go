package access

import (
	"context"
	"partnercenter/internal/platform/apperr"
	"slices"
	"sort"

	"gorm.io/gorm"
)

// Partner identities (programs and development paths), seed 003 §7.1.1.
const (
	IdentitySolutionProvider  = "solution_provider"
	IdentityMasterDistributor = "master_distributor"
	IdentityCloudReseller     = "cloud_reseller"
	IdentitySoftware          = "software"
	IdentityService           = "service"
	IdentitySI                = "si"
	IdentityLearning          = "learning"
	// IdentityPCE is 合作伙伴共拓计划 (seed 003 §11.1.1): opportunities need it.
	IdentityPCE = "pce"
)

// PathIdentities are the development paths (seed 003 §4), in the seeds'
// order.
var PathIdentities = []string{IdentitySoftware, IdentityService, IdentitySI, IdentityLearning}

// Scope is a data scope on customers.
type Scope int

const (
	// ScopeAll sees every customer of the tenant.
	ScopeAll Scope = iota
	// ScopeAssigned sees only customers assigned to the member (preset
	// 客户经理 role alone, seed 003 §7.1.4).
	ScopeAssigned
)

// PresetCustomerManager is the fixed item set of the preset 客户经理 role
// (seed 003 §7.1.4): customers and sub-customer consumption, and the
// 客户看板 and 消费看板 of its own customers (R57, §12.1.9.5), their
// performance and indicators; never vouchers nor the partner bill.
var PresetCustomerManager = []Item{HomeView, CustomersView, CustomerConsumptionView, DashboardsCustomersView, DashboardsConsumptionView,
	// 商机: its own (seed 002 L17–18).
	SalesDealsView, SalesDealsManage,
	// 业绩 and 指标 of its own customers, and 业绩看板 (issue 12, build-plan
	// 3.A: "a customer manager sees only its own customers' rows").
	IncentivesPerformanceView, IncentivesIndicatorsView, DashboardsPerformanceView}

// Principal is what the current user may do, computed once per request.
type Principal struct {
	UserID        int64
	Name          string // login name, for histories and the audit trail
	PartnerID     int64
	IsMain        bool
	IsVendor      bool
	IsCustomer    bool
	IsPersonal    bool // a personal Huawei account (个人华为账号)
	VendorRole    string
	PartnerActive bool
	Items         map[Item]bool
	CustomerScope Scope
	// Identities are the active partner's program identities (as
	// partner_identities lists them), read once with the principal.
	Identities []string
}

// HasIdentity reports whether the principal's partner holds a program
// identity (IdentityMasterDistributor, …).
func (p *Principal) HasIdentity(id string) bool {
	return p != nil && slices.Contains(p.Identities, id)
}

// Can reports whether the principal holds it (pseudo items included).
func (p *Principal) Can(it Item) bool {
	switch it {
	case Public:
		return true
	case SignedIn:
		return p != nil
	}
	return p != nil && p.Items[it]
}

// SortedItems lists the held items, for display and tests.
func (p *Principal) SortedItems() []Item {
	out := make([]Item, 0, len(p.Items))
	for it := range p.Items {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// DefaultItems are the items every member receives automatically by its
// partner's identity (seed 003 §7.1.1, table 7-1). Both groups get 主页
// and 伙伴信息 > 基本信息 (view company, personal and account info, edit
// account info, manage credentials). Program partners also get 账号 >
// 账户信息 (balance, recharge, withdraw, balance alert) and path partners 方案;
// those items join the tree with the billing and solution menus.
func DefaultItems(identities []string) []Item {
	if len(identities) == 0 {
		return nil
	}
	items := []Item{HomeView, ProfileCompanyView, ProfilePersonalView, ProfileAccountView, ProfileAccountEdit, ProfileCredentials,
		SupportLibraryView}
	for _, id := range identities {
		if isProgram(id) {
			return append(items, ProgramAccountItems...)
		}
	}
	return items
}

// ProgramAccountItems are 账号 > 账户信息 of table 7-1 (seed 003 §7.1.1):
// 查看账户余额 and 充值 (the balance and the dedicated recharge account),
// 提现 and 设置余额预警 — defaults of master distributors, cloud resellers
// and solution providers only. The preset 客户经理 role's fixed set never
// includes them (seed 003 §7.1.4): a member holding only that role does
// not receive them.
var ProgramAccountItems = []Item{BillingFundsView, BillingWithdraw, BillingAlert}

func isProgram(identity string) bool {
	return identity == IdentityMasterDistributor || identity == IdentityCloudReseller || identity == IdentitySolutionProvider
}

// pendingItems are what the main account of a not-yet-active tenant has:
// the onboarding form and its progress, and its own credentials.
var pendingItems = []Item{HomeView, OnboardingApply, ApplicationsView, ApplicationsManage, ProfilePersonalView, ProfileCredentials}

// Subject is the part of a user that access needs (kept small so access
// does not import identity).
type Subject struct {
	UserID        int64
	Name          string // login name
	PartnerID     int64
	IsMain        bool
	VendorRole    string // "" for partner users
	PartnerStatus string // partners.status
	Customer      bool   // a customer signing in to its console
	Personal      bool   // a personal Huawei account
}

// Principals computes the principal of a signed-in user once per request
// (so that a revoked role or a disabled tenant takes effect at once).
type Principals struct{ DB *gorm.DB }

// Load computes the principal of a subject.
func (s Principals) Load(ctx context.Context, subj Subject) (_ *Principal, err error) {
	defer apperr.Wrap(&err, "access.Load")
	return Load(ctx, s.DB, subj)
}

// Load computes the principal of a subject.
func Load(ctx context.Context, db *gorm.DB, s Subject) (*Principal, error) {
	p := &Principal{UserID: s.UserID, Name: s.Name, PartnerID: s.PartnerID, IsMain: s.IsMain, Items: map[Item]bool{}}
	if s.Customer {
		p.IsCustomer = true
		// 主页 for a customer is its console (the home handler sends it there).
		p.Items[ConsoleUse] = true
		p.Items[HomeView] = true
		return p, nil
	}
	if s.Personal {
		p.IsPersonal = true
		// 主页 for a person is its console (the home handler sends it there).
		p.Items[PersonalUse] = true
		p.Items[HomeView] = true
		return p, nil
	}
	if s.VendorRole != "" {
		p.IsVendor = true
		p.VendorRole = s.VendorRole
		for _, it := range VendorRoleItems(s.VendorRole) {
			p.Items[it] = true
		}
		return p, nil
	}
	p.PartnerActive = s.PartnerStatus == "active"
	if !p.PartnerActive {
		if s.IsMain {
			for _, it := range pendingItems {
				p.Items[it] = true
			}
		}
		return p, nil
	}
	var identities []string
	if err := db.WithContext(ctx).Table("partner_identities").Where("partner_id = ?", s.PartnerID).
		Pluck("identity", &identities).Error; err != nil {
		return nil, err
	}
	p.Identities = identities
	defer dropByIdentity(p, identities)
	if s.IsMain {
		for it := range partnerLeaves {
			if it != OnboardingApply {
				p.Items[it] = true
			}
		}
		return p, nil
	}
	for _, it := range DefaultItems(identities) {
		p.Items[it] = true
	}
	type roleItem struct {
		RoleID int64
		Preset *string
		Item   *string
	}
	var rows []roleItem
	err := db.WithContext(ctx).Raw(`
		SELECT r.id AS role_id, r.preset, ri.item
		FROM user_roles ur
		JOIN roles r ON r.id = ur.role_id AND (r.partner_id = ? OR r.partner_id IS NULL)
		LEFT JOIN role_items ri ON ri.role_id = r.id
		WHERE ur.user_id = ?`, s.PartnerID, s.UserID).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	roles := map[int64]bool{}
	hasManager := false
	for _, r := range rows {
		roles[r.RoleID] = true
		if r.Preset != nil && *r.Preset == "customer_manager" {
			hasManager = true
			for _, it := range PresetCustomerManager {
				p.Items[it] = true
			}
		}
		if r.Item != nil && Grantable(Item(*r.Item)) {
			p.Items[Item(*r.Item)] = true
		}
	}
	// 客户经理 alone manages only its own customers; with any other role
	// it manages all (seed 003 §7.1.4).
	if hasManager && len(roles) == 1 {
		p.CustomerScope = ScopeAssigned
		// Its permissions are fixed: no account (账户信息) defaults.
		for _, it := range ProgramAccountItems {
			delete(p.Items, it)
		}
	}
	return p, nil
}

// VendorRoleItems are the fixed items of vendor roles: ecosystem managers
// review applications and see their partners; the vendor administrator
// also assigns ecosystem managers to partners.
func VendorRoleItems(role string) []Item {
	switch role {
	case "eco_manager":
		return []Item{HomeView, VendorApprovalsView, VendorApprovalsDecide, VendorPartnersView, VendorProgramsManage, VendorPerformanceManage,
			VendorIncentivesManage, VendorOpportunitiesManage, VendorCertificatesReview}
	case "vendor_admin":
		return []Item{HomeView, VendorApprovalsView, VendorApprovalsDecide, VendorApprovalsAssign, VendorPartnersView, VendorPartnersAssign, VendorStaffManage, VendorContractManage, VendorProgramsManage,
			VendorPerformanceManage, VendorIncentivesManage, VendorPoliciesManage, VendorOpportunitiesManage,
			VendorLibraryManage, VendorBenefitsManage, VendorCertificatesReview}
	case "finance":
		// Vendor finance (财务) confirms bank receipts and pays withdrawals.
		// It also reviews business information (商业信息审核, build-plan 1.B).
		return []Item{HomeView, VendorFinanceManage, VendorConsumptionImport, VendorInvoiceIssue, VendorContractManage, VendorBusinessReview}
	}
	return nil
}

// ResellerExcluded are the pages a cloud reseller does not have: its 账务
// menu is 资金管理 only (seed 003 §12.1.9.17), its master distributor
// invoices and contracts with the vendor, and it has no 激励 (§12.3.4).
var ResellerExcluded = []Item{BillingBillView, BillingBillExport, BillingInvoiceView, BillingInvoiceApply,
	BillingInvoiceInfo, BillingContractView, BillingContractSign,
	// No 激励 (§12.3.4): the vendor does not settle with cloud resellers.
	IncentivesPerformanceView, IncentivesPerformanceFeedback, IncentivesIndicatorsView, IncentivesBillsView, IncentivesBillsConfirm,
	IncentivesBillsFeedback, IncentivesPayoutView, IncentivesPayoutApply, IncentivesPayoutAuto,
	// No 权益 (§12.1.9.17).
	BenefitsView, BenefitsApply,
	// 运营看板 = 客户看板 + 消费看板 (§12.1.9.17).
	DashboardsPerformanceView, DashboardsIncentivesView}

// IdentityItems are items only a partner holding the identity has, on any
// role: 云经销商管理 is the master distributor's (§12.1.9.17), 机会点 the
// PCE member's.
var IdentityItems = map[Item]string{
	ResellersView:   IdentityMasterDistributor,
	ResellersInvite: IdentityMasterDistributor,
	// 机会点 is for 合作伙伴共拓计划 members (§11.1.2.2).
	OpportunitiesView:   IdentityPCE,
	OpportunitiesCreate: IdentityPCE,
	// 由华为共享 too (§11.1.3.2).
	OpportunitiesHOView:   IdentityPCE,
	OpportunitiesHODecide: IdentityPCE,
}

// ResellerOnly reports a tenant that is a cloud reseller and holds no
// other program identity (master distributor, solution provider): the one
// rule behind ResellerExcluded and the benefits a reseller may not apply
// for. Path identities do not count.
func ResellerOnly(identities []string) bool {
	reseller, other := false, false
	for _, id := range identities {
		switch id {
		case IdentityCloudReseller:
			reseller = true
		case IdentityMasterDistributor, IdentitySolutionProvider:
			other = true
		}
	}
	return reseller && !other
}

// dropByIdentity makes the menus follow the identity (§12.1.9.17):
// IdentityItems the tenant lacks the identity of, and ResellerExcluded
// for a tenant that is a cloud reseller and holds no other program
// identity.
func dropByIdentity(p *Principal, identities []string) {
	for it, id := range IdentityItems {
		if !slices.Contains(identities, id) {
			delete(p.Items, it)
		}
	}
	if ResellerOnly(identities) {
		for _, it := range ResellerExcluded {
			delete(p.Items, it)
		}
	}
}

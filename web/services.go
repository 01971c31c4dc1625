package web

import (
	"cmp"
	"context"

	"github.com/riverqueue/river"

	"gorm.io/gorm"

	"partnercenter/internal/access"
	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/benefit"
	"partnercenter/internal/bill"
	"partnercenter/internal/bizinfo"
	"partnercenter/internal/consumption"
	"partnercenter/internal/contract"
	"partnercenter/internal/customer"
	"partnercenter/internal/export"
	"partnercenter/internal/fh"
	"partnercenter/internal/funds"
	"partnercenter/internal/identity"
	"partnercenter/internal/incentive"
	"partnercenter/internal/invoice"
	"partnercenter/internal/library"
	"partnercenter/internal/mdf"
	"partnercenter/internal/notify"
	"partnercenter/internal/nre"
	"partnercenter/internal/onboarding"
	"partnercenter/internal/opportunity"
	"partnercenter/internal/org"
	"partnercenter/internal/outbox"
	"partnercenter/internal/partner"
	"partnercenter/internal/paths"
	"partnercenter/internal/people"
	"partnercenter/internal/performance"
	"partnercenter/internal/platform/apperr"
	"partnercenter/internal/platform/clock"
	"partnercenter/internal/program"
	"partnercenter/internal/recovery"
	"partnercenter/internal/webhook"
)

// Services are the domain services the handlers call, built once at
// start-up by NewServices (the composition root, docs/ARCHITECTURE.md):
// a handler never builds a service nor touches the database itself.
type Services struct {
	db *gorm.DB // for the readiness probe only

	// principals caches signed-in users' principals by authorization stamp.
	principals principalCache

	// 组织 and sign-in (identity, access)
	Users         identity.Users
	Staff         identity.Staff
	Passwords     identity.Passwords
	TOTP          identity.TOTP
	Authenticator identity.Authenticator
	Roles         access.Roles
	Principals    access.Principals
	Members       org.Members
	Audit         audit.Query
	Notify        notify.Service

	// 伙伴信息 and the vendor's partner directory
	Partners  partner.Store
	Profiles  partner.Profiles
	Directory partner.Directory
	Approvals approval.Engine
	Business  bizinfo.Service
	Programs  program.Service
	Paths     paths.Service

	// 激励
	Performance performance.Service
	Incentive   incentive.Service
	Onboarding  onboarding.Service

	// 机会点
	Opportunities opportunity.Service

	// Outbound e-mail and SMS: 消息接收设置 and the delivery log
	MessageSettings outbox.Settings
	MessageLog      outbox.Log
	Webhooks        webhook.Service

	// 支持 > 资料库 and 资料管理
	Library library.Service

	// 权益
	Benefits benefit.Service
	People   people.Service
	MDF      mdf.Service
	NRE      nre.Service
	FH       fh.Service

	// 忘记密码
	Recovery recovery.Service

	// 客户 and 销售
	Customers   *customer.Service
	Consumption consumption.Service
	Importer    consumption.Importer

	// 账务 and vendor finance
	Funds       funds.Service
	Recharges   funds.Recharges
	Payouts     funds.Payouts
	Bills       bill.Service
	Invoices    invoice.Service
	InvoiceDesk invoice.Desk
	Contracts   contract.Service
	Exports     export.Service
}

// Ping checks that the database answers (GET /readyz).
func (s *Services) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// NewServices builds every service on one database and one clock.
func NewServices(db *gorm.DB, clk clock.Clock) *Services {
	invoices := invoice.Service{DB: db, Clock: clk}
	s := &Services{
		db: db,

		Users:         identity.Users{DB: db, Clock: clk},
		Staff:         identity.Staff{DB: db},
		Passwords:     identity.Passwords{DB: db, Clock: clk},
		TOTP:          identity.TOTP{DB: db, Now: clk.Now},
		Authenticator: identity.Authenticator{DB: db, Clock: clk},
		Roles:         access.Roles{DB: db, Clock: clk},
		Principals:    access.Principals{DB: db},
		Members:       org.Members{DB: db, Clock: clk},
		Audit:         audit.Query{DB: db, Clock: clk},
		Notify:        notify.Service{DB: db, Clock: clk},

		Partners:    partner.Store{DB: db},
		Profiles:    partner.Profiles{DB: db, Clock: clk},
		Directory:   partner.Directory{DB: db, Clock: clk},
		Approvals:   approval.Engine{DB: db, Clock: clk},
		Business:    bizinfo.Service{DB: db, Clock: clk},
		Programs:    program.Service{DB: db, Clock: clk},
		Paths:       paths.Service{DB: db, Clock: clk},
		Performance: performance.Service{DB: db, Clock: clk},
		Incentive:   incentive.Service{DB: db, Clock: clk},
		Onboarding:  onboarding.Service{DB: db, Clock: clk},

		Opportunities: opportunity.Service{DB: db, Clock: clk},

		MessageSettings: outbox.Settings{DB: db, Clock: clk},
		MessageLog:      outbox.Log{DB: db, Clock: clk},
		Webhooks:        webhook.Service{DB: db, Clock: clk},
		Library:         library.Service{DB: db, Clock: clk},
		Benefits:        benefit.Service{DB: db, Clock: clk},
		People:          people.Service{DB: db, Clock: clk},
		MDF:             mdf.Service{DB: db, Clock: clk},
		NRE:             nre.Service{DB: db, Clock: clk},
		FH:              fh.Service{DB: db, Clock: clk},
		Recovery:        recovery.Service{DB: db, Clock: clk},

		Customers:   &customer.Service{DB: db, Clock: clk},
		Consumption: consumption.Service{DB: db, Clock: clk},
		Importer:    consumption.Importer{DB: db, Clock: clk},

		Funds:       funds.Service{DB: db, Clock: clk},
		Recharges:   funds.Recharges{DB: db, Clock: clk},
		Payouts:     funds.Payouts{DB: db, Clock: clk},
		Bills:       bill.Service{DB: db},
		Invoices:    invoices,
		InvoiceDesk: invoice.Desk{Service: invoices},
		Contracts:   contract.Service{DB: db, Clock: clk},
		Exports:     export.Service{DB: db, Clock: clk},
	}
	s.Exports.Tables = exportTables(s)
	return s
}

// principalOfUser computes an active user's principal (and its tenant)
// as the middleware does for every request.
func (s *Services) principalOfUser(ctx context.Context, u *identity.User) (*access.Principal, *partner.Partner, error) {
	subj := access.Subject{UserID: u.ID, Name: u.LoginName, IsMain: u.IsMain, VendorRole: u.VendorRoleName(), Customer: u.IsCustomer(), Personal: u.IsPersonal()}
	var tenant *partner.Partner
	if pid := u.TenantID(); pid != 0 {
		p, err := s.Partners.Get(ctx, pid)
		if err != nil {
			return nil, nil, err
		}
		tenant = p
		subj.PartnerID, subj.PartnerStatus = p.ID, p.Status
	}
	p, err := s.Principals.Load(ctx, subj)
	return p, tenant, err
}

// principalByID is a user's principal as it is now, for background work
// done on its behalf (an export task); a disabled user has none.
func (s *Services) principalByID(ctx context.Context, userID int64) (*access.Principal, error) {
	u, err := s.Users.ByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if u.Status != identity.StatusActive {
		return nil, apperr.Forbidden()
	}
	p, _, err := s.principalOfUser(ctx, u)
	return p, err
}

// Workers are the background workers (River), on the same services: the
// export worker, the customer expiry sweep, the consumption import and
// the reviewers' reminder.
func (a *App) Workers() *river.Workers {
	ws := river.NewWorkers()
	export.AddWorkers(ws, &export.Worker{DB: a.svc.db, Read: a.Replica, Clock: a.Clock, Tables: a.svc.Exports.Tables, Principal: a.svc.principalByID})
	river.AddWorker(ws, &export.ExpireWorker{DB: a.svc.db, Clock: a.Clock, Retention: cmp.Or(a.Config.ExportRetention, export.DefaultRetention)})
	customer.AddWorkers(ws, a.svc.Customers)
	consumption.AddWorkers(ws, a.svc.Importer)
	river.AddWorker(ws, &consumption.StaleWorker{Importer: a.svc.Importer})
	approval.AddWorkers(ws, a.svc.Approvals)
	bizinfo.AddWorkers(ws, a.svc.Business)
	program.AddWorkers(ws, a.svc.Programs)
	paths.AddWorkers(ws, a.svc.Paths)
	performance.AddWorkers(ws, a.svc.Performance)
	incentive.AddWorkers(ws, a.svc.Incentive)
	opportunity.AddWorkers(ws, a.svc.Opportunities)
	people.AddWorkers(ws, a.svc.People)
	benefit.AddWorkers(ws, a.svc.Benefits)
	mdf.AddWorkers(ws, a.svc.MDF)
	outbox.AddWorkers(ws, a.Dispatcher())
	webhook.AddWorkers(ws, a.svc.db)
	return ws
}

// Dispatcher delivers the outbox through the configured senders: SMTP
// when SMTP_HOST is set, the SMS gateway when SMS_GATEWAY_URL is, else
// the log.
func (a *App) Dispatcher() outbox.Dispatcher {
	c := a.Config
	senders := map[string]outbox.Sender{outbox.Email: outbox.LogSender{Log: a.Log}, outbox.SMS: outbox.LogSender{Log: a.Log},
		outbox.Webhook: webhook.Sender{DB: a.svc.db, Clock: a.Clock}}
	if c.SMTPHost != "" {
		senders[outbox.Email] = outbox.SMTP{Host: c.SMTPHost, Port: c.SMTPPort, Username: c.SMTPUsername, Password: c.SMTPPassword,
			From: c.SMTPFrom, TLS: c.SMTPTLS}
	}
	if c.SMSGatewayURL != "" {
		senders[outbox.SMS] = outbox.SMSGateway{URL: c.SMSGatewayURL, Token: c.SMSGatewayToken}
	}
	return outbox.Dispatcher{DB: a.svc.db, Clock: a.Clock, Senders: senders, BaseURL: c.BaseURL, Log: a.Log}
}

package web

import (
	"fmt"
	"go/ast"
	"net/http"
	"partnercenter/internal/incentive"
	"partnercenter/internal/performance"
	"partnercenter/internal/program"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"partnercenter/internal/approval"
	"partnercenter/internal/audit"
	"partnercenter/internal/bizinfo"
	"partnercenter/internal/customer"
	"partnercenter/internal/demo"
	"partnercenter/internal/fh"
	"partnercenter/internal/funds"
	"partnercenter/internal/mdf"
	"partnercenter/internal/nre"
	"partnercenter/internal/partner"
	"partnercenter/internal/people"
	"partnercenter/internal/platform/i18n"
)

// auditDynamicActions are the audit actions built at run time, by file and
// expression, with every value each can take, spelled from the domain's
// constants. A new expression fails the label test until it is listed
// here.
func auditDynamicActions(s *Services) map[string][]string {
	requestTypes := []string{customer.RequestAssociate, customer.RequestUnbind, customer.RequestSwitch}
	var created, decided []string
	for _, ty := range requestTypes {
		created = append(created, "customer.request."+ty+".create")
		for _, outcome := range []string{customer.RequestCompleted, customer.RequestRejected, customer.RequestCancelled} {
			decided = append(decided, "customer.request."+ty+"."+outcome)
		}
	}
	// A migration (customer.Migrate) is created and completed at once.
	created = append(created, "customer.request."+customer.RequestMigrate+".create")
	decided = append(decided, "customer.request."+customer.RequestMigrate+"."+customer.RequestCompleted)
	var decisions []string
	for _, a := range []string{approval.ActionApprove, approval.ActionReject, approval.ActionWithdraw,
		approval.ActionAutoApprove, approval.ActionAutoReject, approval.ActionReturn, approval.ActionResubmit} {
		decisions = append(decisions, "application."+a)
	}
	var onboarding []string
	for _, to := range []string{partner.StatusActive, partner.StatusRejected, partner.StatusRegistered} {
		onboarding = append(onboarding, "partner.onboarding_"+to)
	}
	exports := []string{"export.create"}
	for _, spec := range s.Exports.Tables {
		if spec.AuditAction != "" {
			exports = append(exports, spec.AuditAction)
		}
	}
	return map[string][]string{
		`internal/identity/staff.go: "staff." + map[string]string{…}[status]`:              {"staff.enable", "staff.disable"},
		`internal/customer/transitions.go: "customer.request." + r.Type + "." + t.Outcome`: decided,
		`internal/customer/requests.go: "customer.request." + r.Type + ".create"`:          created,
		`internal/funds/withdraw.go: "billing.withdraw." + status`: {"billing.withdraw." + funds.WithdrawalPaid,
			"billing.withdraw." + funds.WithdrawalRejected},
		`internal/funds/moves.go: "billing." + in.Op`:                {"billing." + funds.OpTransfer, "billing." + funds.OpRecover},
		`internal/org/members.go: action`:                            {"org.member.disable", "org.member.enable"},
		`internal/export/tables.go: action`:                          exports,
		`internal/onboarding/apptype.go: "partner.onboarding_" + to`: onboarding,
		`internal/approval/engine.go: "application." + action`:       decisions,
		`internal/program/program.go: "program." + action`: {"program.sp_approve", "program.sp_reject",
			"program.sp_withdraw", "program.md_decline", "program.md_accept", "program.reseller_accept", "program." + program.EndExit,
			"program." + program.EndDelist, "program.renew", "program.expire"},
		`internal/performance/reads.go: "performance." + to`: {"performance." + performance.StatePublicity, "performance." + performance.StateFinal},
		`internal/incentive/bills.go: "incentive." + to`: {"incentive." + incentive.StatePublicity, "incentive." + incentive.StatePending,
			"incentive." + incentive.StateConfirmed},
		`internal/opportunity/review.go: action`: {"opportunity.approved", "opportunity.duplicate", "opportunity.review_failed",
			"opportunity.sent_back"},
		`internal/opportunity/ho.go: action`: {"opportunity.ho_accepted", "opportunity.ho_rejected", "opportunity.ho_withdrawn",
			"opportunity.ho_expired"},
		`internal/benefit/apply.go: "benefit." + to`: {"benefit.approved", "benefit.rejected", "benefit.withdrawn"},
		`internal/mdf/usage.go: "mdf.usage_" + to`: {"mdf.usage_" + mdf.UsageApproved, "mdf.usage_" + mdf.UsageRejected,
			"mdf.usage_" + mdf.UsageWithdrawn},
		`internal/fh/fh.go: "fh.month_" + to`:                  {"fh.month_" + fh.MonthApproved, "fh.month_" + fh.MonthRejected, "fh.month_" + fh.MonthWithdrawn},
		`internal/nre/nre.go: "nre.milestone_" + to`:           {"nre.milestone_" + nre.MilestoneAccepted, "nre.milestone_" + nre.MilestonePending},
		`internal/mdf/claim.go: "mdf.claim_" + to`:             {"mdf.claim_" + mdf.ClaimApproved, "mdf.claim_" + mdf.ClaimRejected},
		`internal/people/certificates.go: "people.cert_" + to`: {"people.cert_" + people.CertApproved, "people.cert_" + people.CertRejected},
		`internal/people/specialists.go: "people.specialist_" + to`: {"people.specialist_" + people.SpecApproved,
			"people.specialist_" + people.SpecRejected, "people.specialist_" + people.SpecWithdrawn, "people.specialist_" + people.SpecCancelled},
		`internal/paths/paths.go: "path." + action`: {"path.software_stage", "path.lapse", "path.cancel", "path.stage"},
		`internal/bizinfo/bizinfo.go: "business_info." + to`: {"business_info." + bizinfo.StateCertified, "business_info." + bizinfo.StateFailed,
			"business_info." + bizinfo.StatePendingManual, "business_info." + bizinfo.StateLetterNeeded,
			"business_info." + bizinfo.StateLetterPending, "business_info." + bizinfo.StateLetterReview},
	}
}

// goPackage indexes a package's functions and struct types by name, to
// follow a snapshot to where it is built.
type goPackage struct {
	funcs   map[string]*ast.FuncDecl
	structs map[string]*ast.StructType
}

// snapshotKeys adds the keys of a snapshot given as Before or After: a
// map literal's keys, a struct's JSON names (a literal, a conversion, or
// what a function of the package returns), and for a variable of fn what
// it is assigned and the literal keys it is indexed with. What cannot be
// followed (a map filled from elsewhere) is left to the trail.
func snapshotKeys(e ast.Expr, fn *ast.FuncDecl, pkg *goPackage, depth int, add func(string)) {
	if depth > 4 || e == nil {
		return
	}
	structKeys := func(name string) bool {
		st, ok := pkg.structs[name]
		if !ok {
			return false
		}
		for _, f := range st.Fields.List {
			tag := ""
			if f.Tag != nil {
				tag, _ = strconv.Unquote(f.Tag.Value)
			}
			json, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
			for _, n := range f.Names {
				switch {
				case json == "-":
				case json != "":
					add(json)
				default:
					add(n.Name)
				}
			}
		}
		return true
	}
	switch x := e.(type) {
	case *ast.UnaryExpr:
		snapshotKeys(x.X, fn, pkg, depth+1, add)
	case *ast.CompositeLit:
		switch ty := x.Type.(type) {
		case *ast.MapType:
			for _, el := range x.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if k, ok := stringLit(kv.Key); ok {
						add(k)
					}
				}
			}
		case *ast.Ident:
			structKeys(ty.Name)
		}
	case *ast.CallExpr:
		id, ok := x.Fun.(*ast.Ident)
		if !ok || structKeys(id.Name) {
			return
		}
		f := pkg.funcs[id.Name]
		if f == nil || f.Body == nil {
			return
		}
		if f.Type.Results != nil && len(f.Type.Results.List) == 1 {
			if rt, ok := f.Type.Results.List[0].Type.(*ast.Ident); ok && structKeys(rt.Name) {
				return
			}
		}
		ast.Inspect(f.Body, func(n ast.Node) bool {
			if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 {
				snapshotKeys(r.Results[0], f, pkg, depth+1, add)
			}
			return true
		})
	case *ast.Ident:
		if fn == nil || fn.Body == nil {
			return
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch a := n.(type) {
			case *ast.AssignStmt:
				for i, l := range a.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == x.Name && len(a.Rhs) == len(a.Lhs) {
						snapshotKeys(a.Rhs[i], fn, pkg, depth+1, add)
					}
					if ix, ok := l.(*ast.IndexExpr); ok {
						if id, ok := ix.X.(*ast.Ident); ok && id.Name == x.Name {
							if k, ok := stringLit(ix.Index); ok {
								add(k)
							}
						}
					}
				}
			case *ast.ValueSpec:
				for i, name := range a.Names {
					if name.Name == x.Name && i < len(a.Values) {
						snapshotKeys(a.Values[i], fn, pkg, depth+1, add)
					}
				}
			}
			return true
		})
	}
}

// auditNamesInCode collects what the code writes to the trail: every
// action and object type of an audit.Change (literal, or a listed dynamic
// expression expanded), every AuditAction of an export table, and the keys
// of the snapshots given as Before or After (snapshotKeys). Each name maps
// to where it is written.
func auditNamesInCode(t *testing.T, s *Services) (actions, objects, fields map[string]string) {
	actions, objects, fields = map[string]string{}, map[string]string{}, map[string]string{}
	dynamic := auditDynamicActions(s)
	used := map[string]bool{}
	type source struct {
		rel string
		f   *ast.File
	}
	var files []source
	pkgs := map[string]*goPackage{}
	goSources(t, func(rel string, f *ast.File) {
		files = append(files, source{rel, f})
		dir := path.Dir(rel)
		if pkgs[dir] == nil {
			pkgs[dir] = &goPackage{funcs: map[string]*ast.FuncDecl{}, structs: map[string]*ast.StructType{}}
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					pkgs[dir].funcs[d.Name.Name] = d
				}
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					if ts, ok := sp.(*ast.TypeSpec); ok {
						if st, ok := ts.Type.(*ast.StructType); ok {
							pkgs[dir].structs[ts.Name.Name] = st
						}
					}
				}
			}
		}
	})
	for _, src := range files {
		rel, f, pkg := src.rel, src.f, pkgs[path.Dir(src.rel)]
		isChange := func(e ast.Expr) bool {
			switch x := e.(type) {
			case *ast.SelectorExpr:
				id, ok := x.X.(*ast.Ident)
				return ok && id.Name == "audit" && x.Sel.Name == "Change"
			case *ast.Ident:
				return f.Name.Name == "audit" && x.Name == "Change"
			}
			return false
		}
		var fn *ast.FuncDecl
		ast.Inspect(f, func(n ast.Node) bool {
			if d, ok := n.(*ast.FuncDecl); ok {
				fn = d
			}
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "AuditAction" {
					if s, ok := stringLit(kv.Value); ok {
						actions[s] = rel
					}
				}
			}
			lit, ok := n.(*ast.CompositeLit)
			if !ok || !isChange(lit.Type) {
				return true
			}
			for _, e := range lit.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				k, _ := kv.Key.(*ast.Ident)
				if k == nil {
					continue
				}
				switch k.Name {
				case "Action":
					if s, ok := stringLit(kv.Value); ok {
						actions[s] = rel
						continue
					}
					where := rel + ": " + exprString(kv.Value)
					vals, ok := dynamic[where]
					if !ok {
						t.Errorf("%s: an audit action built at run time; list every value it can take in auditDynamicActions", where)
					}
					used[where] = true
					for _, v := range vals {
						actions[v] = where
					}
				case "ObjectType":
					if s, ok := stringLit(kv.Value); ok {
						objects[s] = rel
					} else {
						t.Errorf("%s: %s: an object type built at run time; the label test cannot know its values", rel, exprString(kv.Value))
					}
				case "Before", "After":
					snapshotKeys(kv.Value, fn, pkg, 0, func(key string) { fields[key] = rel })
				}
			}
			return true
		})
	}
	for where := range dynamic {
		if !used[where] {
			t.Errorf("auditDynamicActions lists %s, which the code no longer writes", where)
		}
	}
	return actions, objects, fields
}

// auditFreeText are the snapshot fields (by path) whose values are free
// text that may be spelled like a code: login names, what people typed.
var auditFreeText = map[string]bool{
	"account_name": true, "main_account": true, "login_name": true, "display_name": true, "name": true, "title": true,
	"customer_name": true, "holder_name": true, "payer_name": true, "bank_name": true, "contact_name": true,
	"contact_position": true, "position": true, "introduction": true, "reason": true, "note": true, "memo": true,
	"remark": true, "comment": true, "courier": true, "tracking_no": true, "reference": true, "code": true, "file": true,
	"link": true, "user_agent": true, "description": true, "roles": true, "business_scope": true, "address": true,
	"legal_representative": true, "registered_capital": true, "agreement_version": true,
	"filter.actor": true, "filter.q": true, "filter.customer": true,
	// webhook event type names are the API's own words (opportunity.po.status)
	"event_types": true,
	// a person's tenant name and Uniportal account, a certificate number
	"person": true, "uniportal": true, "number": true,
}

// auditTrail is what the trail holds after the demo world and a few
// exports with filters (whose snapshots nest the filter): the distinct
// actions and object types, the field keys (nested keys as paths), the
// code-like values by object type and path, and every key as stored.
type auditTrail struct {
	actions, objects []string
	fields           map[string]bool            // top-level keys and nested paths
	rawKeys          map[string]bool            // every key as stored (nested ObjectType too)
	values           map[[3]string]bool         // object type, path, code-like value
	byObject         map[string]map[string]bool // object type → its field keys
}

func readAuditTrail(t *testing.T, env *testEnv) auditTrail {
	t.Helper()
	c := env.as(t, demo.SPAdmin)
	for _, p := range []string{
		"/org/audit/export.csv?action=contract.terminate&object_type=contract&actor=sp_admin&q=4&from=2020-01-01&to=2030-12-31",
		"/billing/funds/lines/export?kind=transfer&direction=out&customer=zhang&from=2020-01-01&to=2030-12-31",
		"/customers/export.xlsx?mode=resale&state=ended&manager=-1&sort=name&from=2020-01-01&to=2030-12-31",
	} {
		if r := c.get(p); r.Status != http.StatusOK {
			t.Fatalf("%s: %d", p, r.Status)
		}
	}
	tr := auditTrail{fields: map[string]bool{}, rawKeys: map[string]bool{}, values: map[[3]string]bool{}, byObject: map[string]map[string]bool{}}
	if err := env.DB.Raw(`SELECT DISTINCT action FROM audit_log ORDER BY 1`).Scan(&tr.actions).Error; err != nil {
		t.Fatal(err)
	}
	if err := env.DB.Raw(`SELECT DISTINCT object_type FROM audit_log ORDER BY 1`).Scan(&tr.objects).Error; err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		ObjectType string
		Before     *string
		After      *string
	}
	if err := env.DB.Raw(`SELECT object_type, before::text AS before, after::text AS after FROM audit_log`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		for _, snap := range []*string{r.Before, r.After} {
			if snap == nil {
				continue
			}
			jsonWalk(decodeJSON(t, *snap), nil, func(keys []string, v any) {
				if len(keys) == 0 {
					return
				}
				path := keys[0]
				for _, k := range keys[1:] {
					path = audit.NestedField(path, k)
				}
				tr.fields[path] = true
				tr.rawKeys[keys[len(keys)-1]] = true
				if tr.byObject[r.ObjectType] == nil {
					tr.byObject[r.ObjectType] = map[string]bool{}
				}
				tr.byObject[r.ObjectType][path] = true
				if s, ok := v.(string); ok && codeLikeRe.MatchString(s) && !auditFreeText[path] {
					tr.values[[3]string{r.ObjectType, path, s}] = true
				}
			})
		}
	}
	return tr
}

// Every action, object type and snapshot field the trail can hold has a
// label in both languages, and so has every code-like value of a field:
// the actions and object types the code writes (literals, and each value
// of the actions built at run time), the map keys it writes as before and
// after, and whatever the demo world and the exports left in the trail.
func TestAuditLabelsCoverEveryActionObjectFieldAndValue(t *testing.T) {
	env := newEnv(t)
	actions, objects, fields := auditNamesInCode(t, env.App.svc)
	tr := readAuditTrail(t, env)
	for _, a := range tr.actions {
		if _, ok := actions[a]; !ok {
			actions[a] = "audit_log"
		}
	}
	for _, o := range tr.objects {
		if _, ok := objects[o]; !ok {
			objects[o] = "audit_log"
		}
	}
	for f := range tr.fields {
		field := f
		if i := strings.LastIndex(f, "."); i >= 0 {
			field = f[i+1:] // a nested key is labelled as a field of its own
		}
		if _, ok := fields[field]; !ok {
			fields[field] = "audit_log (" + f + ")"
		}
	}
	for _, lang := range i18n.Supported {
		ids := catalogIDs(t, lang)
		check := func(kind string, names map[string]string) {
			keys := make([]string, 0, len(names))
			for n := range names {
				keys = append(keys, n)
			}
			sort.Strings(keys)
			for _, n := range keys {
				if !ids["audit."+kind+"."+n] {
					t.Errorf("%s: no label audit.%s.%s (written by %s)", lang, kind, n, names[n])
				}
			}
		}
		check("action", actions)
		check("object", objects)
		check("field", fields)
		var missing []string
		for v := range tr.values {
			// "test_probe" is the application type other tests of this
			// package register (they share one database); it has no label.
			if strings.HasPrefix(v[2], "test_") {
				continue
			}
			if _, ok := audit.ValueLabel(lang, v[0], v[1], v[2]); !ok {
				missing = append(missing, fmt.Sprintf("%s.%s = %q", v[0], v[1], v[2]))
			}
		}
		sort.Strings(missing)
		for _, m := range missing {
			t.Errorf("%s: no label for the value of %s (audit.valueCatalog or audit.value.<field>.<value>)", lang, m)
		}
		if got := audit.ActorLabel(lang, audit.SystemActor); got == audit.SystemActor || got != audit.ActorLabel(lang, "") {
			t.Errorf("%s: the system actor reads %q", lang, got)
		}
	}
	// The sample of each kind the test relies on is there.
	for _, want := range []string{"contract.terminate", "customer.request.switch.completed", "audit.export"} {
		if _, ok := actions[want]; !ok {
			t.Errorf("action %s not collected", want)
		}
	}
	if !tr.fields["filter.object_type"] || !tr.fields["application_id"] {
		t.Errorf("fields not collected: %v", tr.fields)
	}
}

// 组织 > 操作日志 reads in words in both languages for every tenant's admin
// and every row of the demo world: actions, object types, fields and
// values are labels, the system actor is 系统 / System, and no action
// code, object type, field key, code-like value, catalog id or JSON shows
// through — in the rows, their before/after comparisons and the filter.
func TestAuditPagesShowLabelsNotKeys(t *testing.T) {
	env := newEnv(t)
	tr := readAuditTrail(t, env)
	forbidden := map[string]bool{"true": true, "false": true}
	for _, a := range tr.actions {
		forbidden[a] = true
	}
	for _, o := range tr.objects {
		forbidden[o] = true
	}
	for f := range tr.fields {
		forbidden[f] = true
	}
	for k := range tr.rawKeys {
		forbidden[k] = true
	}
	for v := range tr.values {
		forbidden[v[2]] = true
	}
	ids := catalogIDs(t, i18n.ZhCN)
	words := map[string]map[string]bool{}
	for _, lang := range i18n.Supported {
		words[lang] = catalogWords(t, lang)
	}
	admins := []string{demo.SPAdmin, demo.MDAdmin, demo.CRAdmin}
	t.Cleanup(func() { env.DB.Exec("UPDATE users SET locale = 'zh-CN' WHERE login_name IN ?", admins) })
	sawSystem := false
	for _, login := range admins {
		c := env.as(t, login)
		for _, lang := range i18n.Supported {
			c.setLang(lang)
			for page := 1; ; page++ {
				p := fmt.Sprintf("/org/audit?page=%d", page)
				r := c.get(p)
				if r.Status != http.StatusOK {
					t.Fatalf("%s %s %s: %d", login, lang, p, r.Status)
				}
				for _, w := range internalsIn(visibleText(t, r), lang, forbidden, ids, words[lang]) {
					if strings.HasPrefix(w, "test_") {
						continue // the application type other tests of this package register
					}
					t.Errorf("%s %s %s: shows %q", login, lang, p, w)
				}
				d := r.doc(t)
				d.Find(`[data-testid="audit-actor"]`).Each(func(_ int, s *goquery.Selection) {
					switch strings.TrimSpace(s.Text()) {
					case "系统", "System":
						sawSystem = true
					case "", audit.SystemActor:
						t.Errorf("%s %s %s: actor %q", login, lang, p, s.Text())
					}
				})
				if lang == i18n.ZhCN {
					for _, sel := range []string{"audit-action", "audit-object", "audit-diff-field"} {
						d.Find(`[data-testid="` + sel + `"]`).Each(func(_ int, s *goquery.Selection) {
							if txt := strings.TrimSpace(s.Text()); txt != "-" && !hanRe.MatchString(txt) {
								t.Errorf("%s %s: %s %q is not in Chinese", login, p, sel, txt)
							}
						})
					}
				}
				if d.Find(`[data-testid="audit-row"]`).Length() < 20 {
					break
				}
			}
		}
	}
	if !sawSystem {
		t.Error("no row of the system actor seen")
	}
}

package audit

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"time"
	"unicode"

	"partnercenter/internal/platform/clock"
	"partnercenter/internal/platform/i18n"
)

// The trail is read in words: every action, object type and snapshot
// field has its catalog label (audit.action.<action>, audit.object.<type>,
// audit.field.<field>, refined for one object type by
// audit.field.<type>.<field>), the system actor is 系统 / System, and the
// values of enumerated fields (states, modes, kinds, …) are labelled by the
// owning domain's labels (valueCatalog) or by audit.value.<field>.<value>.
// A test in package web fails on an action, object type, field or value
// the trail can hold without a label in both languages.

func has(lang, key string) bool { return i18n.TL(lang, key) != key }

// ActionLabel is the translated label of an action ("audit.action.<action>"),
// or the action itself when the catalog has none.
func ActionLabel(lang, action string) string {
	if key := "audit.action." + action; has(lang, key) {
		return i18n.TL(lang, key)
	}
	return action
}

// ObjectLabel is the translated label of an object type, or the type.
func ObjectLabel(lang, objectType string) string {
	if key := "audit.object." + objectType; has(lang, key) {
		return i18n.TL(lang, key)
	}
	return objectType
}

// FieldLabel is the translated label of a snapshot field of an object type:
// "audit.field.<type>.<field>" where a field means something particular for
// that type (an invoice's title is its 发票抬头), else "audit.field.<field>",
// else the field name itself.
func FieldLabel(lang, objectType, field string) string {
	if key := "audit.field." + objectType + "." + field; objectType != "" && has(lang, key) {
		return i18n.TL(lang, key)
	}
	if key := "audit.field." + field; has(lang, key) {
		return i18n.TL(lang, key)
	}
	return field
}

// ActorLabel is the actor as people read it: 系统 / System for the rows
// no signed-in user wrote, else the login name.
func ActorLabel(lang, name string) string {
	if name == "" || name == SystemActor {
		return i18n.TL(lang, "audit.actor.system")
	}
	return name
}

// valueCatalog names the catalog prefix that labels the values of an
// enumerated field, by "<object type>.<field>" where the field's values
// depend on the object (a contract's status is not a withdrawal's), else
// by field. A field of a nested object (an export's filter) is named by
// its path ("filter.kind").
var valueCatalog = map[string]string{
	"application.state":                "approval.state.",
	"application.type":                 "approval.type.",
	"association_request.status":       "customer.request.status.",
	"association_request.type":         "customer.request.type.",
	"business_info.status":             "bizinfo.state.",
	"contract.status":                  "contract.state.",
	"contract.type":                    "contract.type.",
	"customer_report.status":           "customer.report.status.",
	"export.kind":                      "export.kind.",
	"export_task.kind":                 "export.kind.",
	"invitation.status":                "customer.invitation.status.",
	"invoice.mode":                     "invoice.apply.mode.",
	"invoice.state":                    "invoice.state.",
	"invoice.type":                     "invoice.type.",
	"partner.status":                   "partner.status.",
	"program_membership.status":        "program.state.",
	"performance_summary.status":       "performance.state.",
	"incentive_bill.status":            "incentive.state.",
	"payment_application.status":       "incentive.app.",
	"payment_application.method":       "incentive.method.",
	"payment_application.invoice_type": "incentive.invoice_type.",
	"opportunity.status":               "opportunity.state.",
	"opportunity.review_reason":        "opportunity.reason.",
	"ho_opportunity.status":            "opportunity.ho.state.",
	"partner_offering.lead":            "opportunity.offering.lead.",
	"outbox_message.status":            "outbox.status.",
	"webhook_endpoint.status":          "webhook.status.",
	"library_document.status":          "library.status.",
	"library_document.category":        "library.category.",
	"deal.stage":                       "deal.stage.",
	"person_voucher.status":            "me.voucher.",
	"mdf_usage.status":                 "mdf.usage.",
	"nre_application.status":           "nre.state.",
	"fh_program.status":                "fh.program.",
	"fh_program.variant":               "fh.variant.",
	"fh_program.scenario":              "fh.scenario.",
	"fh_standard.scenario":             "fh.scenario.",
	"fh_scenario.fh_tier":              "fh.tier.",
	"fh_person.role":                   "fh.role.",
	"fh_grading.fh_level":              "fh.level.",
	"fh_month.status":                  "fh.month.",
	"fh_payment.status":                "fh.payment.",
	"nre_milestone.status":             "nre.milestone.",
	"nre_solution.programme":           "nre.programme.",
	"mdf_claim.status":                 "mdf.claim.",
	"personal_certificate.status":      "people.cert.",
	"project_specialist.status":        "people.spec.",
	"specialist_invitation.status":     "people.invite.",
	"benefit_application.status":       "benefit.state.",
	"benefit_application.type":         "benefit.type.",
	"benefit_policy.type":              "benefit.type.",
	"benefit_policy.tier":              "benefit.tier.",
	"incentive_setting.method":         "incentive.method.",
	"incentive_policy.kind":            "incentive.kind.",
	"indicator_definition.kind":        "indicator.kind.",
	"indicator_definition.cycle":       "indicator.cycle.",
	"path_enrollment.path_stage":       "path.stage.",
	"path_enrollment.status":           "path.status.",
	"solution_certification.kind":      "path.kind.",
	"program_membership.program":       "program.name.",
	"reseller_invitation.status":       "program.invite_state.",
	"user.status":                      "org.members.status.",
	"withdrawal.status":                "billing.withdrawal.status.",

	"association_status": "customer.state.",
	"channel":            "customer.channel.",
	"entity":             "invoice.entity.",
	"from_mode":          "customer.mode.",
	"initiator":          "customer.request.initiator.",
	"items":              "perm.", // permission items of a role: perm.<item>
	"kind":               "customer.kind.",
	"md_type":            "program.md_type.",
	"path":               "identity.",
	"medium":             "invoice.medium.",
	"mode":               "customer.mode.",
	"postage":            "invoice.postage.",
	"real_name":          "customer.real_name.",
	"signing_entity":     "contract.entity.",
	"site":               "onboarding.site.",
	"taxpayer_type":      "bizinfo.taxpayer.",
	"source":             "billing.source.",
	"to_mode":            "customer.mode.",
	"vendor_role":        "staff.role.",

	"filter.action":       "audit.action.",
	"filter.direction":    "billing.direction.",
	"filter.kind":         "billing.kind.",
	"filter.mode":         "customer.mode.",
	"filter.billing_mode": "performance.billing_mode.",
	"filter.bill_type":    "performance.bill_type.",
	"filter.object_type":  "audit.object.",
	"filter.state":        "customer.state.",
}

// ValueLabel is the label of an enumerated value of a field of an object
// type, and whether there is one: the owning domain's label
// (valueCatalog), else "audit.value.<field>.<value>".
func ValueLabel(lang, objectType, field, value string) (string, bool) {
	if value == "" {
		return "", false
	}
	prefix, ok := valueCatalog[objectType+"."+field]
	if !ok {
		prefix, ok = valueCatalog[field]
	}
	if ok && has(lang, prefix+value) {
		return i18n.TL(lang, prefix+value), true
	}
	if key := "audit.value." + field + "." + value; has(lang, key) {
		return i18n.TL(lang, key), true
	}
	return "", false
}

// skipNested are the keys of a nested object (an export's filter) that
// say nothing about what was done: the page of the list it came from.
var skipNested = map[string]bool{"page": true, "per_page": true, "per": true}

// snake names a nested key the way snapshot fields are named
// (ObjectType → object_type, ManagerID → manager_id).
func snake(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NestedField is the field path of key inside the object of field
// ("filter", "ObjectType" → "filter.object_type").
func NestedField(field, key string) string { return field + "." + snake(key) }

func zero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == "" || x == "0001-01-01T00:00:00Z"
	case json.Number:
		return x.String() == "0"
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// ValueText renders one snapshot value of a field in words: labels for
// enumerated values and yes/no, times in China time, lists and nested
// objects (an export's filter: what was set, field by field) spelled out.
// Free text, amounts, dates and ids are shown as they are.
func ValueText(lang, objectType, field string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return i18n.TL(lang, "audit.bool.true")
		}
		return i18n.TL(lang, "audit.bool.false")
	case json.Number:
		if l, ok := ValueLabel(lang, objectType, field, x.String()); ok {
			return l
		}
		return x.String()
	case float64:
		b, _ := json.Marshal(x)
		return string(b)
	case string:
		if l, ok := ValueLabel(lang, objectType, field, x); ok {
			return l
		}
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			if t.IsZero() {
				return ""
			}
			return t.In(clock.China).Format("2006-01-02 15:04:05")
		}
		return x
	case []any:
		parts := make([]string, 0, len(x))
		for _, it := range x {
			parts = append(parts, ValueText(lang, objectType, field, it))
		}
		return strings.Join(parts, i18n.TL(lang, "audit.list_sep"))
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			path := NestedField(field, k)
			if zero(x[k]) || skipNested[snake(k)] {
				continue
			}
			// A nested key is labelled as a field of its own, whatever
			// the object (an export's filter kind is not the export's).
			parts = append(parts, i18n.TL(lang, "audit.pair", map[string]any{
				"Field": FieldLabel(lang, "", snake(k)), "Value": ValueText(lang, objectType, path, x[k])}))
		}
		return strings.Join(parts, i18n.TL(lang, "audit.pair_sep"))
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Decode reads a snapshot: an object's fields, or another JSON value
// (ok false when there is no snapshot). Numbers keep their text.
func Decode(s *string) (fields map[string]any, other any, ok bool) {
	if s == nil || *s == "" || *s == "null" {
		return nil, nil, false
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(*s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, *s, true
	}
	if m, isMap := v.(map[string]any); isMap {
		return m, nil, true
	}
	return nil, v, true
}

// DescribeDiff is Diff in words of lang: each line's Label is the field's
// label and Before and After are the values as ValueText renders them;
// Field stays the snapshot key and Changed compares the stored values.
func DescribeDiff(lang string, e *Entry) []DiffLine {
	bm, bv, bok := Decode(e.Before)
	am, av, aok := Decode(e.After)
	if !bok && !aok {
		return nil
	}
	if (bok && bm == nil) || (aok && am == nil) {
		var b, a any = bv, av
		if bm != nil {
			b = bm
		}
		if am != nil {
			a = am
		}
		rb, ra := render(b), render(a)
		return []DiffLine{{Before: ValueText(lang, e.ObjectType, "", b), After: ValueText(lang, e.ObjectType, "", a), Changed: rb != ra}}
	}
	keys := map[string]bool{}
	for k := range bm {
		keys[k] = true
	}
	for k := range am {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]DiffLine, 0, len(names))
	for _, k := range names {
		rb, ra := render(bm[k]), render(am[k])
		out = append(out, DiffLine{Field: k, Label: FieldLabel(lang, e.ObjectType, k),
			Before: ValueText(lang, e.ObjectType, k, bm[k]), After: ValueText(lang, e.ObjectType, k, am[k]), Changed: rb != ra})
	}
	return out
}

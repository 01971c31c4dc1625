package components

import (
	"io/fs"
	"os"
	"partnercenter/internal/fh"
	"partnercenter/internal/incentive"
	"partnercenter/internal/opportunity"
	"partnercenter/internal/outbox"
	"partnercenter/internal/webhook"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"partnercenter/internal/approval"
	"partnercenter/internal/benefit"
	"partnercenter/internal/bizinfo"
	"partnercenter/internal/contract"
	"partnercenter/internal/customer"
	"partnercenter/internal/export"
	bl "partnercenter/internal/funds"
	"partnercenter/internal/identity"
	"partnercenter/internal/invoice"
	"partnercenter/internal/ledger"
	"partnercenter/internal/library"
	"partnercenter/internal/mdf"
	"partnercenter/internal/nre"
	"partnercenter/internal/partner"
	"partnercenter/internal/people"
)

// shownStates are the state values the views show as badges, with the
// key they look them up by.
func shownStates() map[string][]string {
	prefixed := func(p string, vs ...string) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = p + v
		}
		return out
	}
	return map[string][]string{
		"partner":     {partner.StatusRegistered, partner.StatusPendingReview, partner.StatusActive, partner.StatusRejected, partner.StatusDisabled},
		"member":      {identity.StatusActive, identity.StatusDisabled},
		"report":      customer.ReportStatuses,
		"invitation":  customer.InvitationStatuses,
		"request":     customer.RequestStatuses,
		"association": {customer.AssociationActive, customer.AssociationEnded},
		"withdrawal":  {bl.WithdrawalPending, bl.WithdrawalPaid, bl.WithdrawalRejected},
		"ledger": prefixed("ledger:", append(append([]string{ledger.TxWithdrawPaid, "consumption"}, bl.LineKinds...),
			bl.AdjustmentKinds...)...),
		"invoice":    prefixed("invoice:", invoice.States...),
		"bill":       {"bill:nothing", "bill:open"},
		"incentive":  prefixed("incentive:", incentive.States...),
		"payout":     prefixed("payout:", incentive.AppStates...),
		"item":       prefixed("item:", incentive.ItemStates...),
		"opp":        prefixed("opportunity:", opportunity.States...),
		"ho":         prefixed("ho:", opportunity.HOStates...),
		"outbox":     prefixed("outbox:", outbox.StatusQueued, outbox.StatusSent, outbox.StatusFailed),
		"webhook":    prefixed("webhook:", webhook.StatusActive, webhook.StatusDisabled),
		"library":    prefixed("library:", library.StatusActive, library.StatusTakenDown),
		"deal":       prefixed("deal:", opportunity.DealStages...),
		"benefit":    prefixed("benefit:", benefit.States...),
		"invite":     prefixed("invite:", people.InviteStates...),
		"cert":       prefixed("cert:", people.CertificateStates...),
		"specialist": prefixed("specialist:", people.SpecStates...),
		"voucher":    prefixed("voucher:", benefit.PVIssued, benefit.PVRedeemed, benefit.PVExpired),
		"mdf-usage":  prefixed("mdf-usage:", mdf.UsageStates...),
		"nre":        prefixed("nre:", nre.States...),
		"fh-month":   prefixed("fh-month:", fh.MonthStates...),
		"fh-payment": prefixed("fh-payment:", fh.PaymentSubmitted, fh.PaymentPaid),
		"fh-program": prefixed("fh-program:", fh.ProgramApplied, fh.ProgramRejected, fh.ProgramInvited, fh.ProgramJoined, fh.ProgramEnded),
		"nre-ms":     prefixed("nre-milestone:", nre.MilestoneStates...),
		"mdf-claim":  prefixed("mdf-claim:", mdf.ClaimStates...),
		"contract":   contract.States,
		"approval":   approval.States,
		"bizinfo":    append(prefixed("bizinfo:", bizinfo.States...), "bizinfo:none"),
		"check":      prefixed("check:", approval.CheckPass, approval.CheckFail, approval.CheckWarn, approval.CheckInfo),
		"export":     {export.StatusQueued, export.StatusRunning, export.StatusDone, export.StatusFailed},
		// consumption.Import.Status and consumption.OrderRow.Status() are
		// plain strings in internal/consumption.
		"import":  {"queued", "running", "done", "failed"},
		"order":   {"paid", "partly_unsubscribed", "unsubscribed"},
		"setting": {"on", "off"},
	}
}

func TestEveryShownStateHasATone(t *testing.T) {
	for domain, states := range shownStates() {
		if len(states) == 0 {
			t.Errorf("%s: no states", domain)
		}
		for _, s := range states {
			if !Known(s) {
				t.Errorf("%s: state %q has no entry in the tone table", domain, s)
			}
		}
	}
}

func TestTonesAreBadgeMeanings(t *testing.T) {
	for key, tone := range tones {
		if _, ok := badgeClasses[tone]; !ok {
			t.Errorf("%s: tone %q is not one of the badge meanings", key, tone)
		}
	}
	for name, tone := range colourNames {
		if _, ok := badgeClasses[tone]; !ok {
			t.Errorf("colour %s: tone %q is not one of the badge meanings", name, tone)
		}
	}
	// One colour per meaning.
	seen := map[string]string{}
	for tone, c := range badgeClasses {
		if other, ok := seen[c[0]]; ok {
			t.Errorf("%s and %s share the colour %s", tone, other, c[0])
		}
		seen[c[0]] = tone
	}
}

func TestToneLookup(t *testing.T) {
	cases := map[string]string{
		"rejected":           ToneDanger,
		"invoice:returned":   ToneDanger,
		"invoice:rejected":   ToneDanger, // no entry of its own: the shared word
		"check:warn":         TonePending,
		"ledger:transfer":    ToneInfo,
		"no-such-state":      ToneNeutral,
		"invoice:no-such-st": ToneNeutral,
	}
	for key, want := range cases {
		if got := Tone(key); got != want {
			t.Errorf("Tone(%q) = %q, want %q", key, got, want)
		}
	}
	if Known("no-such-state") {
		t.Error("Known of an unknown state")
	}
	if got := badgeTone("amber"); got != TonePending {
		t.Errorf("the colour name amber: %q", got)
	}
	if got := badgeTone("purple"); got != ToneNeutral {
		t.Errorf("an unknown tone: %q", got)
	}
}

// The views pick badge colours from the one table: no view has a tone
// function of its own or hands Badge a literal colour.
func TestViewsUseTheToneTable(t *testing.T) {
	toneFunc := regexp.MustCompile(`(?m)^func \w*[Tt]one\(`)
	literal := regexp.MustCompile(`@components\.Badge\("`)
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "_templ.go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		if !strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, ".templ") {
			return nil
		}
		if filepath.Dir(p) == filepath.Join("..", "components") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if m := toneFunc.Find(data); m != nil {
			t.Errorf("%s: %s… (use components.Tone)", p, m)
		}
		if literal.Match(data) {
			t.Errorf("%s: a Badge with a literal colour (use components.Tone)", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

package sales

import (
	"strconv"

	"partnercenter/internal/customer"
	"partnercenter/internal/opportunity"
	"partnercenter/views/components"
)

// DealsVM is 商机 (seed 002 L17).
type DealsVM struct {
	Rows   []opportunity.DealRow
	Filter opportunity.DealFilter
	Pager  components.Pager
}

// DealFormVM is a new 商机 (D nil) or an existing one with its progress,
// the customers to pick, the form's values and messages.
type DealFormVM struct {
	D         *opportunity.DealDetail
	Customers []customer.DealCustomer
	In        opportunity.DealInput
	Errors    map[string]string
	Summary   string
	Note      string
	Stage     string
}

func dealStageOptions(all bool) []components.Option {
	out := []components.Option{}
	if all {
		out = append(out, components.Option{Value: "", Label: "list.all"})
	}
	for _, s := range opportunity.DealStages {
		out = append(out, components.Option{Value: s, Label: "deal.stage." + s})
	}
	return out
}

func dealKindOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "deal.choose"}}
	for _, s := range opportunity.DealKinds {
		out = append(out, components.Option{Value: s, Label: "deal.kind." + s})
	}
	return out
}

func dealConfidenceOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "deal.choose"}}
	for _, c := range opportunity.DealConfidences {
		v := strconv.Itoa(c)
		out = append(out, components.Option{Value: v, Label: v + "%", Raw: true})
	}
	return out
}

func dealIndustryOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "opportunity.choose_industry"}}
	for _, s := range opportunity.Industries {
		out = append(out, components.Option{Value: s, Label: "opportunity.industry." + s})
	}
	return out
}

func dealCustomerOptions(cs []customer.DealCustomer) []components.Option {
	out := []components.Option{{Value: "", Label: "deal.choose_customer"}}
	for _, c := range cs {
		label := c.Name + "（" + c.AccountName + "）"
		if c.PartnerName != "" {
			label += " · " + c.PartnerName
		}
		out = append(out, components.Option{Value: strconv.FormatInt(c.CustomerID, 10), Label: label, Raw: true})
	}
	return out
}

// DealInputOf is the form of a saved 商机.
func DealInputOf(d *opportunity.DealDetail) opportunity.DealInput {
	return opportunity.DealInput{CustomerID: d.CustomerID, Title: d.Title, Industry: d.Industry, Kind: d.Kind,
		Confidence: strconv.Itoa(d.Confidence), Stage: d.Stage, MonthlyRevenue: d.MonthlyRevenue.StringFixed(2), Description: d.Description}
}

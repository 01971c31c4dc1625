package access

import "testing"

// Seed 003 §7.1.1 table 7-1: 账号 > 账户信息 (查看账户余额, 充值, 提现,
// 设置余额预警) are defaults of master distributors, cloud resellers and
// solution providers, not of the development paths.
func TestAccountInformationDefaultsOnlyForProgramPartners(t *testing.T) {
	has := func(items []Item, it Item) bool {
		for _, x := range items {
			if x == it {
				return true
			}
		}
		return false
	}
	for _, id := range []string{IdentityMasterDistributor, IdentityCloudReseller, IdentitySolutionProvider} {
		d := DefaultItems([]string{IdentitySoftware, id})
		for _, it := range ProgramAccountItems {
			if !has(d, it) {
				t.Errorf("%s lacks %s", id, it)
			}
		}
		if has(d, BillingTransfer) || has(d, BillingRecover) {
			t.Errorf("%s gets transfer/recover by default", id)
		}
	}
	for _, id := range []string{IdentitySoftware, IdentityService, IdentitySI, IdentityLearning} {
		if has(DefaultItems([]string{id}), BillingFundsView) {
			t.Errorf("%s gets the account items", id)
		}
	}
	for _, it := range PresetCustomerManager {
		if has(ProgramAccountItems, it) {
			t.Errorf("the preset 客户经理 role holds %s", it)
		}
	}
}

// Package demo loads the demo world into an empty database: the vendor
// staff, a solution provider (示例云科技有限公司) with members in every kind
// of role, a master distributor and its cloud reseller, and data in every
// state for each menu. All demo accounts use the password DemoPassword.
// Every seeder dates its data from World.Now (Seed: the present; the
// package's tests seed the world on fixed dates, so a state that only shows
// on some days of the year fails there).
// `make run` and the web tests load it; outside checks rely on the login
// names, so they never change.
package demo

// Package me renders the personal console of a personal Huawei account
// (个人华为账号, seed 003 §7.2, §10.3–§10.4; issue 15): sign-up, 邀请,
// 个人资质, 我的券 and 个人信息.
package me

import (
	"time"

	"partnercenter/internal/approval"
	"partnercenter/internal/benefit"
	"partnercenter/internal/people"
	"partnercenter/views/components"
)

// RegisterVM is the personal sign-up form.
type RegisterVM struct {
	In      people.RegisterInput
	Errors  map[string]string
	Summary string
}

// InvitationsVM is 邀请: the invitations received and the partners linked.
type InvitationsVM struct {
	Invitations []people.MyInvitation
	Links       []people.MyLink
	Now         time.Time
	Error       string
	Args        map[string]any
	Checks      []approval.CheckResult
}

// CertificatesVM is 个人资质: the certificates and the upload form.
type CertificatesVM struct {
	Certificates []people.Certificate
	In           people.CertificateInput
	Errors       map[string]string
	Summary      string
	Now          time.Time
	Open         bool // the upload form is shown open (after a refusal)
}

// VouchersVM is 我的券.
type VouchersVM struct {
	Vouchers []benefit.MyVoucher
	Now      time.Time
	Error    string
	Args     map[string]any
}

// ProfileVM is 个人信息.
type ProfileVM struct {
	Me      *people.Person
	In      people.ProfileInput
	Errors  map[string]string
	Summary string
}

func siteOptions() []components.Option { return components.OptionsOf("me.site.", people.Sites) }

func realNameOptions() []components.Option {
	return components.OptionsOf("me.real_name.", people.RealNames)
}

func typeOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "me.choose"}}
	for _, t := range people.UploadedTypes {
		out = append(out, components.Option{Value: t, Label: t, Raw: true})
	}
	return out
}

func directionOptions() []components.Option {
	out := []components.Option{{Value: "", Label: "me.choose"}}
	for _, d := range people.Directions {
		out = append(out, components.Option{Value: d, Label: d, Raw: true})
	}
	return out
}

// left is the whole days and hours from now to t (0 when past).
func left(now, t time.Time) (days, hours int) {
	d := t.Sub(now)
	if d <= 0 {
		return 0, 0
	}
	return int(d / (24 * time.Hour)), int(d % (24 * time.Hour) / time.Hour)
}

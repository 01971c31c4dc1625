package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"partnercenter/internal/access"
	"partnercenter/internal/outbox"
	outboxview "partnercenter/views/outbox"
)

// messageSettingsRoutes are 伙伴信息 > 消息接收设置 (seed 003 §6.1.1; issue
// 14): each user chooses, per channel, whether to receive and the language
// and time zone, sends itself a test message and sees what was sent to it.
func (a *App) messageSettingsRoutes() []Route {
	return []Route{
		get("/profile/messages", access.ProfileCredentials, a.messageSettings),
		post("/profile/messages", access.ProfileCredentials, a.messageSettingsSave),
		post("/profile/messages/test", access.ProfileCredentials, a.messageSettingsTest),
	}
}

func (a *App) renderMessageSettings(c echo.Context, status int, vm outboxview.SettingsVM) error {
	ctx, p := c.Request().Context(), principalOf(c)
	if vm.Settings == nil {
		s, err := a.svc.MessageSettings.Mine(ctx, p)
		if err != nil {
			return err
		}
		vm.Settings = s
	}
	u, err := a.svc.Users.ByID(ctx, p.UserID)
	if err != nil {
		return err
	}
	if u.Email != nil {
		vm.Email = *u.Email
	}
	if u.Mobile != nil {
		vm.Mobile = *u.Mobile
	}
	if vm.Log, _, err = a.svc.MessageLog.List(ctx, p, outbox.Filter{Per: 10}); err != nil {
		return err
	}
	return render(c, status, outboxview.Settings(vm))
}

func (a *App) messageSettings(c echo.Context) error {
	return a.renderMessageSettings(c, http.StatusOK, outboxview.SettingsVM{})
}

func (a *App) messageSettingsSave(c echo.Context) error {
	var in []outbox.Input
	var shown []outbox.Setting
	for _, ch := range outbox.Channels {
		i := outbox.Input{Channel: ch, Enabled: ch == outbox.Inbox || c.FormValue(ch+"_enabled") == "on",
			Lang: c.FormValue(ch + "_lang"), TimeZone: c.FormValue(ch + "_tz")}
		in = append(in, i)
		shown = append(shown, outbox.Setting{Channel: ch, Enabled: i.Enabled, Lang: i.Lang, TimeZone: i.TimeZone})
	}
	if err := a.svc.MessageSettings.Save(c.Request().Context(), principalOf(c), in); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderMessageSettings(c, status, outboxview.SettingsVM{Settings: shown, Errors: ae.Fields, Summary: ae.MessageKey()})
	}
	return a.done(c, "/profile/messages", "outbox.settings.saved")
}

func (a *App) messageSettingsTest(c echo.Context) error {
	if err := a.svc.MessageSettings.SendTest(c.Request().Context(), principalOf(c)); err != nil {
		ae, status, ok := failedStatus(err)
		if !ok {
			return err
		}
		return a.renderMessageSettings(c, status, outboxview.SettingsVM{Summary: ae.MessageKey()})
	}
	return a.done(c, "/profile/messages", "outbox.settings.test_sent")
}

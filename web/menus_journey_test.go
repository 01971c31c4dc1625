package web

import (
	"testing"

	"partnercenter/internal/demo"
)

// Journey: on 客户管理 the 更多 ▾ menu of the last row opens fully on
// screen (above its button when there is no room below) and is not
// clipped by the table; wide tables keep their action column in view
// (sticky right).
func TestJourneyRowMenusAndActionsStayInView(t *testing.T) {
	env := newEnv(t)
	b := newBrowser(t, env)
	b.login(demo.SPAdmin, demo.DemoPassword)
	b.open("/customers")
	last := `(function(){var m=document.querySelectorAll('[data-testid="more-actions"]');return m[m.length-1]})()`
	b.eval(`(function(){` + "var d=" + last + `;d.scrollIntoView({block:'end'});return ''})()`)
	b.eval(`(function(){var d=` + last + `;d.querySelector('summary').click();return ''})()`)
	got := b.eval(`(function(){var d=` + last + `;var p=d.querySelector('[data-menu-panel]');var r=p.getBoundingClientRect();
		var x=r.left+r.width/2,y=r.top+r.height/2;var hit=document.elementFromPoint(x,y);
		return [d.open, r.top>=0 && r.bottom<=window.innerHeight, p.contains(hit)].join(',')})()`)
	if got != "true,true,true" {
		t.Errorf("last row's menu (open, on screen, not clipped) = %s", got)
	}
	b.shot("last-row-menu")
	pos := b.eval(`(function(){var c=document.querySelector('table[data-sticky-last] tbody tr > :last-child');return c?getComputedStyle(c).position:''})()`)
	if pos != "sticky" {
		t.Errorf("the action column is %q, want sticky", pos)
	}
}

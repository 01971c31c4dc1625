package components

import (
	"encoding/json"

	"github.com/shopspring/decimal"
)

// Charts are Apache ECharts (vendored in static/echarts.min.js, loaded by
// static/app.js only on pages that hold a chart: the CSP forbids inline
// script, so a chart is a <div data-chart> whose JSON spec app.js turns
// into an ECharts option). Every chart's numbers are also in a table on
// the page (screen readers and exports read the table).

// Chart kinds.
const (
	ChartBar  = "bar"  // categories on x, one bar per series (stacked when the series share Stack)
	ChartLine = "line" // categories on x, one line per series
	ChartPie  = "pie"  // the first series' values by category
	ChartStep = "step" // a step table: Points (x, y) of a value axis, Mark the partner's x
)

// ChartSpec is what app.js reads from data-chart.
type ChartSpec struct {
	Kind       string        `json:"kind"`
	Categories []string      `json:"categories,omitempty"`
	Series     []ChartSeries `json:"series"`
	// Unit follows the values in tooltips ("¥", "%").
	Unit string `json:"unit,omitempty"`
	// XUnit follows the x values of a step chart.
	XUnit string `json:"xunit,omitempty"`
	// Mark is a vertical line at this x value (a step chart's position).
	Mark      *float64 `json:"mark,omitempty"`
	MarkLabel string   `json:"markLabel,omitempty"`
}

// ChartSeries is one named series.
type ChartSeries struct {
	Name   string       `json:"name"`
	Values []float64    `json:"values,omitempty"`
	Points [][2]float64 `json:"points,omitempty"`
	Stack  string       `json:"stack,omitempty"`
}

// ChartValue is an amount as a chart value (charts need no more than a
// float's precision; the table beside shows the exact figure).
func ChartValue(d decimal.Decimal) float64 {
	f, _ := d.Round(2).Float64()
	return f
}

// JSON is the spec for data-chart.
func (s ChartSpec) JSON() string {
	b, err := json.Marshal(s)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// Empty reports a chart with nothing to draw.
func (s ChartSpec) Empty() bool {
	for _, se := range s.Series {
		for _, v := range se.Values {
			if v != 0 {
				return false
			}
		}
		if len(se.Points) > 0 {
			return false
		}
	}
	return true
}

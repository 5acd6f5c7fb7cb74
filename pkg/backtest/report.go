package backtest

import (
	"fmt"
	"io"
	"slices"

	"github.com/clickpy/clickpy-grafana/pkg/sample"
)

// Figure is one line of the report: a rule, what is measured, the value.
type Figure struct {
	Rule, Name, Value string
}

func pct(caught, total int) string {
	if total == 0 {
		return "n/a (none planted)"
	}
	return fmt.Sprintf("%.0f%% (%d/%d)", 100*float64(caught)/float64(total), caught, total)
}

// Figures are a drop rule's report lines: recall by depth, by length and
// by tier, the goal's drops, the decline and the original drop, delays,
// false alarms per package-year by tier, and those in holidays and
// around the stall.
func (s Score) Figures(rank map[string]int) []Figure {
	var out []Figure
	add := func(name, format string, args ...any) {
		out = append(out, Figure{s.Rule, name, fmt.Sprintf(format, args...)})
	}
	drops := func(o Outcome) bool { return o.Kind == KindDrop }
	c, n := s.Recall(drops, 0)
	add("recall, all planted drops", "%s", pct(c, n))
	for _, d := range sample.DropDepths() {
		c, n := s.Recall(func(o Outcome) bool { return drops(o) && o.Depth == d }, 0)
		add(fmt.Sprintf("recall, drops of %.0f%%", 100*d), "%s", pct(c, n))
	}
	for _, l := range sample.DropLengths() {
		c, n := s.Recall(func(o Outcome) bool { return drops(o) && o.Days == l }, 0)
		add(fmt.Sprintf("recall, drops lasting %d days", l), "%s", pct(c, n))
	}
	for _, t := range Tiers() {
		c, n := s.Recall(func(o Outcome) bool { return drops(o) && o.Tier == t }, 0)
		add(fmt.Sprintf("recall, drops in tier %s", t), "%s", pct(c, n))
	}
	for _, t := range Tiers() {
		c, n := s.Recall(func(o Outcome) bool { return GoalDrop(o) && o.Tier == t }, 2)
		add(fmt.Sprintf("goal: drops >=50%% lasting >=2 days caught within 2 days, tier %s", t), "%s", pct(c, n))
	}
	for _, o := range s.Outcomes {
		if o.Kind == KindDrop {
			continue
		}
		v := "not caught"
		if o.Caught {
			v = fmt.Sprintf("caught after %d days", o.Delay)
		}
		add(fmt.Sprintf("%s of %s from %s", o.Kind, o.Package, o.Start.Format("2006-01-02")), "%s", v)
	}
	if d := s.Delays(drops); len(d) > 0 {
		add("delay to fire, median (caught drops)", "%d days", d[len(d)/2])
		add("delay to fire, max (caught drops)", "%d days", d[len(d)-1])
	}
	if d := s.Delays(GoalDrop); len(d) > 0 {
		add("delay to fire, max (goal drops caught)", "%d days", d[len(d)-1])
	}
	r, fn, y := s.FalsePerPackageYear("", rank)
	add("false alarms per package-year, all packages", "%.3f (%d in %.0f package-years)", r, fn, y)
	for _, t := range Tiers() {
		r, fn, y := s.FalsePerPackageYear(t, rank)
		add("false alarms per package-year, tier "+t, "%.3f (%d in %.1f package-years)", r, fn, y)
	}
	hol, stall, after := s.FalseIn()
	add("false alarms judging holiday days", "%d", hol)
	add("false alarms judging the stall's days", "%d", stall)
	add("false alarms in the 4 weeks after the stall", "%d", after)
	return out
}

// Figures are a staleness rule's report lines.
func (s StaleScore) Figures() []Figure {
	fired := "did not fire"
	if s.Fired {
		fired = fmt.Sprintf("fired %d days after the first empty day", s.Delay)
	}
	cleared := "still firing after the data came back"
	if s.Cleared {
		cleared = "stopped once the data came back"
	}
	return []Figure{
		{s.Rule, "during the stall", fired},
		{s.Rule, "after the stall", cleared},
		{s.Rule, "firings outside the stall (days)", fmt.Sprint(s.False)},
	}
}

// WriteFigures prints figures one to a line, grouped by rule.
func WriteFigures(w io.Writer, figs []Figure) error {
	width := 0
	for _, f := range figs {
		width = max(width, len(f.Name))
	}
	last := ""
	for _, f := range figs {
		if f.Rule != last {
			if last != "" {
				if _, err := fmt.Fprintln(w); err != nil {
					return err
				}
			}
			if _, err := fmt.Fprintf(w, "%s\n", f.Rule); err != nil {
				return err
			}
			last = f.Rule
		}
		if _, err := fmt.Fprintf(w, "  %-*s  %s\n", width, f.Name, f.Value); err != nil {
			return err
		}
	}
	return nil
}

// FalseList lists a score's false alarms, for a closer look.
func (s Score) FalseList() []string {
	out := make([]string, 0, len(s.False))
	for _, e := range s.False {
		out = append(out, e.String())
	}
	return slices.Clip(out)
}

// FalseIn counts the false alarms judging holidays, the stall's days, and
// the four weeks after the stall.
func (s Score) FalseIn() (holiday, stall, afterStall int) {
	for _, e := range s.False {
		if e.Holiday {
			holiday++
		}
		if e.Stall {
			stall++
		}
		if e.AfterStall {
			afterStall++
		}
	}
	return holiday, stall, afterStall
}

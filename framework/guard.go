package framework

import (
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // guards' time zones must load on machines without a zoneinfo database

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// GuardEnv is what a transition's If expression sees. Expressions are
// checked against it when the chart is compiled, so a misspelt name is a
// load error, not a surprise in production:
//
//	vars.order != ""                       a turn variable
//	hour >= 9 && hour < 21 && weekday <= 5 the time in the chart's TimeZone
//	clock >= "09:30"                       the same, as text
//	sender.nickname == "VIP"               the sender
//	event == "MESSAGE" && state == "menu"
type GuardEnv struct {
	Vars    map[string]string `expr:"vars"`    // turn variables
	Session map[string]string `expr:"session"` // the room's remembered variables
	Text    string            `expr:"text"`    // the message as typed
	Event   string            `expr:"event"`   // JOIN_ROOM, MESSAGE, …
	State   string            `expr:"state"`   // the room's state path
	Room    string            `expr:"room"`
	Sender  GuardSender       `expr:"sender"`
	Hour    int               `expr:"hour"`    // 0–23
	Minute  int               `expr:"minute"`  // 0–59
	Weekday int               `expr:"weekday"` // 1 Monday … 7 Sunday
	Clock   string            `expr:"clock"`   // "15:04"
	Date    string            `expr:"date"`    // "2006-01-02"
}

// GuardSender is the sender as guards see it.
type GuardSender struct {
	ID       string `expr:"id"`
	Nickname string `expr:"nickname"`
	IsRobot  bool   `expr:"is_robot"`
}

// guard is a compiled If expression and named Go guard; both must hold.
type guard struct {
	src     string
	program *vm.Program
	name    string
	fn      Guard
	reads   []string // the turn variables the expression reads
}

func compileGuard(src, name string, guards map[string]Guard) (*guard, error) {
	g := &guard{src: src, name: name}
	if src != "" {
		p, err := expr.Compile(src, expr.Env(GuardEnv{}), expr.AsBool())
		if err != nil {
			// expr draws a caret under the error on further lines; a
			// problem is one line.
			first, _, _ := strings.Cut(err.Error(), "\n")
			return nil, &fixable{what: fmt.Sprintf("guard %q does not compile: %s", src, first),
				fix: "see GuardEnv for the names a guard can use: vars, session, text, event, state, room, sender, hour, minute, weekday, clock, date"}
		}
		g.program = p
		g.reads = varsRead(p.Node())
	}
	if name != "" {
		fn, ok := guards[name]
		if !ok {
			return nil, &fixable{what: fmt.Sprintf("guard %q is not registered", name), fix: "register it in Options.Guards, or fix the name"}
		}
		g.fn = fn
	}
	return g, nil
}

// varsRead lists the names in vars.NAME and vars["NAME"] in an expression.
func varsRead(n ast.Node) []string {
	v := &varsVisitor{}
	ast.Walk(&n, v)
	slices.Sort(v.names)
	return slices.Compact(v.names)
}

type varsVisitor struct{ names []string }

func (v *varsVisitor) Visit(n *ast.Node) {
	m, ok := (*n).(*ast.MemberNode)
	if !ok {
		return
	}
	if id, ok := m.Node.(*ast.IdentifierNode); ok && id.Value == "vars" {
		if s, ok := m.Property.(*ast.StringNode); ok {
			v.names = append(v.names, s.Value)
		}
	}
}

// holds reports whether the guard lets the turn through. An expression that
// fails at run time (comparing text with a number) does not.
func (g *guard) holds(t *Turn) (bool, error) {
	if g.program != nil {
		out, err := expr.Run(g.program, t.guardEnv())
		if err != nil {
			return false, fmt.Errorf("guard %q: %v", g.src, err)
		}
		if ok, _ := out.(bool); !ok {
			return false, nil
		}
	}
	if g.fn != nil && !g.fn(t) {
		return false, nil
	}
	return true, nil
}

func (g *guard) String() string {
	switch name := displayName(g.name); {
	case g.src != "" && g.name != "":
		return g.src + " && " + name + "()"
	case g.name != "":
		return name + "()"
	}
	return g.src
}

// guardEnv builds the guards' environment once per turn.
func (t *Turn) guardEnv() *GuardEnv {
	if t.env != nil {
		t.env.Vars = t.Vars
		return t.env
	}
	now := t.bot.now().In(t.bot.location)
	wd := int(now.Weekday())
	if wd == 0 {
		wd = 7
	}
	t.env = &GuardEnv{
		Vars:    t.Vars,
		Session: t.Session,
		Text:    t.Text,
		Event:   string(t.Event.Type),
		State:   t.From,
		Room:    t.Room,
		Sender:  GuardSender{ID: t.Sender.ID, Nickname: t.Sender.Nickname, IsRobot: t.Sender.IsRobot},
		Hour:    now.Hour(),
		Minute:  now.Minute(),
		Weekday: wd,
		Clock:   now.Format("15:04"),
		Date:    now.Format(time.DateOnly),
	}
	return t.env
}

package framework

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func noop(context.Context, *Turn) error { return nil }

// okChart returns a valid two-state chart for the validation cases to break.
func okChart() Chart {
	return Chart{
		Initial: "a",
		States: []State{
			{Name: "a", Reply: Say("A"), On: []Transition{{Match: Keywords("b"), To: "b"}}},
			{Name: "b", On: []Transition{{Match: AnyMessage(), To: "a"}}},
		},
	}
}

func TestNewRejectsBadCharts(t *testing.T) {
	at := Pos{File: "shop.yaml", Line: 12, Col: 5}
	withOn := func(tr Transition) Chart {
		c := okChart()
		c.States[0].On = append(c.States[0].On, tr)
		return c
	}
	tests := []struct {
		name     string
		chart    func() Chart
		handlers map[string]Handler
		want     []string // each is in some problem
	}{
		{name: "no states", chart: func() Chart { return Chart{} },
			want: []string{"the chart has no states (add at least one state under states:)"}},
		{name: "no initial", chart: func() Chart { c := okChart(); c.Initial = ""; return c },
			want: []string{"the chart names no initial state (add initial: a (or another state))"}},
		{name: "unknown initial", chart: func() Chart { c := okChart(); c.Initial = "z"; return c },
			want: []string{`initial state "z" is not a state (use one of: a, b)`}},
		{name: "initial is an alias", chart: func() Chart { c := okChart(); c.States[0].Aliases = []string{"old"}; c.Initial = "old"; return c },
			want: []string{`initial state "old" is an alias (use the state's path "a")`}},
		{name: "unknown unknown_state", chart: func() Chart { c := okChart(); c.UnknownState = "z"; return c },
			want: []string{`unknown_state "z" is not a state`}},
		{name: "unknown target", chart: func() Chart { return withOn(Transition{Match: Exact("x"), To: "nowhere", Pos: at}) },
			want: []string{`shop.yaml:12:5: target "nowhere" is not a state (use one of: a, b)`}},
		{name: "target is an alias", chart: func() Chart {
			c := withOn(Transition{Match: Exact("x"), To: "old"})
			c.States[1].Aliases = []string{"old"}
			return c
		}, want: []string{`target "old" is an alias (use the state's path "b")`}},
		{name: "fallback target unknown", chart: func() Chart {
			c := okChart()
			c.Fallback = &Transition{Reply: Say("?"), To: "nowhere"}
			return c
		}, want: []string{`target "nowhere" is not a state`}},
		{name: "duplicate state", chart: func() Chart {
			c := okChart()
			c.States[0].Pos = Pos{File: "shop.yaml", Line: 3}
			c.States = append(c.States, State{Name: "a", Pos: Pos{File: "shop.yaml", Line: 20}})
			return c
		}, want: []string{`shop.yaml:20:0: state "a" is defined twice (first at shop.yaml:3:0) (rename one of them)`}},
		{name: "state without a name", chart: func() Chart { c := okChart(); c.States = append(c.States, State{}); return c },
			want: []string{"a state has no name (give every state a name)"}},
		{name: "nameless state with an alias that is a target", chart: func() Chart {
			c := withOn(Transition{Match: Exact("x"), To: "x"})
			c.States = append(c.States, State{Aliases: []string{"x"}})
			return c
		}, want: []string{"a state has no name", `target "x" is not a state`}},
		{name: "alias clashes with a state", chart: func() Chart { c := okChart(); c.States[0].Aliases = []string{"b"}; return c },
			want: []string{`alias "b" of state "a" is taken by state "b" (an alias must not repeat a state's path or another alias)`}},
		{name: "alias clashes with another alias", chart: func() Chart {
			c := okChart()
			c.States[0].Aliases = []string{"old"}
			c.States[1].Aliases = []string{"old"}
			return c
		}, want: []string{`alias "old" of state "b" is taken by state "a"`}},
		{name: "bad regex", chart: func() Chart { return withOn(Transition{Match: Regex(`(?P<order>\d+`), Pos: at}) },
			want: []string{"shop.yaml:12:5: regex \"(?P<order>\\\\d+\" does not compile: error parsing regexp: missing closing )"}},
		{name: "unregistered handler", chart: func() Chart { return withOn(Transition{Match: Exact("x"), Call: "save"}) },
			handlers: map[string]Handler{"load": noop},
			want:     []string{`handler "save" is not registered (register it in Options.Handlers, or fix the name)`}},
		{name: "bad transition template", chart: func() Chart { return withOn(Transition{Match: Exact("x"), Reply: Say("{{.Vars.x")}) },
			want: []string{"reply template:"}},
		{name: "bad entry template", chart: func() Chart { c := okChart(); c.States[1].Reply = Say("ok", "{{if}}"); return c },
			want: []string{`state "b" on entry: reply template:`}},
		{name: "bad error reply template", chart: func() Chart { c := okChart(); c.ErrorReply = Say("{{end}}"); return c },
			want: []string{"error reply: reply template:"}},
		{name: "empty reply text", chart: func() Chart { c := okChart(); c.States[1].Reply = Say("ok", "  "); return c },
			want: []string{`state "b" on entry: reply 2 is empty text`}},
		{name: "MESSAGE transition without a pattern", chart: func() Chart { return withOn(Transition{To: "b"}) },
			want: []string{"a MESSAGE transition has no pattern (add a pattern (exact, keywords, all_of, regex, command, type) or any: true)"}},
		{name: "explicit MESSAGE transition without a pattern", chart: func() Chart { return withOn(Transition{Event: MessageEvent, To: "b"}) },
			want: []string{"a MESSAGE transition has no pattern"}},
		{name: "pattern on JOIN_ROOM", chart: func() Chart { return withOn(Transition{Event: JoinRoom, Match: Keywords("hi")}) },
			want: []string{"JOIN_ROOM cannot match keywords: hi (text patterns apply to MESSAGE only; remove the pattern or the event)"}},
		{name: "any on DELETE_MEMBERS", chart: func() Chart { return withOn(Transition{Event: DeleteMembers, Match: AnyMessage()}) },
			want: []string{"DELETE_MEMBERS cannot match any"}},
		{name: "robot_added on MESSAGE", chart: func() Chart { return withOn(Transition{Match: RobotAdded()}) },
			want: []string{"robot_added on MESSAGE never matches (use robot_added with event: ADD_MEMBERS)"}},
		{name: "robot_added on JOIN_ROOM", chart: func() Chart { return withOn(Transition{Event: JoinRoom, Match: RobotAdded()}) },
			want: []string{"robot_added on JOIN_ROOM never matches"}},
		{name: "empty keyword", chart: func() Chart { return withOn(Transition{Match: Keywords("退款", "")}) },
			want: []string{`keywords has an empty word ""`}},
		{name: "blank keyword", chart: func() Chart { return withOn(Transition{Match: Keywords("　")}) },
			want: []string{`keywords has an empty word "\u3000"`}},
		{name: "exact of punctuation only", chart: func() Chart { return withOn(Transition{Match: Exact("！")}) },
			want: []string{`exact has an empty word "！"`}},
		{name: "empty command", chart: func() Chart { return withOn(Transition{Match: Command("/")}) },
			want: []string{`command has an empty word "/"`}},
		{name: "no words", chart: func() Chart { return withOn(Transition{Match: AllOf()}) },
			want: []string{"all_of needs at least one word"}},
		{name: "no types", chart: func() Chart { return withOn(Transition{Match: MessageType()}) },
			want: []string{"type needs at least one message type"}},
		{name: "custom without matcher", chart: func() Chart { return withOn(Transition{Match: Custom("vip", nil)}) },
			want: []string{`custom match "vip" has no Matcher`}},
		{name: "several problems at once", chart: func() Chart {
			c := okChart()
			c.Initial = "z"
			c.States[0].On = append(c.States[0].On,
				Transition{Match: Regex("[")},
				Transition{Match: Exact("x"), To: "nowhere", Call: "missing"})
			return c
		}, want: []string{`initial state "z"`, `regex "["`, `target "nowhere"`, `handler "missing"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bot *Bot
			var err error
			require.NotPanics(t, func() { bot, err = New(tt.chart(), Options{Handlers: tt.handlers, Logger: quiet}) })
			require.Error(t, err)
			assert.Nil(t, bot)

			var ce *ChartError
			require.ErrorAs(t, err, &ce)
			require.Len(t, ce.Problems, len(tt.want), "problems: %v", err)
			for i, want := range tt.want {
				assert.Contains(t, ce.Problems[i].String(), want)
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestChartErrorFormat(t *testing.T) {
	err := &ChartError{Problems: []Problem{
		{Pos: Pos{File: "a.yaml", Line: 3, Col: 7}, What: "target \"x\" is not a state", Fix: "use one of: a, b"},
		{What: "the chart has no states"},
	}}
	assert.Equal(t, "a.yaml:3:7: target \"x\" is not a state (use one of: a, b)\nthe chart has no states", err.Error())
	var target *ChartError
	assert.True(t, errors.As(error(err), &target))
}

func TestPos(t *testing.T) {
	tests := []struct {
		pos  Pos
		want string
	}{
		{Pos{}, ""},
		{Pos{File: "shop.yaml"}, "shop.yaml"},
		{Pos{File: "shop.yaml", Line: 4, Col: 2}, "shop.yaml:4:2"},
		{Pos{Line: 4, Col: 2}, ":4:2"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.pos.String())
		assert.Equal(t, tt.pos == Pos{}, tt.pos.IsZero())
	}
}

func TestWarnings(t *testing.T) {
	c := okChart()
	c.States = append(c.States,
		State{Name: "orphan", Pos: Pos{File: "shop.yaml", Line: 30, Col: 3}},
		State{Name: "lost"},
		State{Name: "renamed", Aliases: []string{"old"}},
	)
	c.UnknownState = "lost" // reachable: rooms in unknown states go there
	bot, err := New(c, Options{Logger: quiet})
	require.NoError(t, err, "an unreachable state is a warning, not an error")

	warnings := bot.Warnings()
	require.Len(t, warnings, 1, "a state with aliases is reached by rooms still in its old name")
	assert.Equal(t, `shop.yaml:30:3: state "orphan" is unreachable: no transition enters it (add a transition to it, or remove it)`, warnings[0].String())

	warnings[0].What = "changed"
	assert.NotEqual(t, "changed", bot.Warnings()[0].What, "Warnings returns a copy")

	assert.Empty(t, mustNew(t, okChart()).Warnings())
}

func TestBotAccessors(t *testing.T) {
	c := okChart()
	c.Name = "shop"
	c.RobotID = "bot1"
	bot := mustNew(t, c)
	assert.Equal(t, "shop", bot.Name())
	assert.Equal(t, "bot1", bot.RobotID())
	assert.Equal(t, "a", bot.Initial())
	assert.Equal(t, []string{"a", "b"}, bot.States())

	bot = mustNew(t, c, Options{RobotID: "bot2", Rand: rand.New(rand.NewPCG(1, 1))})
	assert.Equal(t, "bot2", bot.RobotID(), "Options.RobotID overrides the chart's")

	names := bot.States()
	names[0] = "changed"
	assert.Equal(t, []string{"a", "b"}, bot.States(), "States returns a copy")
}

func TestDefaultLogger(t *testing.T) {
	bot, err := New(okChart(), Options{})
	require.NoError(t, err)
	assert.NotNil(t, bot.logger, "a nil Logger means slog.Default()")
}

func TestEventTypeKnown(t *testing.T) {
	for _, typ := range []EventType{JoinRoom, AddMembers, DeleteMembers, MessageEvent} {
		assert.True(t, typ.Known(), typ)
	}
	for _, typ := range []EventType{"", "message", "LEAVE_ROOM"} {
		assert.False(t, typ.Known(), typ)
	}
}

func TestTurnHelpers(t *testing.T) {
	var turn Turn
	turn.Set("a", "1")
	assert.Equal(t, map[string]string{"a": "1"}, turn.Vars)
	turn.Reply(Message{OriginalURL: "x"})
	turn.Say("hi")
	require.Len(t, turn.replies, 2)
	assert.Equal(t, "text", turn.replies[0].Type, "an untyped reply is text")
	assert.Equal(t, Message{Type: "text", Text: "hi"}, turn.replies[1])

	assert.Equal(t, "text", (&Message{}).MessageType())
	assert.Equal(t, "image", (&Message{Type: "image"}).MessageType())
}

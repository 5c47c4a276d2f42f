package framework

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// matcherFunc adapts a function to Matcher.
type matcherFunc func(*Turn) bool

func (f matcherFunc) Match(t *Turn) bool { return f(t) }

func textMsg(text string) *Event { return say("start", text) }

func typedMsg(typ, text string) *Event {
	ev := say("start", text)
	ev.Message.Type = typ
	return ev
}

// TestMatchers runs every kind of Match through Bot.Run: a room in "start"
// moves to "hit" when the transition's pattern matches.
func TestMatchers(t *testing.T) {
	robot := Client{ID: "bot1", Nickname: "客服机器人", IsRobot: true}
	otherRobot := Client{ID: "bot2", Nickname: "别的机器人", IsRobot: true}

	tests := []struct {
		name     string
		robotID  string
		event    EventType
		match    Match
		ev       *Event
		want     bool
		wantVars map[string]string
	}{
		// Exact: the whole text, ignoring case, width, spaces and punctuation around it.
		{name: "exact", match: Exact("退货"), ev: textMsg("退货"), want: true},
		{name: "exact with full-width punctuation after", match: Exact("退货"), ev: textMsg("退货！"), want: true},
		{name: "exact with ascii punctuation around", match: Exact("退货"), ev: textMsg("「退货」!"), want: true},
		{name: "exact with spaces inside CJK", match: Exact("退货"), ev: textMsg(" 退 货 "), want: true},
		{name: "exact full-width digit and ideographic stop", match: Exact("1"), ev: textMsg("１。"), want: true},
		{name: "exact digit and period", match: Exact("1"), ev: textMsg("1."), want: true},
		{name: "exact pattern with punctuation", match: Exact("退货！"), ev: textMsg("退货"), want: true},
		{name: "exact full-width pattern", match: Exact("ＶＩＰ"), ev: textMsg("vip"), want: true},
		{name: "exact latin phrase", match: Exact("hello world"), ev: textMsg("  Hello   World! "), want: true},
		{name: "exact any of several", match: Exact("是", "对", "yes"), ev: textMsg("YES"), want: true},
		{name: "exact not a substring", match: Exact("退货"), ev: textMsg("我要退货"), want: false},
		{name: "exact not a prefix", match: Exact("1"), ev: textMsg("12"), want: false},
		{name: "exact traditional differs", match: Exact("退货"), ev: textMsg("退貨"), want: false},

		// Keywords: substrings, which Chinese without spaces needs.
		{name: "keywords inside chinese", match: Keywords("退款"), ev: textMsg("我想申请退款可以吗"), want: true},
		{name: "keywords any of", match: Keywords("退货", "退款"), ev: textMsg("怎么退货"), want: true},
		{name: "keywords latin in chinese", match: Keywords("vip"), ev: textMsg("我是ＶＩＰ会员"), want: true},
		{name: "keywords pattern with space", match: Keywords("退 款"), ev: textMsg("我要退款"), want: true},
		{name: "keywords text with space", match: Keywords("退款"), ev: textMsg("我要退 款"), want: true},
		{name: "keywords none", match: Keywords("退款"), ev: textMsg("价格多少"), want: false},
		{name: "keywords traditional differs", match: Keywords("退款"), ev: textMsg("我要退費"), want: false},
		{name: "keywords on empty text", match: Keywords("退款"), ev: typedMsg("image", ""), want: false},

		// AllOf: every word.
		{name: "all_of", match: AllOf("退款", "订单"), ev: textMsg("这个订单怎么退款"), want: true},
		{name: "all_of missing one", match: AllOf("退款", "订单"), ev: textMsg("怎么退款"), want: false},
		{name: "all_of mixed scripts", match: AllOf("apply", "退款"), ev: textMsg("我想 apply 退款 ！"), want: true},

		// Regex: on normalized text; named groups become Vars.
		{name: "regex named group", match: Regex(`(?P<order>\d{6,})`), ev: textMsg("订单号 １２３４５６７"),
			want: true, wantVars: map[string]string{"order": "1234567"}},
		{name: "regex two groups", match: Regex(`^(?P<size>small|large)\s*(?P<n>\d+)$`), ev: textMsg("Large 2"),
			want: true, wantVars: map[string]string{"size": "large", "n": "2"}},
		{name: "regex unmatched optional group not set", match: Regex(`(?P<a>x)|(?P<b>y)`), ev: textMsg("y"),
			want: true, wantVars: map[string]string{"b": "y"}},
		{name: "regex unnamed group sets nothing", match: Regex(`(\d+)号`), ev: textMsg("3号"), want: true},
		{name: "regex without groups", match: Regex(`退款`), ev: textMsg("申请退款"), want: true},
		{name: "regex no match", match: Regex(`(?P<order>\d{6,})`), ev: textMsg("订单 123"), want: false},

		// Command: /name, then nothing, a space or Chinese; the rest is Vars["args"].
		{name: "command bare", match: Command("/help"), ev: textMsg("/help"), want: true},
		{name: "command upper case", match: Command("/help"), ev: textMsg("/HELP"), want: true},
		{name: "command full-width", match: Command("/help"), ev: textMsg("／ｈｅｌｐ"), want: true},
		{name: "command declared without slash", match: Command("help"), ev: textMsg("/help"), want: true},
		{name: "command with args", match: Command("/order"), ev: textMsg("/order 12345"),
			want: true, wantVars: map[string]string{"args": "12345"}},
		{name: "command args trimmed and collapsed", match: Command("/order"), ev: textMsg("/order   12345  加急 "),
			want: true, wantVars: map[string]string{"args": "12345加急"}},
		{name: "command chinese args", match: Command("/order"), ev: textMsg("/order 退款"),
			want: true, wantVars: map[string]string{"args": "退款"}},
		{name: "command chinese args without space", match: Command("/order"), ev: textMsg("/order退款"),
			want: true, wantVars: map[string]string{"args": "退款"}},
		{name: "command alias", match: Command("/order", "/o"), ev: textMsg("/o 42"),
			want: true, wantVars: map[string]string{"args": "42"}},
		{name: "command longer name", match: Command("/help"), ev: textMsg("/helpme"), want: false},
		{name: "command without slash typed", match: Command("/help"), ev: textMsg("help"), want: false},
		{name: "command not at start", match: Command("/help"), ev: textMsg("please /help"), want: false},

		// MessageType.
		{name: "type image", match: MessageType("image"), ev: typedMsg("image", ""), want: true},
		{name: "type one of", match: MessageType("image", "sticker"), ev: typedMsg("sticker", ""), want: true},
		{name: "type text by default", match: MessageType("text"), ev: typedMsg("", "hi"), want: true},
		{name: "type mismatch", match: MessageType("image"), ev: textMsg("hi"), want: false},

		// AnyMessage.
		{name: "any text", match: AnyMessage(), ev: textMsg("随便说点什么"), want: true},
		{name: "any empty", match: AnyMessage(), ev: textMsg(""), want: true},
		{name: "any image", match: AnyMessage(), ev: typedMsg("image", ""), want: true},

		// RobotAdded, on ADD_MEMBERS.
		{name: "robot added by ID", robotID: "bot1", event: AddMembers, match: RobotAdded(),
			ev: event(AddMembers, "start", customer, robot), want: true},
		{name: "robot added matches ID even if not flagged robot", robotID: "bot1", event: AddMembers, match: RobotAdded(),
			ev: event(AddMembers, "start", Client{ID: "bot1"}), want: true},
		{name: "another robot added, ID set", robotID: "bot1", event: AddMembers, match: RobotAdded(),
			ev: event(AddMembers, "start", otherRobot), want: false},
		{name: "any robot added, no ID set", event: AddMembers, match: RobotAdded(),
			ev: event(AddMembers, "start", customer, otherRobot), want: true},
		{name: "only people added, no ID set", event: AddMembers, match: RobotAdded(),
			ev: event(AddMembers, "start", customer), want: false},
		{name: "no members", robotID: "bot1", event: AddMembers, match: RobotAdded(),
			ev: event(AddMembers, "start"), want: false},

		// Non-message events match by default.
		{name: "join room", event: JoinRoom, ev: event(JoinRoom, "start", customer), want: true},
		{name: "join room transition ignores messages", event: JoinRoom, ev: textMsg("hi"), want: false},
		{name: "message transition ignores join", match: AnyMessage(), ev: event(JoinRoom, "start"), want: false},

		// Custom.
		{name: "custom", match: Custom("long", matcherFunc(func(t *Turn) bool { return len([]rune(t.Text)) > 5 })),
			ev: textMsg("这是一句很长的话"), want: true},
		{name: "custom sets vars", match: Custom("len", matcherFunc(func(t *Turn) bool { t.Set("n", "2"); return true })),
			ev: textMsg("ok"), want: true, wantVars: map[string]string{"n": "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot := mustNew(t, Chart{
				RobotID: tt.robotID,
				Initial: "start",
				States: []State{
					{Name: "start", On: []Transition{{Event: tt.event, Match: tt.match, To: "hit"}}},
					{Name: "hit", Reply: Say("hit")},
				},
			})
			res := bot.Run(context.Background(), tt.ev)
			require.NoError(t, res.Err)
			if !tt.want {
				assert.Equal(t, "start", res.To)
				assert.Equal(t, "no match", res.Skipped)
				assert.Nil(t, res.Reply)
				return
			}
			assert.Equal(t, "hit", res.To)
			assert.Equal(t, "start#0", res.Transition)
			assert.Empty(t, res.Skipped)
			assert.Equal(t, "hit", replyText(res))
			if tt.wantVars == nil {
				assert.Empty(t, res.Vars)
			} else {
				assert.Equal(t, tt.wantVars, res.Vars)
			}
		})
	}
}

func TestMatchAccessors(t *testing.T) {
	tests := []struct {
		m       Match
		kind    MatchKind
		words   []string
		pattern string
		str     string
	}{
		{Exact("a", "b"), MatchExact, []string{"a", "b"}, "", "exact: a | b"},
		{Keywords("退款"), MatchKeywords, []string{"退款"}, "", "keywords: 退款"},
		{AllOf("a", "b"), MatchAllOf, []string{"a", "b"}, "", "all_of: a + b"},
		{Regex(`\d+`), MatchRegex, nil, `\d+`, `regex: \d+`},
		{Command("/help"), MatchCommand, []string{"/help"}, "", "command: /help"},
		{MessageType("image"), MatchType, []string{"image"}, "", "type: image"},
		{AnyMessage(), MatchAny, nil, "", "any"},
		{RobotAdded(), MatchRobotAdded, nil, "", "robot_added"},
		{Custom("vip", matcherFunc(func(*Turn) bool { return true })), MatchCustom, nil, "", "custom: vip"},
		{Match{}, MatchDefault, nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.str, func(t *testing.T) {
			assert.Equal(t, tt.kind, tt.m.Kind())
			assert.Equal(t, tt.words, tt.m.Words())
			assert.Equal(t, tt.pattern, tt.m.Pattern())
			assert.Equal(t, tt.str, tt.m.String())
			assert.Equal(t, tt.kind == MatchDefault, tt.m.IsZero())
		})
	}

	m := Exact("a")
	m.Words()[0] = "changed"
	assert.Equal(t, []string{"a"}, m.Words(), "Words returns a copy")
}

// A chart's slices are not shared with the compiled bot: changing the chart
// after New does not change the bot.
func TestBotDoesNotShareChartSlices(t *testing.T) {
	types := []string{"image"}
	c := Chart{Initial: "start", States: []State{
		{Name: "start", On: []Transition{{Match: MessageType(types...), Reply: Say("图片")}}},
	}}
	bot := mustNew(t, c)
	types[0] = "text"
	res := bot.Run(context.Background(), typedMsg("image", ""))
	assert.Equal(t, "图片", replyText(res))
	res = bot.Run(context.Background(), textMsg("hi"))
	assert.Equal(t, "no match", res.Skipped)
}

func TestTurnNormalizedOnce(t *testing.T) {
	var seen []string
	counting := Custom("count", matcherFunc(func(t *Turn) bool {
		seen = append(seen, t.Normalized(), t.Normalized())
		return strings.HasPrefix(t.Normalized(), "vip")
	}))
	bot := mustNew(t, Chart{Initial: "start", States: []State{{Name: "start", On: []Transition{
		{Match: Keywords("nope")},
		{Match: counting, Reply: Say("ok")},
	}}}})
	res := bot.Run(context.Background(), textMsg("ＶＩＰ 会员"))
	assert.Equal(t, "ok", replyText(res))
	assert.Equal(t, []string{"vip会员", "vip会员"}, seen)
}

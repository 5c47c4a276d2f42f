package chart

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
)

const faqFile = "testdata/faq.yaml"

func at(line, col int) framework.Pos { return framework.Pos{File: faqFile, Line: line, Col: col} }

// faqChart is testdata/faq.yaml written in Go: what Parse must return.
func faqChart() framework.Chart {
	return framework.Chart{
		Name:         "faq",
		File:         faqFile,
		RobotID:      "robot001",
		Initial:      "start",
		UnknownState: "start",
		ErrorReply:   framework.Say("抱歉，系统开小差了，请稍后再试。"),
		Fallback:     &framework.Transition{Reply: framework.Say("没听懂，回复「菜单」看看我能做什么"), Pos: at(11, 3)},
		Pos:          at(2, 1),
		KeyPos: map[string]framework.Pos{
			"bot": at(2, 6), "robot_id": at(3, 11), "initial": at(4, 10), "unknown_state": at(5, 16),
			"answer_robots": at(6, 16), "error_reply": at(7, 14), "fallback": at(11, 3), "states": at(14, 3),
		},
		States: []framework.State{
			{
				Name:    "start",
				Aliases: []string{"welcome", "hello"},
				Reply:   framework.Say("你好 {{.Sender.Nickname}}！我是客服机器人。\n回复「菜单」看看我能做什么。"),
				Pos:     at(14, 3),
				On: []framework.Transition{
					{Event: framework.JoinRoom, To: "menu", Pos: at(20, 9)},
					{Event: framework.AddMembers, Match: framework.RobotAdded(), To: "menu", Pos: at(22, 9)},
					{Match: framework.Exact("菜单"), To: "menu", Pos: at(25, 9)},
					{Match: framework.Keywords("退货", "退款"), To: "return_policy", Pos: at(27, 9)},
					{Match: framework.Command("/help", "/帮助"), Reply: framework.Say("命令：/help, /order 订单号"), Pos: at(29, 9)},
					{Match: framework.Regex(`订单号?(?P<order>\d{6,})`), Call: "lookup_order", Reply: framework.Say("正在查询订单 {{.Vars.order}}…"), Pos: at(31, 9)},
					{Match: framework.MessageType("image", "sticker"), Pos: at(34, 9), Reply: framework.Send(
						framework.Message{Type: "text", Text: "收到图片啦"},
						framework.Message{Type: "sticker", Sticker: "thumbs_up"},
					)},
					{Match: framework.MessageType("location"), Pos: at(39, 9), Reply: framework.Send(framework.Message{
						Type: "location", Text: "我们的门店", Latitude: 31.2304, Longitude: 121.4737,
						Extra: []byte(`{"shop":1,"open":true,"tags":["门店","24h"],"note":null}`),
					})},
				},
			},
			{
				Name:  "menu",
				Reply: framework.Say("1. 退货政策\n2. 发票", "请选择：1 退货政策，2 发票"),
				Pos:   at(47, 3),
				On: []framework.Transition{
					{Match: framework.Exact("1", "退货政策"), To: "return_policy", Pos: at(52, 9)},
					{Match: framework.AllOf("发票", "电子"), Reply: framework.Say("电子发票会在发货后发送到您的邮箱。"), To: "menu", Pos: at(54, 9)},
					{Match: framework.AnyMessage(), Reply: framework.Say("请回复 1 或 2。"), Pos: at(57, 9)},
				},
				Fallback: &framework.Transition{Reply: framework.Say("菜单里没有这一项。"), To: "menu", Pos: at(60, 7)},
			},
			{
				Name: "return_policy",
				Reply: framework.Send(framework.Message{
					Type: "image", Text: "退货政策",
					OriginalURL:  "https://example.com/return.png",
					ThumbnailURL: "https://example.com/return_s.png",
					Width:        640, Height: 480,
				}),
				Pos: at(63, 3),
				On: []framework.Transition{
					{Event: framework.DeleteMembers, To: "start", Pos: at(72, 9)},
					{Match: framework.Exact("返回"), To: "menu", Pos: at(74, 9)},
				},
				Fallback: &framework.Transition{Match: framework.Keywords("人工"), Call: "handoff", Reply: framework.Say("正在为您转接人工客服。"), Pos: at(77, 7)},
			},
		},
	}
}

func TestParseFullChart(t *testing.T) {
	c, err := Load(faqFile)
	require.NoError(t, err)
	require.Equal(t, faqChart(), c)
}

// TestCompileAndRun checks that the chart parsed from YAML behaves as its
// author means it to, turn by turn.
func TestCompileAndRun(t *testing.T) {
	data, err := os.ReadFile(faqFile)
	require.NoError(t, err)
	bot, err := Compile(faqFile, data, framework.Options{
		Handlers: handlers,
		Rand:     rand.New(rand.NewPCG(1, 2)),
	})
	require.NoError(t, err)
	assert.Empty(t, bot.Warnings())
	assert.Equal(t, []string{"start", "menu", "return_policy"}, bot.States())

	message := func(state, text string) *framework.Event {
		return &framework.Event{Type: framework.MessageEvent, State: state, RoomID: "r1",
			Sender: framework.Client{ID: "u1", Nickname: "小明"}, Message: framework.Message{Text: text}}
	}
	tests := []struct {
		name   string
		event  *framework.Event
		to     string
		reply  string // the reply's text, "" for none
		anyOf  []string
		typ    string
		errors bool
	}{
		{name: "a robot added to a room shows the menu", to: "menu",
			event: &framework.Event{Type: framework.AddMembers, Members: []framework.Client{{ID: "robot001", IsRobot: true}}},
			anyOf: []string{"1. 退货政策\n2. 发票", "请选择：1 退货政策，2 发票"}},
		{name: "exact words", event: message("", "菜单！"), to: "menu",
			anyOf: []string{"1. 退货政策\n2. 发票", "请选择：1 退货政策，2 发票"}},
		{name: "an alias continues in its state", event: message("welcome", "我要退款"), to: "return_policy", reply: "退货政策", typ: "image"},
		{name: "command", event: message("start", "/help"), to: "start", reply: "命令：/help, /order 订单号"},
		{name: "regex captures and calls the handler", event: message("start", "订单号 1234567"), to: "start", reply: "正在查询订单 1234567…"},
		{name: "a failing handler gets the error reply", event: message("start", "订单 000000"), to: "start", reply: "抱歉，系统开小差了，请稍后再试。", errors: true},
		{name: "message type", event: &framework.Event{Type: framework.MessageEvent, Message: framework.Message{Type: "location"}},
			to: "start", reply: "我们的门店", typ: "location"},
		{name: "chart fallback", event: message("start", "天气如何"), to: "start", reply: "没听懂，回复「菜单」看看我能做什么"},
		{name: "all_of re-enters its state", event: message("menu", "要电子发票"), to: "menu",
			anyOf: []string{"电子发票会在发货后发送到您的邮箱。\n1. 退货政策\n2. 发票", "电子发票会在发货后发送到您的邮箱。\n请选择：1 退货政策，2 发票"}},
		{name: "any", event: message("menu", "3"), to: "menu", reply: "请回复 1 或 2。"},
		{name: "state fallback with a pattern", event: message("return_policy", "转人工"), to: "return_policy", reply: "正在为您转接人工客服。"},
		{name: "unmatched message falls through to the chart fallback", event: message("return_policy", "好的"), to: "return_policy", reply: "没听懂，回复「菜单」看看我能做什么"},
		{name: "event transition", event: &framework.Event{Type: framework.DeleteMembers, State: "return_policy"}, to: "start",
			reply: "你好 ！我是客服机器人。\n回复「菜单」看看我能做什么。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := bot.Run(context.Background(), tt.event)
			assert.Equal(t, tt.to, res.To)
			assert.Equal(t, tt.errors, res.Err != nil, "Err: %v", res.Err)
			require.NotNil(t, res.Reply)
			if tt.anyOf != nil {
				assert.Contains(t, tt.anyOf, res.Reply.Text)
			} else {
				assert.Equal(t, tt.reply, res.Reply.Text)
			}
			if tt.typ != "" {
				assert.Equal(t, tt.typ, res.Reply.Type)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	fromFile, err := Load(faqFile)
	require.NoError(t, err)

	data, err := os.ReadFile(faqFile)
	require.NoError(t, err)
	fromFS, err := LoadFS(fstest.MapFS{faqFile: {Data: data}}, faqFile)
	require.NoError(t, err)
	assert.Equal(t, fromFile, fromFS)

	_, err = Load(filepath.Join("testdata", "no_such.yaml"))
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = LoadFS(fstest.MapFS{}, "no_such.yaml")
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// TestErrors pins the exact text of problems: what a chart author reads.
// Compile is used, so that framework.New's problems are covered too.
func TestErrors(t *testing.T) {
	const head = "bot: b\ninitial: s\nstates:\n  s:\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"syntax error on the first line", "bot: a: b\n",
			`c.yaml:1:1: YAML syntax error: mapping values are not allowed in this context (a value contains ": ": put the whole value in quotes, or check the indentation of this line)`},
		{"syntax error from the parser, counted from 0 by yaml.v3", "bot: b\nstates:\n  s:\n    reply: x\n   on: y\n",
			`c.yaml:3:3: YAML syntax error: did not find expected key (check the indentation below this line: the keys of one mapping start in the same column)`},
		{"unknown key", head + "    repy: hi\n",
			`c.yaml:5:5: unknown key "repy" in state "s" (did you mean reply?)`},
		{"unknown key in another case", head + "    Reply: hi\n",
			`c.yaml:5:5: unknown key "Reply" in state "s" (did you mean reply?)`},
		{"a synonym", head + "    on:\n      - any: true\n        say: hi\n",
			`c.yaml:7:9: unknown key "say" in transition 1 of state "s" (did you mean reply?)`},
		{"a key far from any", head + "    colour: red\n",
			`c.yaml:5:5: unknown key "colour" in state "s" (use one of: aliases, reply, on_enter, on_exit, on, fallback, initial, states, history, globals, use, with, form)`},
		{"a list where a mapping belongs", "bot: b\ninitial: s\nstates:\n  s:\n    - reply: hi\n",
			`c.yaml:5:5: state "s" must be a mapping of keys with values, not a list (indent its keys (reply:, on:, …) below the state's name; to make it say something, write reply: first)`},
		{"duplicate key", head + "    reply: a\n    reply: b\n",
			`c.yaml:6:5: key "reply" appears twice in state "s" (first at line 5) (remove one of them, or merge them into one)`},
		{"duplicate state", head + "    reply: a\n  s:\n    reply: b\n",
			`c.yaml:6:3: state "s" appears twice in states (first at line 4) (remove one of them, or merge them into one)`},
		{"two patterns", head + "    on:\n      - exact: a\n        regex: b\n",
			`c.yaml:7:9: transition 1 of state "s" has two patterns, exact and regex (keep one pattern per transition, and write a second transition for regex:)`},
		{"robot_added: false", head + "    on:\n      - event: ADD_MEMBERS\n        robot_added: false\n",
			`c.yaml:7:22: robot_added: false matches nothing (remove robot_added:, or write robot_added: true to match when this robot is added to a room)`},
		{"any: false", head + "    on:\n      - any: false\n",
			`c.yaml:6:14: any: false matches nothing (remove any:, or write any: true to match every message)`},
		{"empty state", "bot: b\ninitial: s\nstates:\n  s:\n",
			`c.yaml:4:3: state "s" is empty (give it a reply: to say, and transitions under on:)`},
		{"wrong scalar type", head + "    reply:\n      type: image\n      width: abc\n",
			`c.yaml:7:14: width must be a whole number, not "abc" (write a number of 0 or more, like width: 640)`},
		{"a key without a value", head + "    reply:\n",
			`c.yaml:5:5: reply has no value (write a value after reply: or indent what belongs to it below it; or remove reply:)`},
		{"event in lower case", head + "    on:\n      - event: join_room\n",
			`c.yaml:6:16: event "join_room" is not an event name (event names are written in capitals: JOIN_ROOM)`},
		{"pattern on another event is left to framework.New", head + "    on:\n      - event: JOIN_ROOM\n        exact: hi\n",
			`c.yaml:6:9: JOIN_ROOM cannot match exact: hi (text patterns apply to MESSAGE only; remove the pattern or the event)`},
		{"New's chart-wide problem points at initial:", "bot: b\ninitial: x\nstates:\n  s:\n    reply: hi\n",
			`c.yaml:2:10: initial state "x" is not a state (use one of: s)`},
		{"New's missing initial points at the top", "bot: b\nstates:\n  s:\n    reply: hi\n",
			`c.yaml:1:1: the chart names no initial state (add initial: s (or another state))`},
		{"no name", "initial: s\nstates:\n  s:\n    reply: hi\n",
			`c.yaml:1:1: the chart has no bot: name (add bot: followed by the bot's name, at the top of the file)`},
		{"a text message without text", head + "    reply: {type: text}\n",
			`c.yaml:5:12: a text message has no text (add text:, or set type: for another kind of message (image, sticker, location, …))`},
		{"if: in a state", head + "    reply: hi\n    if: hour > 9\n",
			`c.yaml:6:5: unknown key "if" in state "s" (this key belongs to a transition: transitions are a list under a state's on:, each starting with "- ")`},
		{"global: under a state", head + "    reply: hi\n    global:\n      - exact: 菜单\n        to: s\n",
			`c.yaml:6:5: unknown key "global" in state "s" (global: is a top-level key; inside a state use on:)`},
		{"initial: in a state names one of its states", head + "    initial: waiting\n    states:\n      ask: {reply: hi}\n      done: {reply: bye}\n",
			`c.yaml:5:14: initial "waiting" of state "s" is not one of its states (name one of: ask, done)`},
		{"New's guard problem points at the transition", head + "    on:\n      - any: true\n        if: 'hour >= nine'\n",
			"c.yaml:6:9: guard \"hour >= nine\" does not compile: unknown name nine (1:9) (see GuardEnv for the names a guard can use: vars, session, text, event, state, room, sender, hour, minute, weekday, clock, date)"},
		{"New's time zone problem points at time_zone:", "bot: b\ninitial: s\ntime_zone: Asia/Shangai\nstates:\n  s:\n    reply: hi\n",
			`c.yaml:3:12: unknown time zone "Asia/Shangai" (use an IANA name such as "Asia/Shanghai")`},
		{"use: without a flow library", head + "    use: handoff\n",
			`c.yaml:5:10: state "s" uses the flow handoff, but no flow library is configured (load the chart with a chart.Loader whose Flows holds handoff.yaml, such as chart.Loader{Flows: os.DirFS("statecharts")}; or remove use:)`},
		{"a form's slot type, misspelt", head + "    form:\n      slots:\n        - {name: n, ask: 几件？, type: numbr}\n      on_complete: {to: s}\n",
			`c.yaml:7:37: "numbr" is not a slot type (did you mean number?)`},
		{"a form with states", head + "    form:\n      slots: [{name: n, ask: 几件？}]\n      on_complete: {to: s}\n    states:\n      a: {reply: a}\n",
			`c.yaml:8:5: state "s" is a form and has states: (remove states: — the form makes a child state per slot, ask_NAME, and confirm)`},
		{"a choice that cancels", head + "    form:\n      slots:\n        - {name: r, ask: 原因？, type: choice, choices: [坏了, 不要了]}\n      on_complete: {to: s}\n",
			`c.yaml:7:59: 不要了 cancels the form: it can never pick the choice 不要了 of slot "r" (remove it from the choices, or list the form's cancel: words without it (by default: 取消, 算了, 不要了, 不填了, 退出, cancel, quit))`},
		{"a choice that cancels no more", head + "    form:\n      slots:\n        - {name: r, ask: 原因？, type: choice, choices: [坏了, 不要了]}\n      cancel: [取消]\n      on_complete: {to: s}\n    on:\n      - {exact: x, to: t}\n",
			`c.yaml:11:10: target "t" is not a state (use one of: s, s/ask_r)`},
		{"New's slot problem points at the slot", head + "    form:\n      slots:\n        - name: n\n          ask: 编号？\n          type: regex\n          pattern: '[a-'\n      on_complete: {to: s}\n",
			"c.yaml:7:11: form \"s\", slot \"n\": pattern \"[a-\" does not compile: error parsing regexp: missing closing ]: `[a-`"},
		{"problems are sorted by position", head + "    on:\n      - any: no\n    repy: x\nbot: again\n",
			"c.yaml:6:14: any must be true or false, not \"no\" (write any: true or any: false)\n" +
				"c.yaml:7:5: unknown key \"repy\" in state \"s\" (did you mean reply?)\n" +
				"c.yaml:8:1: key \"bot\" appears twice in the chart (first at line 1) (remove one of them, or merge them into one)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile("c.yaml", []byte(tt.yaml), framework.Options{Handlers: handlers})
			require.Error(t, err)
			var ce *framework.ChartError
			require.True(t, errors.As(err, &ce), "%T: %v", err, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestReplyForms(t *testing.T) {
	c, err := Parse("r.yaml", []byte(`
bot: r
initial: s
error_reply:
  - "a: quoted"
  - text: |
      two
      lines
states:
  s:
    reply: >
      folded
      text
`))
	require.NoError(t, err)
	assert.Equal(t, framework.Send(
		framework.Message{Type: "text", Text: "a: quoted"},
		framework.Message{Type: "text", Text: "two\nlines"},
	), c.ErrorReply)
	assert.Equal(t, framework.Say("folded text"), c.States[0].Reply)
}

func TestExtraKeepsOrderAndTypes(t *testing.T) {
	c, err := Parse("e.yaml", []byte(`
bot: e
initial: s
states:
  s:
    reply:
      type: card
      extra:
        z: 1
        a: [1.5, "2", true, ~, 2024-01-02, "<b>"]
        m: {0x10: yes}
`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"z":1,"a":[1.5,"2",true,null,"2024-01-02","<b>"],"m":{"0x10":"yes"}}`, string(c.States[0].Reply[0].Extra))
	assert.Equal(t, `{"z":1,"a":[1.5,"2",true,null,"2024-01-02","<b>"],"m":{"0x10":"yes"}}`, string(c.States[0].Reply[0].Extra))
}

// TestAnchors checks that aliases reuse values, and that their dangers are
// caught: an alias inside itself, and a chart that explodes when expanded.
func TestAnchors(t *testing.T) {
	c, err := Parse("a.yaml", []byte(`
bot: a
initial: s
states:
  s:
    reply: hi
    on: &common
      - exact: 菜单
        to: s
  t:
    reply: there
    on: *common
`))
	require.NoError(t, err)
	assert.Equal(t, c.States[0].On, c.States[1].On)

	laughs := "bot: a\ninitial: s\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 1; i <= 8; i++ {
		laughs += "l" + string(rune('0'+i)) + ": &l" + string(rune('0'+i)) + " [" +
			"*l" + string(rune('0'+i-1)) + ", *l" + string(rune('0'+i-1)) + ", *l" + string(rune('0'+i-1)) + ", *l" + string(rune('0'+i-1)) + ", *l" + string(rune('0'+i-1)) +
			", *l" + string(rune('0'+i-1)) + ", *l" + string(rune('0'+i-1)) + ", *l" + string(rune('0'+i-1)) + ", *l" + string(rune('0'+i-1)) + ", *l" + string(rune('0'+i-1)) + "]\n"
	}
	_, err = Parse("a.yaml", []byte(laughs))
	assert.EqualError(t, err, "a.yaml:1:1: the chart has more than 1000000 values once its aliases are expanded (use fewer aliases (*name), or aliases of smaller values)")
}

func TestUTF16(t *testing.T) {
	text := "bot: u\ninitial: s\nstates:\n  s:\n    reply: 你好\n"
	data := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(text)) {
		data = append(data, byte(u), byte(u>>8))
	}
	c, err := Parse("u.yaml", data)
	require.NoError(t, err)
	assert.Equal(t, framework.Say("你好"), c.States[0].Reply)
}

func TestSuggestions(t *testing.T) {
	known := []string{"reply", "on", "to", "keywords", "all_of", "original_url"}
	tests := map[string]string{
		"repy":        "reply",
		"rpely":       "reply",
		"keywrods":    "keywords",
		"allof":       "all_of",
		"originalurl": "original_url",
		"tp":          "to",
		"xyz":         "",
		"reply_to":    "reply",
		"weather":     "",
	}
	for key, want := range tests {
		assert.Equal(t, want, closest(canonical(key), known), key)
	}
}

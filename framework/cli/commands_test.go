package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fsmbot/fsmbot/framework/cli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// result is what one command line did.
type result struct {
	code           int
	stdout, stderr string
}

// run runs app with args, stdin as its input, and no environment.
func run(t *testing.T, app cli.App, stdin string, args ...string) result {
	t.Helper()
	var out, errs bytes.Buffer
	code := app.Run(context.Background(), args, env(nil), cli.IO{In: strings.NewReader(stdin), Out: &out, Err: &errs})
	return result{code, out.String(), errs.String()}
}

// check asserts r's status, and that each want is in stdout, each regexp
// ("re:…") matches it.
func (r result) check(t *testing.T, code int, stdout []string, stderr []string) {
	t.Helper()
	assert.Equal(t, code, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	for _, w := range stdout {
		match(t, "stdout", r.stdout, w)
	}
	for _, w := range stderr {
		match(t, "stderr", r.stderr, w)
	}
}

func match(t *testing.T, name, got, want string) {
	t.Helper()
	if re, ok := strings.CutPrefix(want, "re:"); ok {
		assert.Regexp(t, regexp.MustCompile("(?m)"+re), got, name)
		return
	}
	assert.Contains(t, got, want, name)
}

// writeFile writes a file in dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// tiny is a small chart for the commands' tests: a greeting, a menu, a
// person to talk to.
const tiny = `bot: tiny
initial: start
fallback:
  reply: 不懂
states:
  start:
    on:
      - event: JOIN_ROOM
        to: menu
        reply: 欢迎
  menu:
    reply: 菜单
    on:
      - exact: 你好
        reply: 你好呀
      - keywords: [人工]
        to: human
  human:
    reply: 转人工
    on:
      - exact: 结束
        to: menu
    fallback: {}
`

// broken does not compile: the target of its transition on line 6 does
// not exist.
const broken = `bot: broken
initial: start
states:
  start:
    on:
      - exact: hi
        to: nowhere
`

func TestHelp(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"help", []string{"help"}, 0, []string{"faq serve [flags]", "faq chat", "faq test [flags] PATH...", "faq lint", "faq graph", "faq explain [flags] TEXT...", "faq help [COMMAND]"}, nil},
		{"-h", []string{"-h"}, 0, []string{"faq chat", "faq explain"}, nil},
		{"--help", []string{"--help"}, 0, []string{"faq chat", "faq explain"}, nil},
		{"help of a command", []string{"help", "test"}, 0, []string{"usage: faq test [flags] PATH...", "-coverage", "-chart FILE"}, nil},
		{"a command's -h", []string{"explain", "-h"}, 0, nil, []string{"usage: faq explain", "-json", "-state"}},
		{"serve's --help", []string{"serve", "--help"}, 0, nil, []string{"usage: faq serve", "-watch", "WEBHOOK_TOKEN"}},
		{"unknown command", []string{"frobnicate"}, 2, nil, []string{`unknown command "frobnicate"`, "faq lint"}},
		{"help of an unknown command", []string{"help", "frobnicate"}, 2, nil, []string{`unknown command "frobnicate"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run(t, faq, "", tc.args...).check(t, tc.code, tc.stdout, tc.stderr)
		})
	}
}

func TestLint(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "tiny.yaml", tiny)
	bad := writeFile(t, dir, "broken.yaml", broken)
	// A state nothing enters: the compiler warns, and lint does too; the
	// warning is printed once.
	unreachable := writeFile(t, dir, "unreachable.yaml", tiny+`  lost:
    reply: 迷路
    on:
      - exact: 回去
        to: menu
`)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"the embedded chart", []string{"lint"}, 0, nil, nil},
		{"a chart from disk", []string{"lint", "--chart", good}, 0, nil, nil},
		{"a chart that does not compile", []string{"lint", "-chart", bad}, 1, nil, []string{"re:^" + regexp.QuoteMeta(bad) + `:6:\d+: .*nowhere`}},
		{"a warning", []string{"lint", "--chart", unreachable}, 0, []string{"re:^" + regexp.QuoteMeta(unreachable) + `:\d+:\d+: warning: .*"lost"`}, nil},
		{"a missing file", []string{"lint", "--chart", filepath.Join(dir, "none.yaml")}, 1, nil, []string{"none.yaml"}},
		{"an argument", []string{"lint", "x.yaml"}, 2, nil, []string{`unexpected argument "x.yaml"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, faq, "", tc.args...)
			r.check(t, tc.code, tc.stdout, tc.stderr)
			if tc.name == "a warning" {
				assert.Equal(t, 1, strings.Count(r.stdout, `"lost"`), "one line for the unreachable state:\n%s", r.stdout)
			}
		})
	}
}

func TestGraph(t *testing.T) {
	good := writeFile(t, t.TempDir(), "tiny.yaml", tiny)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"mermaid by default", []string{"graph"}, 0, []string{"stateDiagram-v2", "handoff"}, nil},
		{"dot", []string{"graph", "--format", "dot"}, 0, []string{"digraph", "handoff"}, nil},
		{"a chart from disk", []string{"graph", "--chart", good, "--format=mermaid"}, 0, []string{"stateDiagram-v2", "human"}, nil},
		{"an unknown format", []string{"graph", "--format", "png"}, 2, nil, []string{`unknown format "png"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run(t, faq, "", tc.args...).check(t, tc.code, tc.stdout, tc.stderr)
		})
	}
}

func TestExplain(t *testing.T) {
	// A silent state to explain a message in: the FAQ's handoff answers by
	// the hour, and explain has the real clock.
	tinyChart := writeFile(t, t.TempDir(), "tiny.yaml", tiny)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"human-readable", []string{"explain", "转人工"}, 0, []string{
			"re:^start → handoff/waiting<start by \\*#\\d+: keywords: 转人工",
			"candidates:",
			"re:^  \\*#\\d+ +pattern missed +exact: 0",
			"re:^  \\*#\\d+ +fired +keywords: 转人工",
			"reply: 好的，已为您转接人工客服",
			"re:^time: match .*, total ",
		}, nil},
		{"flags after the text", []string{"explain", "结束人工", "--state", "handoff/waiting<menu"}, 0, []string{"re:^handoff/waiting → menu by handoff/waiting#0", "人工服务已结束"}, nil},
		{"several words", []string{"explain", "--chart", tinyChart, "--state=human", "你好", "在吗"}, 0, []string{"re:^human → human by human#fallback", "reply: none"}, nil},
		{"after --", []string{"explain", "--", "--json"}, 0, []string{"re:^start → start by \\*#fallback", "--json"}, nil},
		{"no text", []string{"explain", "--json"}, 2, nil, []string{"no message"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run(t, faq, "", tc.args...).check(t, tc.code, tc.stdout, tc.stderr)
		})
	}
}

func TestExplainJSON(t *testing.T) {
	r := run(t, faq, "", "explain", "--json", "转人工")
	require.Equal(t, 0, r.code, r.stderr)
	var trace struct {
		From       string  `json:"from_state"`
		To         string  `json:"to_state"`
		Transition string  `json:"transition"`
		Reply      *string `json:"reply"`
		Candidates []struct {
			ID, Label, Outcome string
		} `json:"candidates"`
		MatchNS *int64 `json:"match_ns"`
		TotalNS *int64 `json:"total_ns"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &trace), r.stdout)
	assert.Equal(t, "start", trace.From)
	assert.Equal(t, "handoff/waiting<start", trace.To)
	assert.NotEmpty(t, trace.Transition)
	require.NotNil(t, trace.Reply)
	assert.Contains(t, *trace.Reply, "人工客服")
	require.NotEmpty(t, trace.Candidates)
	last := trace.Candidates[len(trace.Candidates)-1]
	assert.Equal(t, "fired", last.Outcome)
	assert.Equal(t, trace.Transition, last.ID)
	assert.NotNil(t, trace.MatchNS)
	assert.NotNil(t, trace.TotalNS)

	// No reply is null, not "".
	r = run(t, faq, "", "explain", "--json", "--chart", writeFile(t, t.TempDir(), "tiny.yaml", tiny), "--state", "human", "在吗")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"reply": null`)
}

func TestTest(t *testing.T) {
	dir := t.TempDir()
	chart := writeFile(t, dir, "tiny.yaml", tiny)
	writeFile(t, dir, "ok/greet.yaml", `name: 问候
steps:
  - event: JOIN_ROOM
    expect: {state: menu, reply_contains: 欢迎}
  - say: 你好
    expect: {state: menu, reply: 你好呀}
`)
	writeFile(t, dir, "ok/human.yaml", `steps:
  - event: JOIN_ROOM
  - say: 转人工
    expect: {state: human}
  - say: 结束
    expect: {state: menu}
`)
	wrong := writeFile(t, dir, "bad/wrong.yaml", `name: 错的
steps:
  - event: JOIN_ROOM
    expect: {state: menu}
  - say: 转人工
    expect: {state: menu}
`)
	unparsable := writeFile(t, dir, "unparsable.yaml", "steps:\n  - sya: 你好\n")
	ok := filepath.Join(dir, "ok")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"passing", []string{"test", "--chart", chart, ok}, 0, []string{"re:^2 passed, 0 failed$"}, nil},
		{"verbose", []string{"test", "-v", "--chart", chart, ok}, 0, []string{"re:^ok   问候 \\(", "re:^ok   human \\("}, nil},
		{"coverage", []string{"test", "--chart", chart, "--coverage", ok}, 0, []string{
			"re:^ +4 of the 6 transitions written in the chart fired from at least one state$",
			"re:^coverage: 66\\.7% of transitions \\(4/6\\)$",
			"never taken:",
			"re:^  " + regexp.QuoteMeta(chart) + `:\d+:\d+: fallback  \[human#fallback\]$`,
			"re:^  " + regexp.QuoteMeta(chart) + `:\d+:\d+: fallback  \[\*#fallback\]$`,
			"re:^2 passed, 0 failed$",
		}, nil},
		{"failing", []string{"test", "--chart", chart, ok, wrong}, 1, []string{
			"re:^" + regexp.QuoteMeta(wrong) + `:5: say "转人工": state "human", want "menu"$`,
			"re:^    menu → human by menu#1: keywords: 人工$",
			"re:^    candidates:$",
			"re:^      menu#0 +pattern missed +exact: 你好$",
			"re:^2 passed, 1 failed$",
		}, nil},
		{"verbose failing", []string{"test", "-v", "--chart", chart, wrong}, 1, []string{"re:^FAIL 错的 \\("}, nil},
		{"no path", []string{"test"}, 2, nil, []string{"no transcripts"}},
		{"an empty directory", []string{"test", t.TempDir()}, 1, nil, []string{"no transcripts"}},
		{"a transcript that does not parse", []string{"test", unparsable}, 1, nil, []string{"unparsable.yaml:2"}},
		{"the embedded chart", []string{"test", ok}, 1, []string{`state "handoff/waiting<menu", want "human"`, "re:^0 passed, 2 failed$"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run(t, faq, "", tc.args...).check(t, tc.code, tc.stdout, tc.stderr)
		})
	}
}

func TestChat(t *testing.T) {
	chart := writeFile(t, t.TempDir(), "tiny.yaml", tiny)
	for _, tc := range []struct {
		name   string
		args   []string
		input  string
		stdout []string
	}{
		{"joins first", []string{"chat"}, "", []string{"re:^小优> 顾客，您好！欢迎来到优选商城", "re:^start → menu$"}},
		{"messages and state changes", []string{"chat"}, "你好\n转人工\n", []string{"re:^menu → handoff/waiting<menu$", "re:^      人工客服在线时间"}},
		{"no final newline, CRLF", []string{"chat"}, "你好\r\n转人工", []string{"re:^menu → handoff/waiting<menu$"}},
		{"the bot's nickname", []string{"chat", "--nickname", "bot"}, "", []string{"re:^bot> 顾客，您好"}},
		{"your nickname", []string{"chat", "--user", "李先生"}, "", []string{"re:^小优> 李先生，您好"}},
		{"/state", []string{"chat"}, "/state\n/state answers/points\n好的\n/state\n", []string{"re:^state: menu$", "re:^state: answers/points$", "re:^小优> 不客气"}},
		{"/event", []string{"chat"}, "/event ADD_MEMBERS\n/event DELETE_MEMBERS\n/event\n", []string{"re:^小优> 大家好", "re:^\\(no reply\\)$", "usage: /event"}},
		{"/event with members", []string{"chat"}, "/event ADD_MEMBERS 王五\n", []string{"re:^\\(no reply: no match\\)$"}},
		{"/reset", []string{"chat", "--room", "r"}, "转人工\n/reset\n/state\n", []string{"(new room r-2)", "re:^state: menu$"}},
		{"/quit", []string{"chat"}, "/quit\n转人工\n", nil},
		{"a bot command", []string{"chat", "--chart", chart}, "/start\n//x\n", []string{"re:^小优> 不懂$"}},
		{"/help", []string{"chat"}, "/help\n", []string{"commands: /event"}},
		{"not UTF-8", []string{"chat"}, "\xc4\xe3\xba\xc3\n", []string{"not UTF-8"}},
		{"a byte-order mark", []string{"chat"}, "\ufeff转人工\n", []string{"re:^menu → handoff/waiting<menu$"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, faq, tc.input, tc.args...)
			r.check(t, 0, tc.stdout, nil)
			if tc.name == "/quit" {
				assert.NotContains(t, r.stdout, "→ handoff")
			}
		})
	}
}

func TestChatUsage(t *testing.T) {
	run(t, faq, "", "chat", "hello").check(t, 2, nil, []string{`unexpected argument "hello"`})
}

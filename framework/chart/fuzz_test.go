package chart

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
)

// fuzzSeeds are small files in the syntax of statecharts and flows, beyond
// those in testdata.
var fuzzSeeds = []string{
	"bot: s\ninitial: a\ntime_zone: UTC\nglobal:\n  - exact: 菜单\n    to: a\nstates:\n  a:\n    initial: b\n    history: true\n    globals: false\n" +
		"    on_enter: {set: {x: 1, y: '{{.Text}}'}, call: c, reply: hi}\n    on_exit: {reply: bye}\n    states:\n      b:\n        on:\n" +
		"          - any: true\n            if: 'hour >= 9 && vars.x != \"\"'\n            guard: g\n            set: {z: true}\n            to: history\n",
	"bot: s\ninitial: a\nstates:\n  a:\n    use: f\n    with: {x: 1, y: '${x}'}\n  b:\n    use: g\n",
	"flow: f\ndescription: d\nparams: {x: 1, y: }\ninitial: a\nstates:\n  ${x}:\n    reply: '$${x} ${y} ${'\n  a:\n    use: f\n",
	"flow: f\nstates:\n  a:\n    use: g\n    with: {to: a}\n",
	"bot: s\ninitial: a\nstates:\n  a:\n    reply: hi\n    global: [x]\n    if: y\n    on:\n      - {exact: x, on_enter: {}, states: {}}\n",
	"bot: s\ninitial: a\nstates:\n  a:\n    form:\n      slots:\n        - name: o\n          ask: 订单号？\n          type: regex\n          pattern: '(?P<o>\\d{8})'\n" +
		"          invalid: [错, {type: sticker, sticker: x}]\n          max_attempts: 2\n          on_fail: {to: b, reply: 转人工}\n" +
		"        - {name: r, ask: 原因？, type: choice, choices: [{value: 坏了, synonyms: [破损, 算了]}, 不要了, 坏了]}\n        - {name: d, ask: 哪天, type: date}\n" +
		"      confirm: '{{.Vars.o}}？'\n      cancel: []\n      on_cancel: {to: b}\n      on_complete: {set: {x: 1}, call: c, to: b}\n      on_fail: {to: b}\n  b:\n    reply: hi\n",
	"flow: f\nstates:\n  a:\n    form:\n      slots: [{name: '${x}', ask: x, type: '${t}'}]\n      cancel: 取消\n      on_complete: {to: history}\n",
}

// fuzzFlow is a flow the fuzzed files may use as g.
const fuzzFlow = "flow: g\nparams:\n  to: history\nstates:\n  ask:\n    reply: ${to}\n    on:\n      - any: true\n        to: ${to}\n"

// FuzzParse checks that no file, however broken, crashes Parse, and that
// every problem it reports says where it is: a chart author must never get
// a stack trace or a message without a line. Each file is read as a chart
// without a flow library, as a chart whose library holds it as the flow f,
// and as that flow f, used twice by a chart.
//
//	go test ./framework/chart -run '^$' -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.yaml", "testdata/bad/*.yaml", "testdata/flows/*.yaml", "testdata/bad/flows/*.yaml"} {
		files, err := filepath.Glob(pattern)
		require.NoError(f, err)
		for _, file := range files {
			data, err := os.ReadFile(file)
			require.NoError(f, err)
			f.Add(data)
		}
	}
	for _, seed := range fuzzSeeds {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("f.yaml", data)
		checkParsed(t, c, err)

		l := Loader{Flows: fstest.MapFS{"f.yaml": {Data: data}, "g.yaml": {Data: []byte(fuzzFlow)}}}
		c, err = l.Parse("f.yaml", data)
		checkParsed(t, c, err)

		const usesF = "bot: c\ninitial: s\nstates:\n  s:\n    use: f\n    history: true\n  t:\n    use: f\n"
		c, err = l.Parse("c.yaml", []byte(usesF))
		checkParsed(t, c, err)
		if _, err := l.Compile("c.yaml", []byte(usesF), framework.Options{Handlers: handlers}); err != nil {
			var ce *framework.ChartError
			require.True(t, errors.As(err, &ce), "%T: %v", err, err)
			requirePositions(t, ce)
		}
	})
}

// checkParsed checks what Parse returned: problems with positions, or a
// chart whose states and transitions all have theirs.
func checkParsed(t *testing.T, c framework.Chart, err error) {
	t.Helper()
	if err != nil {
		var ce *framework.ChartError
		require.True(t, errors.As(err, &ce), "%T: %v", err, err)
		require.NotEmpty(t, ce.Problems)
		requirePositions(t, ce)
		require.Equal(t, framework.Chart{}, c)
		return
	}
	requirePos(t, c.Pos)
	for _, pos := range c.KeyPos {
		requirePos(t, pos)
	}
	for _, tr := range c.Global {
		requirePos(t, tr.Pos)
	}
	if c.Fallback != nil {
		requirePos(t, c.Fallback.Pos)
	}
	var walk func(states []framework.State)
	walk = func(states []framework.State) {
		for _, s := range states {
			requirePos(t, s.Pos)
			for _, tr := range s.On {
				requirePos(t, tr.Pos)
			}
			if s.Fallback != nil {
				requirePos(t, s.Fallback.Pos)
			}
			if f := s.Form; f != nil {
				for _, slot := range f.Slots {
					requirePos(t, slot.Pos)
					if slot.OnFail != nil {
						requirePos(t, slot.OnFail.Pos)
					}
				}
				for _, tr := range []framework.Transition{f.OnComplete, f.OnCancel, f.OnFail} {
					if !tr.Pos.IsZero() {
						requirePos(t, tr.Pos)
					}
				}
			}
			walk(s.States)
		}
	}
	walk(c.States)
	// A parsed chart must not crash framework.New either, and New's
	// problems must all point into the files.
	if _, err := framework.New(c, framework.Options{Handlers: handlers}); err != nil {
		var ce *framework.ChartError
		require.True(t, errors.As(err, &ce), "%T: %v", err, err)
		requirePositions(t, ce)
	}
}

func requirePositions(t *testing.T, ce *framework.ChartError) {
	t.Helper()
	for _, p := range ce.Problems {
		requirePos(t, p.Pos)
		require.NotEmpty(t, p.What)
		require.False(t, tags.MatchString(p.What+p.Fix), "a tag leaked: %q", p)
	}
}

func requirePos(t *testing.T, pos framework.Pos) {
	t.Helper()
	require.Contains(t, []string{"f.yaml", "c.yaml", "g.yaml"}, pos.File)
	require.GreaterOrEqual(t, pos.Line, 1, "%v", pos)
	require.GreaterOrEqual(t, pos.Col, 1, "%v", pos)
}

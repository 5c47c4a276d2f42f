package diagram

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
)

var update = flag.Bool("update", false, "rewrite golden files")

func graph(t testing.TB, name string) framework.Graph {
	t.Helper()
	c, ok := charts[name]
	require.True(t, ok, "no chart %q", name)
	bot, err := framework.New(c, options)
	require.NoError(t, err)
	return bot.Graph()
}

func names() []string {
	var list []string
	for name := range charts {
		list = append(list, name)
	}
	slices.Sort(list)
	return list
}

// TestGolden compares each chart's diagrams with
// testdata/golden/NAME.mmd and NAME.dot. After a deliberate change, run
// `go test ./framework/diagram -run Golden -update` and read the diff.
func TestGolden(t *testing.T) {
	for _, name := range names() {
		t.Run(name, func(t *testing.T) {
			g := graph(t, name)
			for ext, render := range map[string]func(framework.Graph) string{".mmd": Mermaid, ".dot": DOT} {
				got := render(g)
				golden := filepath.Join("testdata", "golden", name+ext)
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
					require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
					continue
				}
				want, err := os.ReadFile(golden)
				require.NoError(t, err, "run with -update to create it")
				assert.Equal(t, string(want), got, golden)
			}
		})
	}
}

// TestDeterministic renders each chart many times, from fresh compilations.
func TestDeterministic(t *testing.T) {
	for _, name := range names() {
		m, d := Mermaid(graph(t, name)), DOT(graph(t, name))
		for range 20 {
			g := graph(t, name)
			require.Equal(t, m, Mermaid(g), name)
			require.Equal(t, d, DOT(g), name)
		}
	}
}

// transitions lists every transition of g: the states', depth first, then
// the global ones and the chart's fallback.
func transitions(g framework.Graph) []framework.TransitionInfo {
	var list []framework.TransitionInfo
	var walk func([]framework.StateInfo)
	walk = func(states []framework.StateInfo) {
		for _, s := range states {
			list = append(list, s.On...)
			list = append(list, s.Fallbacks...)
			walk(s.Children)
		}
	}
	walk(g.States)
	list = append(list, g.Global...)
	if g.Fallback != nil {
		list = append(list, *g.Fallback)
	}
	return list
}

func allStates(list []framework.StateInfo) []framework.StateInfo {
	var all []framework.StateInfo
	for _, s := range list {
		all = append(all, s)
		all = append(all, allStates(s.Children)...)
	}
	return all
}

// TestEverythingDrawn checks that every state and every transition of each
// chart is in both diagrams, each transition as exactly one edge.
func TestEverythingDrawn(t *testing.T) {
	for _, name := range names() {
		t.Run(name, func(t *testing.T) {
			g := graph(t, name)
			mmd, dot := Mermaid(g), DOT(g)
			ids := mermaidIDs(newView(g))
			mmdLines := strings.Split(mmd, "\n")
			dotLines := strings.Split(dot, "\n")

			states := allStates(g.States)
			byPath := map[string]framework.StateInfo{}
			for _, s := range states {
				byPath[s.Path] = s
			}
			for _, s := range states {
				id := ids[s.Path]
				require.NotEmpty(t, id, s.Path)
				decl := `state "` + mermaidText(s.Name)
				assert.True(t, slices.ContainsFunc(mmdLines, func(l string) bool {
					l = strings.TrimSpace(l)
					return strings.HasPrefix(l, decl) && (strings.HasSuffix(l, " as "+id) || strings.HasSuffix(l, " as "+id+" {"))
				}), "Mermaid declares state %s as %s", s.Path, id)
				if len(s.Children) > 0 {
					assert.Contains(t, dot, "subgraph "+dotQuote("cluster_"+s.Path)+" {", s.Path)
					assert.Contains(t, dot, "label="+strings.TrimSuffix(dotLabel(s.Name), `"`), s.Path)
				} else {
					assert.Contains(t, dot, "\t"+dotQuote(s.Path)+` [label=`+strings.TrimSuffix(dotLabel(s.Name), `"`), s.Path)
				}
			}

			list := transitions(g)
			// Mermaid: each transition is an edge, or a line of a loop's
			// label, from its declaring state; edges may be redirected (see
			// mermaid.edges), labels then get a note.
			type mmdEdge struct{ from, to string }
			var mmdLabels []string
			mmdByLabel := map[string][]mmdEdge{}
			for _, l := range mmdLines {
				l = strings.TrimSpace(l)
				ends, label, ok := strings.Cut(l, " : ")
				from, to, isEdge := strings.Cut(ends, " --> ")
				if !ok || !isEdge || from == "[*]" {
					continue
				}
				for _, part := range strings.Split(label, "<br>") {
					mmdLabels = append(mmdLabels, part)
					mmdByLabel[part] = append(mmdByLabel[part], mmdEdge{from, to})
				}
			}
			assert.Len(t, mmdLabels, len(list), "one Mermaid label per transition")
			dotEdges := 0
			for _, l := range dotLines {
				if strings.Contains(l, " -> ") && !strings.Contains(l, "<start>") {
					dotEdges++
				}
			}
			assert.Equal(t, len(list), dotEdges, "one DOT edge per transition")

			for _, tr := range list {
				from, dotFrom := mermaidGlobal, dotGlobal
				if tr.From != "" {
					from, dotFrom = ids[tr.From], tr.From
				}
				// Mermaid draws an edge to a compound state to the leaf it
				// enters, a loop on a compound state as a loop.
				leaf := tr.To
				for leaf != tr.From && byPath[leaf].Initial != "" {
					leaf = byPath[leaf].Initial
				}
				to, dotTo := ids[leaf], tr.To
				switch tr.To {
				case "":
					to, dotTo = from, dotFrom
				case framework.History:
					to, dotTo = mermaidHistory, dotHistory
				}
				label := edgeLabel(tr)
				require.NotEmpty(t, label)
				text := mermaidText(label)
				found := false
				for part, edges := range mmdByLabel {
					if part != text && !strings.HasPrefix(part, text+" (re-enters ") && !strings.HasPrefix(part, text+" → ") {
						continue
					}
					for _, e := range edges {
						redirected := part != text
						found = found || e.from == from && (e.to == to || redirected ||
							tr.To == framework.History && strings.HasPrefix(e.to, mermaidHistory))
					}
				}
				assert.True(t, found, "Mermaid draws %s (%s) from %s to %s: %s", tr.ID, tr.Label(), from, to, text)
				dd := dotQuote(dotFrom) + " -> " + dotQuote(dotTo)
				assert.True(t, slices.ContainsFunc(dotLines, func(l string) bool {
					l = strings.TrimSpace(l)
					if tr.To == framework.History { // "<history>" or "OWNER/<history>"
						f, to, _ := strings.Cut(l, " -> ")
						return f == dotQuote(dotFrom) && strings.HasPrefix(to, `"`) && strings.Contains(to, dotHistory+`" `) &&
							strings.Contains(l, "label="+dotLabel(label))
					}
					return strings.HasPrefix(l, dd+" [") && strings.Contains(l, "label="+dotLabel(label))
				}), "DOT draws %s (%s) as %s [label=%s]", tr.ID, tr.Label(), dd, dotQuote(label))
			}
		})
	}
}

func TestMermaidIDs(t *testing.T) {
	g := graph(t, "nasty")
	ids := mermaidIDs(newView(g))
	assert.Equal(t, map[string]string{
		"end":               "s_end",
		"a b":               "a_u20_b",
		"a__b":              "a__b",
		"a":                 "a",
		"a/b":               "a__b_2",
		"1st":               "s_1st",
		`say "hi"; #1 {ok}`: "say_u20_u22_hi_u22_u3b_u20_u23_1_u20_u7b_ok_u7d",
	}, ids)

	assert.Equal(t, "u9000_u8d27", mermaidName("退货"))
	assert.Equal(t, "mixed_u20_u540d_u5b57", mermaidName("mixed 名字"))
	assert.Equal(t, "ask_order", mermaidName("ask_order"))
	assert.Equal(t, "_", mermaidName(""))

	cn := mermaidIDs(newView(graph(t, "chinese")))
	assert.Equal(t, "u552e_u540e__u95ee_u8ba2_u5355_u53f7", cn["售后/问订单号"])
	for _, id := range cn {
		for _, r := range id {
			assert.True(t, r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9', "id %q is not ASCII-safe", id)
		}
	}
}

func TestMermaidText(t *testing.T) {
	for in, want := range map[string]string{
		"keywords: a":       "keywords#58; a",
		"a;b":               "a#59;b",
		"#1":                "#35;1",
		`say "hi"`:          "say #34;hi#34;",
		"{x}":               "#123;x#125;",
		"line\nbreak":       "line break",
		"<b>":               "#60;b#62;",
		"退货 | 退款":           "退货 | 退款",
		`\d+ [ok] 50%`:      `\d+ [ok] 50%`,
		"a & `b`":           "a #38; #96;b#96;",
		"plain text 中文 (1)": "plain text 中文 (1)",
		"*em*":              "#42;em#42;",
		"_em_ a_b a__b _":   "#95;em#95; a_b a__b #95;",
		`\\ \* \d \`:        `#92;\ #92;#42; \d #92;`,
	} {
		assert.Equal(t, want, mermaidText(in), in)
	}
}

func TestDOTQuote(t *testing.T) {
	for in, want := range map[string]string{
		"menu":       `"menu"`,
		`say "hi"`:   `"say \"hi\""`,
		`\d+ \N`:     `"\\d+ \\N"`,
		"two\nlines": `"two\nlines"`,
		"退货/问订单号":    `"退货/问订单号"`,
		"trailing\\": `"trailing\\"`,
		"cr\r\nlf":   `"cr\nlf"`,
	} {
		assert.Equal(t, want, dotQuote(in), in)
	}
}

func TestEdgeLabel(t *testing.T) {
	long := framework.TransitionInfo{Event: framework.MessageEvent,
		Match: framework.Keywords("退货", "退款", "换货", "补寄", "发票", "物流", "快递", "优惠券", "会员", "积分", "地址", "客服")}
	for _, c := range []struct {
		t    framework.TransitionInfo
		want string
	}{
		{framework.TransitionInfo{Event: framework.MessageEvent, Match: framework.Exact("1", "退货")}, "exact: 1 | 退货"},
		{framework.TransitionInfo{Event: framework.JoinRoom}, "JOIN_ROOM"},
		{framework.TransitionInfo{Event: framework.MessageEvent, Match: framework.Keywords("人工"), Guard: "hour >= 9"}, "keywords: 人工 [hour >= 9]"},
		{framework.TransitionInfo{Event: framework.MessageEvent, Match: framework.AnyMessage(), Fallback: true}, "fallback"},
		{framework.TransitionInfo{Event: framework.MessageEvent, Match: framework.AnyMessage(), Fallback: true, Guard: "isVIP()"}, "fallback [isVIP()]"},
		{framework.TransitionInfo{Event: framework.MessageEvent, Match: framework.MessageType("image"), Fallback: true}, "fallback type: image"},
		{framework.TransitionInfo{Event: framework.MessageEvent, Match: framework.Regex(`\d+`), Action: framework.ActionInfo{Call: "lookup"}}, `regex: \d+ / lookup()`},
		{long, "keywords: 退货 | 退款 | 换货 | 补寄 | 发票 | 物流 …"},
		{framework.TransitionInfo{Event: framework.MessageEvent, Match: framework.AnyMessage(),
			Guard: `vars.a == "1234567890" && vars.b == "1234567890" && vars.c == ""`}, `any [vars.a == "1234567890" && vars.b == …]`},
	} {
		assert.Equal(t, c.want, edgeLabel(c.t), c.t.Label())
	}
}

func TestTruncate(t *testing.T) {
	assert.Equal(t, "short", truncate("short", 10))
	assert.Equal(t, "0123456789", truncate("0123456789", 10))
	assert.Equal(t, "012345678…", truncate("0123456789x", 10))
	assert.Equal(t, "一二三四五六七八九…", truncate("一二三四五六七八九十十一", 10))
	assert.Equal(t, "a | bb | cc …", truncate("a | bb | cc | dd | ee", 14))
	assert.LessOrEqual(t, len([]rune(truncate(strings.Repeat("退货 | ", 30), maxTrigger))), maxTrigger)
}

package faq

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadYAMLShop(t *testing.T) {
	kb, err := Load("testdata/shop.yaml")
	require.NoError(t, err)
	assert.Equal(t, "testdata/shop.yaml", kb.File)
	assert.Len(t, kb.Entries, 12)
	assert.Len(t, kb.Synonyms, 8)

	e := kb.Entry("refund_time")
	require.NotNil(t, e)
	assert.Equal(t, "退款多久到账？", e.Question)
	assert.Equal(t, []string{"钱什么时候退回来", "退款几天能到", "退款还没到账", "怎么还没收到退款", "退款进度在哪里看"}, e.Phrasings)
	assert.Equal(t, []string{"到账"}, e.Keywords)
	assert.Equal(t, []string{"售后"}, e.Tags)
	assert.Len(t, e.Answer, 2, "a list of variants")
	assert.Equal(t, framework.Pos{File: "testdata/shop.yaml", Line: 32, Col: 5}, e.Pos)

	assert.Equal(t, "menu", kb.Entry("delivery_time").Next)
	// A | block loses its final line break.
	assert.False(t, strings.HasSuffix(kb.Entry("return_policy").Answer[0].Text, "\n"))
	// A message of another type.
	assert.Equal(t, framework.Send(framework.Message{
		Type:         "image",
		OriginalURL:  "https://example.com/coupons.png",
		ThumbnailURL: "https://example.com/coupons-small.png",
	}), kb.Entry("coupons").Answer)
	assert.Nil(t, kb.Entry("nope"))
}

func TestLoadYAMLAnswers(t *testing.T) {
	kb, err := LoadYAML("kb.yaml", []byte(`
x-hours: &hours "9:00–22:00"
entries:
  - id: text
    question: 问题一
    answer: 文本
  - id: variants
    question: 问题二
    answer: [一, {type: sticker, sticker: "123"}]
  - id: message
    question: 问题三
    answer: {type: location, latitude: 31.2, longitude: 121.5, extra: {shop: [1, 2], open: true}}
  - id: template
    question: 问题四
    answer: "{{.Sender.Nickname}}，客服时间 {{printf \"%s\" \"9:00\"}}"
  - id: anchor
    question: 问题五
    answer: *hours
    tags: 单个标签
    phrasings: 一个说法
`))
	require.NoError(t, err)
	assert.Equal(t, framework.Say("文本"), kb.Entries[0].Answer)
	assert.Equal(t, framework.Reply{{Type: "text", Text: "一"}, {Type: "sticker", Sticker: "123"}}, kb.Entries[1].Answer)
	m := kb.Entries[2].Answer[0]
	assert.Equal(t, "location", m.Type)
	assert.Equal(t, 31.2, m.Latitude)
	var extra map[string]any
	require.NoError(t, json.Unmarshal(m.Extra, &extra))
	assert.Equal(t, map[string]any{"shop": []any{1.0, 2.0}, "open": true}, extra)
	assert.Equal(t, framework.Say("9:00–22:00"), kb.Entries[4].Answer)
	assert.Equal(t, []string{"单个标签"}, kb.Entries[4].Tags)
	assert.Equal(t, []string{"一个说法"}, kb.Entries[4].Phrasings)
}

// TestLoadYAMLErrors: every problem is reported, at file:line:col.
func TestLoadYAMLErrors(t *testing.T) {
	const entry = "  - id: a\n    question: 问题\n    answer: 回答\n"
	tests := []struct {
		name, yaml string
		want       []string // each a problem's start, in order
	}{
		{"empty file", "", []string{"kb.yaml:1:1: the file is empty"}},
		{"comments only", "# nothing\n", []string{"kb.yaml:1:1: the file is empty"}},
		{"not a mapping", "- a\n- b\n", []string{"kb.yaml:1:1: the file holds a list, not a knowledge base"}},
		{"no entries", "synonyms: [[a, b]]\n", []string{"kb.yaml:1:1: the file has no entries:"}},
		{"empty entries", "entries: []\n", []string{"kb.yaml:1:10: entries is an empty list"}},
		{"syntax error", "entries:\n  - id: a\n    question: \"unclosed\n", []string{"kb.yaml:3:1: YAML syntax error"}},
		{"tab", "entries:\n\t- id: a\n", []string{"kb.yaml:2:1: YAML syntax error"}},
		{"second document", "entries:\n" + entry + "---\nentries: []\n", []string{"kb.yaml:5:1: YAML syntax error: the file holds a second YAML document"}},
		{"not UTF-8", "entries:\n  - id: \xff\n", []string{"kb.yaml:2:9: the file is not UTF-8 text"}},
		{"control character", "entries:\n  - id: a\x01\n", []string{"kb.yaml:2:10: the file contains the control character U+0001"}},
		{
			"unknown keys",
			"entrys: []\nentries:\n  - id: a\n    question: 问题\n    answr: 回答\n    answer: 回答\n",
			[]string{
				"kb.yaml:1:1: the file has an unknown key entrys: (did you mean entries:?",
				"kb.yaml:5:5: an entry has an unknown key answr: (did you mean answer:?",
			},
		},
		{"unknown message key", "entries:\n  - id: a\n    question: 问题\n    answer: {type: image, url: x, colour: red}\n",
			[]string{"kb.yaml:4:35: a message has an unknown key colour:"}},
		{"repeated key", "entries:\n  - id: a\n    question: 问题\n    question: 问题二\n    answer: 回答\n",
			[]string{"kb.yaml:4:5: an entry has question: twice (remove one of them: the first is on line 3)"}},
		{
			"duplicate ids",
			"entries:\n" + entry + "  - id: a\n    question: 另一个问题\n    answer: 回答\n",
			[]string{`kb.yaml:5:9: duplicate id "a" (ids name one entry each: the other a is on line 2)`},
		},
		{
			"missing fields",
			"entries:\n  - phrasings: [说法]\n",
			[]string{
				"kb.yaml:2:5: an entry has no id:",
				"kb.yaml:2:5: the entry  has no question:",
				"kb.yaml:2:5: the entry  has no answer:",
			},
		},
		{"bad id", "entries:\n  - id: refund time\n    question: 问题\n    answer: 回答\n", []string{`kb.yaml:2:9: the id "refund time" contains ' '`}},
		{"reserved id", "entries:\n  - id: none\n    question: 问题\n    answer: 回答\n", []string{`kb.yaml:2:9: the id "none" is reserved`}},
		{"blank question", "entries:\n  - id: a\n    question: \"  \"\n    answer: 回答\n", []string{"kb.yaml:3:15: question is blank"}},
		{"question without words", "entries:\n  - id: a\n    question: ？？\n    answer: 回答\n", []string{`kb.yaml:3:15: the question "？？" has no letters, digits or Chinese characters to match`}},
		{"empty phrasings", "entries:\n" + entry + "    phrasings: []\n", []string{"kb.yaml:5:16: phrasings is an empty list (write at least one, or remove phrasings:)"}},
		{"blank phrasing", "entries:\n" + entry + "    phrasings: [说法, \"\"]\n", []string{"kb.yaml:5:21: an item of phrasings is blank"}},
		{"null phrasing", "entries:\n" + entry + "    phrasings:\n      - 说法\n      -\n", []string{"kb.yaml:7:8: an item of phrasings must be a text, not nothing"}},
		{"phrasing without words", "entries:\n" + entry + "    phrasings: [\"!!!\"]\n", []string{`kb.yaml:5:17: the phrasing "!!!" has no letters`}},
		{"phrasings not a list", "entries:\n" + entry + "    phrasings: {a: b}\n", []string{"kb.yaml:5:16: phrasings must be a list of texts, not a mapping"}},
		{
			"phrasing of two entries",
			"entries:\n" + entry + "    phrasings: [怎么退款]\n  - id: b\n    question: 问题二\n    phrasings: [怎么退款？]\n    answer: 回答\n",
			[]string{`kb.yaml:8:17: the phrasing "怎么退款？" belongs to two entries (keep it in one entry: it is also in a, line 5)`},
		},
		{
			"phrasing written twice",
			"entries:\n" + entry + "    phrasings: [问题]\n",
			[]string{`kb.yaml:5:17: the phrasing "问题" is written twice in a (remove it: it says the same as line 3)`},
		},
		{
			"synonyms make phrasings the same",
			"synonyms: [[退款, 退钱]]\nentries:\n  - id: a\n    question: 怎么退款\n    answer: 回答\n  - id: b\n    question: 怎么退钱\n    answer: 回答\n",
			[]string{`kb.yaml:7:15: the question "怎么退钱" belongs to two entries`},
		},
		{"empty answer", "entries:\n  - id: a\n    question: 问题\n    answer: []\n", []string{"kb.yaml:4:13: answer is an empty list"}},
		{"blank answer", "entries:\n  - id: a\n    question: 问题\n    answer: \" \"\n", []string{"kb.yaml:4:13: the answer is blank"}},
		{"bad template", "entries:\n  - id: a\n    question: 问题\n    answer: \"{{.Sender\"\n", []string{"kb.yaml:4:13: the answer's template does not parse"}},
		{"text message without text", "entries:\n  - id: a\n    question: 问题\n    answer: {type: text}\n", []string{"kb.yaml:4:13: a text message has no text"}},
		{"bad number", "entries:\n  - id: a\n    question: 问题\n    answer: {type: location, latitude: 100}\n", []string{"kb.yaml:4:40: latitude must be a number"}},
		{"entries not a list", "entries: {a: 1}\n", []string{"kb.yaml:1:10: entries must be a list, not a mapping"}},
		{"entry not a mapping", "entries:\n  - 问题\n", []string{`kb.yaml:2:5: an entry must be a mapping, not "问题"`}},
		{"synonyms not groups", "synonyms: [退款, 退钱]\nentries:\n" + entry, []string{"kb.yaml:1:12: a synonym group must be a list", "kb.yaml:1:16: a synonym group must be a list"}},
		{"one-word group", "synonyms: [[退款]]\nentries:\n" + entry, []string{"kb.yaml:1:12: a synonym group has only 1 word"}},
		{"synonym in two groups", "synonyms:\n  - [退款, 退钱]\n  - [退钱, 返现]\nentries:\n" + entry, []string{`kb.yaml:3:6: the synonym "退钱" is in two groups`}},
		{"synonym without words", "synonyms: [[退款, \"?\"]]\nentries:\n" + entry, []string{`kb.yaml:1:17: the synonym "?" has no letters`}},
		{"alias loop", "entries: &e [{id: a, question: q, answer: *e}]\n", []string{"kb.yaml:1:43: the alias *e is inside the value it names"}},
		{"alias bomb", aliasBomb(), []string{"kb.yaml:2:1: the file's aliases expand to more than 100000 values"}},
		{"aliased problem reported once", "x-a: &a {type: text}\nentries:\n  - {id: a, question: 问题一, answer: [*a, *a]}\n  - {id: b, question: 问题二, answer: *a}\n",
			[]string{"kb.yaml:1:6: a text message has no text"}},
		{"entries_csv without a file system", "entries_csv: faq.csv\n", []string{
			"kb.yaml:1:14: entries_csv: names a second file, which LoadYAML cannot read (load the knowledge base with faq.Load or faq.LoadFS",
		}},
		{"misspelt entries_csv", "entries_cvs: faq.csv\n", []string{
			"kb.yaml:1:1: the file has an unknown key entries_cvs: (did you mean entries_csv:?",
			"kb.yaml:1:1: the file has no entries:",
		}},
		{"merge key", "entries:\n  - <<: {id: a}\n    question: 问题\n    answer: 回答\n", []string{"kb.yaml:2:5: an entry uses a merge key", "kb.yaml:2:5: an entry has no id:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kb, err := LoadYAML("kb.yaml", []byte(tt.yaml))
			require.Error(t, err)
			assert.Nil(t, kb)
			var e *Error
			require.True(t, errors.As(err, &e))
			require.Len(t, e.Problems, len(tt.want), err.Error())
			for i, w := range tt.want {
				assert.True(t, strings.HasPrefix(e.Problems[i].String(), w), "got  %s\nwant %s", e.Problems[i], w)
			}
			assert.Equal(t, len(tt.want), strings.Count(err.Error(), "\n")+1)
		})
	}
}

// aliasBomb is a file whose aliases expand to 9^11 values.
func aliasBomb() string {
	s, prev := "x-a: &a [x, x, x, x, x, x, x, x, x]\n", "a"
	for _, n := range "bcdefghijk" {
		s += fmt.Sprintf("x-%c: &%c [%s]\n", n, n, strings.TrimSuffix(strings.Repeat("*"+prev+", ", 9), ", "))
		prev = string(n)
	}
	return s + "synonyms: *" + prev + "\nentries: [{id: a, question: q, answer: a}]\n"
}

func TestLoadYAMLSynonymSpelledTwice(t *testing.T) {
	// 优惠劵 is folded to 优惠券: the same word twice in a group is harmless.
	kb, err := LoadYAML("kb.yaml", []byte("synonyms: [[优惠券, 优惠劵, coupon]]\nentries:\n  - id: a\n    question: 问题\n    answer: 回答\n"))
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"优惠券", "coupon"}}, kb.Synonyms)
}

func TestLoadCSV(t *testing.T) {
	kb, err := Load("testdata/shop.csv")
	require.NoError(t, err)
	require.Len(t, kb.Entries, 4)
	e := kb.Entries[2]
	assert.Equal(t, "shipping_fee", e.ID)
	assert.Equal(t, []string{"包邮吗", "多少钱包邮"}, e.Phrasings)
	assert.Equal(t, []string{"运费", "包邮"}, e.Keywords)
	assert.Equal(t, framework.Say("单笔订单实付满99元包邮，未满99元收取运费8元。\n偏远地区运费15元。"), e.Answer)
	assert.Equal(t, framework.Pos{File: "testdata/shop.csv", Line: 4, Col: 1}, e.Pos)
	assert.Equal(t, "menu", kb.Entries[1].Next)
	assert.Equal(t, []string{"订单", "财务"}, kb.Entries[3].Tags)

	r := NewIndex(kb, Options{}).Search("退貨流程是什麼")
	assert.Equal(t, "return_policy", r.Best.ID)
}

func TestLoadCSVColumnsInAnyOrder(t *testing.T) {
	kb, err := LoadCSV("kb.csv", []byte("Answer, ID ,Question\n回答,a,问题\n"))
	require.NoError(t, err)
	assert.Equal(t, []Entry{{ID: "a", Question: "问题", Answer: framework.Say("回答"), Pos: framework.Pos{File: "kb.csv", Line: 2, Col: 1}}}, kb.Entries)
}

func TestLoadCSVErrors(t *testing.T) {
	const header = "id,question,phrasings,answer\n"
	tests := []struct {
		name, csv string
		want      []string
	}{
		{"empty", "", []string{"kb.csv:1:1: the file is empty"}},
		{"header only", header, []string{"kb.csv:1:1: the file has no entries"}},
		{"unknown column", "id,question,answr\n", []string{
			"kb.csv:1:1: the header has no column answer",
			`kb.csv:1:13: unknown column "answr" (did you mean answer?`,
		}},
		{"repeated column", "id,question,answer,id\n", []string{"kb.csv:1:20: the column id appears twice"}},
		{"duplicate id", header + "a,问题一,,回答\nb,问题二,,回答\na,问题三,,回答\n", []string{`kb.csv:4:1: duplicate id "a" (ids name one entry each: the other a is on line 2)`}},
		{"blank id", header + ",问题,,回答\n", []string{"kb.csv:2:1: the id is blank"}},
		{"blank question and answer", header + "a,,,\n", []string{"kb.csv:2:3: the question is blank", "kb.csv:2:5: the answer is blank"}},
		{"empty phrasing", header + "a,问题,说法一||说法二,回答\n", []string{"kb.csv:2:6: phrasings has an empty item"}},
		{"phrasing of two entries", header + "a,问题一,怎么退款,回答\nb,问题二,怎么退款？,回答\n", []string{`kb.csv:3:7: the phrasing "怎么退款？" belongs to two entries`}},
		{"field count", header + "a,问题,回答\n", []string{"kb.csv:2:1: the row has 3 fields, the header 4"}},
		{"quotes", header + "a,问题,\"说法,回答\n", []string{"kb.csv:2:"}},
		{"bare quote", header + "a,问\"题,,回答\n", []string{"kb.csv:2:4: CSV syntax error"}},
		{"not UTF-8 (GBK)", header + "a,\xce\xca\xcc\xe2,,\xbb\xd8\xb4\xf0\n", []string{"kb.csv:2:1: the file is not UTF-8 text"}},
		{"bad template", header + "a,问题,,{{.Text\n", []string{"kb.csv:2:7: the answer's template does not parse"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kb, err := LoadCSV("kb.csv", []byte(tt.csv))
			require.Error(t, err)
			assert.Nil(t, kb)
			var e *Error
			require.True(t, errors.As(err, &e), err.Error())
			require.Len(t, e.Problems, len(tt.want), err.Error())
			for i, w := range tt.want {
				assert.True(t, strings.HasPrefix(e.Problems[i].String(), w), "got  %s\nwant %s", e.Problems[i], w)
			}
		})
	}
}

func TestLoadFS(t *testing.T) {
	fsys := fstest.MapFS{
		"kb/shop.yml": {Data: []byte("entries:\n  - id: a\n    question: 问题\n    answer: 回答\n")},
		"kb/shop.CSV": {Data: []byte("id,question,answer\na,问题,回答\n")},
		"kb/shop.txt": {Data: []byte("a")},
	}
	for _, name := range []string{"kb/shop.yml", "kb/shop.CSV"} {
		kb, err := LoadFS(fsys, name)
		require.NoError(t, err, name)
		assert.Equal(t, name, kb.File)
		assert.Equal(t, "a", kb.Entries[0].ID)
	}
	_, err := LoadFS(fsys, "kb/shop.txt")
	assert.ErrorContains(t, err, "kb/shop.txt: a knowledge base is a .yaml, .yml or .csv file")
	_, err = LoadFS(fsys, "kb/missing.yaml")
	assert.Error(t, err)
	_, err = Load("testdata/missing.yaml")
	assert.Error(t, err)
}

// sheetYAML keeps the synonyms of a knowledge base whose entries are mostly
// in a spreadsheet, sheetCSV.
const (
	sheetYAML = `synonyms:
  - [退款, 退钱, 退费, refund]
entries:
  - id: hours
    question: 客服几点上班？
    answer: 每天 9:00–22:00。
entries_csv: sheet/faq.csv
`
	sheetCSV = "id,question,phrasings,answer\n" +
		"refund_time,退款多久到账？,钱什么时候退回来|退款几天能到,退款按原支付方式退回。\n" +
		"shipping_fee,运费怎么算？,包邮吗,满99元包邮。\n"
)

func TestLoadEntriesCSV(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"kb/faq.yaml": sheetYAML, "kb/sheet/faq.csv": sheetCSV, "kb/missing.yaml": "entries_csv: none.csv\n"} {
		name = filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(name), 0o755))
		require.NoError(t, os.WriteFile(name, []byte(data), 0o644))
	}
	fsys := fstest.MapFS{
		"kb/faq.yaml":      {Data: []byte(sheetYAML)},
		"kb/sheet/faq.csv": {Data: []byte(sheetCSV)},
	}
	tests := []struct {
		name      string
		load      func() (*KnowledgeBase, error)
		yaml, csv string // the names the knowledge base and the CSV file go by
	}{
		{
			"LoadFS",
			func() (*KnowledgeBase, error) { return LoadFS(fsys, "kb/faq.yaml") },
			"kb/faq.yaml", "kb/sheet/faq.csv",
		},
		{
			"Load",
			func() (*KnowledgeBase, error) { return Load(filepath.Join(dir, "kb", "faq.yaml")) },
			filepath.Join(dir, "kb", "faq.yaml"), filepath.Join(dir, "kb", "sheet", "faq.csv"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kb, err := tt.load()
			require.NoError(t, err)
			assert.Equal(t, tt.yaml, kb.File)
			assert.Equal(t, [][]string{{"退款", "退钱", "退费", "refund"}}, kb.Synonyms)
			var ids []string
			for _, e := range kb.Entries {
				ids = append(ids, e.ID)
			}
			assert.Equal(t, []string{"hours", "refund_time", "shipping_fee"}, ids, "the YAML's entries, then the CSV's")
			assert.Equal(t, framework.Pos{File: tt.yaml, Line: 4, Col: 5}, kb.Entry("hours").Pos)
			e := kb.Entry("refund_time")
			assert.Equal(t, framework.Pos{File: tt.csv, Line: 2, Col: 1}, e.Pos)
			assert.Equal(t, []string{"钱什么时候退回来", "退款几天能到"}, e.Phrasings)

			// The synonyms apply to the CSV file's entries.
			ix := NewIndex(kb, Options{})
			r := ix.Search("退钱几天能到")
			assert.Equal(t, Answer, r.Decision)
			require.NotNil(t, r.Best)
			assert.Equal(t, "refund_time", r.Best.ID)
			r = ix.Search("refund")
			require.NotEmpty(t, r.Hits)
			assert.Equal(t, "refund_time", r.Hits[0].Entry.ID)
		})
	}

	// Without them, the spreadsheet alone knows no "refund".
	plain, err := LoadCSV("faq.csv", []byte(sheetCSV))
	require.NoError(t, err)
	assert.Empty(t, NewIndex(plain, Options{}).Search("refund").Hits)

	_, err = Load(filepath.Join(dir, "kb", "missing.yaml"))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), filepath.Join(dir, "kb", "missing.yaml")+":1:14: entries_csv: open "+filepath.Join(dir, "kb", "none.csv")), err.Error())
}

// TestLoadEntriesCSVErrors: a YAML file's problems name it, its CSV file's
// problems name the CSV file, and the checks across entries span both.
func TestLoadEntriesCSVErrors(t *testing.T) {
	const (
		header  = "id,question,phrasings,answer\n"
		include = "entries_csv: faq.csv\n"
	)
	tests := []struct {
		name, yaml, csv string // no kb/faq.csv when csv is "-"
		want            []string
	}{
		{"missing file", "entries_csv: none.csv\n", header + "a,问题,,回答\n", []string{
			"kb/faq.yaml:1:14: entries_csv: open kb/none.csv: file does not exist (write the path of the CSV file relative to this file)",
		}},
		{"not a text", "entries_csv: [faq.csv]\n", "-", []string{"kb/faq.yaml:1:14: entries_csv must be a text, not a list"}},
		{"not a CSV file", "entries_csv: faq.xlsx\n", "-", []string{"kb/faq.yaml:1:14: entries_csv: faq.xlsx is not a .csv file"}},
		{"absolute path", "entries_csv: /kb/faq.csv\n", "-", []string{"kb/faq.yaml:1:14: entries_csv: /kb/faq.csv is not a relative path"}},
		{"empty CSV file", include, "", []string{"kb/faq.csv:1:1: the file is empty"}},
		{"CSV problem", include, header + "a,,,回答\n", []string{"kb/faq.csv:2:3: the question is blank"}},
		{"CSV syntax error", include, header + "a,问\"题,,回答\n", []string{"kb/faq.csv:2:4: CSV syntax error"}},
		{
			"duplicate id across files",
			"entries:\n  - id: a\n    question: 问题一\n    answer: 回答\n" + include,
			header + "b,问题二,,回答\na,问题三,,回答\n",
			[]string{`kb/faq.csv:3:1: duplicate id "a" (ids name one entry each: the other a is on kb/faq.yaml:2)`},
		},
		{
			"synonyms make texts of two files the same",
			"synonyms: [[退款, 退钱]]\nentries:\n  - id: a\n    question: 怎么退款\n    answer: 回答\n" + include,
			header + "b,问题,怎么退钱,回答\n",
			[]string{`kb/faq.csv:2:6: the phrasing "怎么退钱" belongs to two entries (keep it in one entry: it is also in a, kb/faq.yaml:4)`},
		},
		{
			"synonyms make texts of the CSV file the same",
			"synonyms: [[退款, 退钱]]\n" + include,
			header + "a,怎么退款,,回答\nb,问题,怎么退钱,回答\n",
			[]string{`kb/faq.csv:3:6: the phrasing "怎么退钱" belongs to two entries (keep it in one entry: it is also in a, line 2)`},
		},
		{
			"the YAML file's problems first",
			include + "\nsynonyms: [[退款]]\n",
			header + "a,,,回答\n",
			[]string{"kb/faq.yaml:3:12: a synonym group has only 1 word", "kb/faq.csv:2:3: the question is blank"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"kb/faq.yaml": {Data: []byte(tt.yaml)}}
			if tt.csv != "-" {
				fsys["kb/faq.csv"] = &fstest.MapFile{Data: []byte(tt.csv)}
			}
			kb, err := LoadFS(fsys, "kb/faq.yaml")
			require.Error(t, err)
			assert.Nil(t, kb)
			var e *Error
			require.True(t, errors.As(err, &e), err.Error())
			require.Len(t, e.Problems, len(tt.want), err.Error())
			for i, w := range tt.want {
				assert.True(t, strings.HasPrefix(e.Problems[i].String(), w), "got  %s\nwant %s", e.Problems[i], w)
			}
		})
	}
}

func TestLoadQueries(t *testing.T) {
	qs, err := LoadQueries("q.tsv", []byte("\ufeff# comment\n\n退款多久到账\trefund_time\r\n 今天天气怎么样 \t none \n"))
	require.NoError(t, err)
	assert.Equal(t, []Query{
		{Text: "退款多久到账", Expected: "refund_time", Line: 3},
		{Text: "今天天气怎么样", Expected: "none", Line: 4},
	}, qs)

	_, err = LoadQueries("q.tsv", []byte("no tab here\n\trefund\n问题\t\n问题\ta\tb\n"))
	require.Error(t, err)
	assert.Equal(t, strings.Join([]string{
		"q.tsv:1:1: the line has no tab (separate the question and the entry id with a tab)",
		"q.tsv:2:1: the question is blank (write the question before the tab)",
		`q.tsv:3:8: the entry id is blank (write the id of the entry that answers it, or "none")`,
		"q.tsv:4:1: the line has more than two fields (write the question, a tab, and one entry id)",
	}, "\n"), err.Error())
}

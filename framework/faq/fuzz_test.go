package faq

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
)

// FuzzSearch: any text is a question; the result is always well formed.
//
//	go test -fuzz FuzzSearch -fuzztime 30s ./framework/faq
func FuzzSearch(f *testing.F) {
	for _, file := range []string{"testdata/dev.tsv", "testdata/test.tsv"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		qs, err := LoadQueries(file, data)
		if err != nil {
			f.Fatal(err)
		}
		for _, q := range qs {
			f.Add(q.Text)
		}
	}
	for _, s := range []string{"", " ", "？", "😀", "\xff", "refnd", "ＲＥＦＵＮＤ", "退 款", strings.Repeat("退", 300), "a\u0301", "ｶﾀｶﾅ", "\u200b退款"} {
		f.Add(s)
	}
	ix := shopIndex(f, Options{})
	max := ix.Options().MaxSuggestions
	f.Fuzz(func(t *testing.T, q string) {
		r := ix.Search(q)
		if len(r.Hits) > maxHits {
			t.Fatalf("%d hits", len(r.Hits))
		}
		seen := map[*Entry]bool{}
		for i, h := range r.Hits {
			if h.Entry == nil || seen[h.Entry] {
				t.Fatalf("hit %d: entry %v listed twice or nil", i, h.Entry)
			}
			seen[h.Entry] = true
			if math.IsNaN(h.Score) || math.IsInf(h.Score, 0) || h.Score < 0 {
				t.Fatalf("hit %d scores %v", i, h.Score)
			}
			if i > 0 && h.Score > r.Hits[i-1].Score && r.Decision != Answer {
				t.Fatalf("hits out of order: %s", describeResult(r))
			}
		}
		switch r.Decision {
		case Answer:
			if r.Best == nil || r.Best != r.Hits[0].Entry || r.Suggestions() != nil {
				t.Fatalf("answer: %s", describeResult(r))
			}
		case Suggest:
			if s := r.Suggestions(); r.Best != nil || len(s) == 0 || len(s) > max {
				t.Fatalf("suggest: %s", describeResult(r))
			}
		case None:
			if r.Best != nil || r.Suggestions() != nil {
				t.Fatalf("none: %s", describeResult(r))
			}
		}
		if len(r.Hits) > 0 && r.Score != r.Hits[0].Score {
			t.Fatalf("score %v, best hit %v", r.Score, r.Hits[0].Score)
		}
	})
}

// FuzzLoadYAML: any file either loads into a knowledge base whose every
// question finds its entry, or fails with problems that say where.
//
//	go test -fuzz FuzzLoadYAML -fuzztime 30s ./framework/faq
func FuzzLoadYAML(f *testing.F) {
	shop, err := os.ReadFile("testdata/shop.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(shop))
	for _, s := range []string{
		"",
		"entries:\n  - id: a\n    question: 问题\n    answer: 回答\n",
		"synonyms: [[退款, 退钱]]\nentries:\n  - id: a\n    question: 怎么退款\n    phrasings: [退钱]\n    keywords: [退]\n    answer: [回答, {type: image, original_url: x}]\n",
		"entries:\n  - &e {id: a, question: q, answer: a}\n  - *e\n",
		"x-a: &a [1, 2]\nentries: *a\n",
		"entries:\n  - id: a\n    question: \"{{\"\n    answer: \"{{.Text}}\"\n    next: menu\n    tags: [x]\n",
		"entries: [{id: a, question: 问题, answer: {type: location, latitude: 1, extra: {a: [1, {b: null}]}}}]\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		kb, err := LoadYAML("kb.yaml", []byte(data))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || len(e.Problems) == 0 {
				t.Fatalf("error without problems: %v", err)
			}
			for _, p := range e.Problems {
				if p.Pos.File != "kb.yaml" || p.Pos.Line < 1 || p.Pos.Col < 1 || p.What == "" {
					t.Fatalf("problem without a place: %+v", p)
				}
			}
			if kb != nil {
				t.Fatal("a knowledge base and an error")
			}
			return
		}
		ids := map[string]bool{}
		for _, e := range kb.Entries {
			if e.ID == "" || ids[e.ID] || e.Question == "" || len(e.Answer) == 0 || e.Pos.Line < 1 {
				t.Fatalf("bad entry %+v", e)
			}
			ids[e.ID] = true
		}
		ix := NewIndex(kb, Options{})
		for i := range kb.Entries {
			e := &kb.Entries[i]
			if r := ix.Search(e.Question); r.Best != e {
				t.Fatalf("the question %q of %s: %s", e.Question, e.ID, describeResult(r))
			}
		}
	})
}

// FuzzLoadCSV: any file either loads or fails with problems that say where.
func FuzzLoadCSV(f *testing.F) {
	shop, err := os.ReadFile("testdata/shop.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(shop))
	f.Add("id,question,answer\na,问题,回答\n")
	f.Add("id,question,phrasings,answer\na,\"问\"\"题\",x|y,\"回\n答\"\n")
	f.Fuzz(func(t *testing.T, data string) {
		kb, err := LoadCSV("kb.csv", []byte(data))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || len(e.Problems) == 0 || kb != nil {
				t.Fatalf("bad error: %v", err)
			}
			for _, p := range e.Problems {
				if p.Pos.Line < 1 || p.Pos.Col < 1 {
					t.Fatalf("problem without a place: %+v", p)
				}
			}
			return
		}
		ix := NewIndex(kb, Options{})
		for i := range kb.Entries {
			if r := ix.Search(kb.Entries[i].Question); r.Best != &kb.Entries[i] {
				t.Fatalf("the question of %s: %s", kb.Entries[i].ID, describeResult(r))
			}
		}
	})
}

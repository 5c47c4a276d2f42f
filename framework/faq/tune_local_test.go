package faq

// TEMPORARY tuning harness: FAQ_TUNE=1 go test -run TestTuneLocal -v ./framework/faq

import (
	"math"
	"fmt"
	"os"
	"testing"
)

func tuneEval(t *testing.T, kbPath, evalPath string, opts Options, verbose bool) Report {
	kb, err := Load(kbPath)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(evalPath)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := LoadQueries(evalPath, data)
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(kb, opts)
	r := Evaluate(ix, qs)
	top1, in := 0, 0
	for _, q := range qs {
		if q.Expected == OutOfScope {
			continue
		}
		in++
		res := ix.Search(q.Text)
		if len(res.Hits) > 0 && res.Hits[0].Entry.ID == q.Expected {
			top1++
		}
	}
	rankAcc = float64(top1) / float64(in)
	if verbose {
		fmt.Println(r.String())
	}
	return r
}

var rankAcc float64

func line(name string, r Report) string {
	return fmt.Sprintf("%-6s P=%5.1f%% R=%5.1f%% rej=%5.1f%% wrong=%d outAns=%d outSug=%d rank1=%5.1f%%",
		name, 100*r.Precision, 100*r.Recall, 100*r.Rejection, r.Wrong, r.OutAnswered, r.OutSuggested, 100*rankAcc)
}

func TestTuneLocal(t *testing.T) {
	if os.Getenv("FAQ_TUNE") == "" {
		t.Skip()
	}
	kb := os.Getenv("FAQ_KB")
	if kb == "" {
		kb = "../../statecharts/kb/faq.yaml"
	}
	v := os.Getenv("FAQ_V")
	opts := Options{}
	for name, p := range map[string]*float64{"MIXED": &knobMixed, "SEAM": &knobSeam, "OOVBI": &knobOOVBi, "PIVOT": &knobPivot, "GAMMA": &knobGamma, "SHORT": &knobShort, "AGG": &knobAgg, "MID": &knobMid, "BIGLEAD": &knobBigLead,
		"UNI": &opts.UnigramWeight, "STOPW": &opts.StopWeight, "DOCW": &opts.DocWeight, "KWB": &opts.KeywordBonus, "B": &opts.B, "K1": &opts.K1} {
		if v := os.Getenv("K_" + name); v != "" {
			fmt.Sscan(v, p)
		}
	}
	fmt.Sscan(os.Getenv("FAQ_MIN"), &opts.MinScore)
	fmt.Sscan(os.Getenv("FAQ_LEAD"), &opts.MinLead)
	fmt.Sscan(os.Getenv("FAQ_SUG"), &opts.SuggestScore)
	fmt.Println(line("dev", tuneEval(t, "testdata/shop.yaml", "testdata/dev.tsv", opts, v == "dev")))
	fmt.Println(line("test", tuneEval(t, "testdata/shop.yaml", "testdata/test.tsv", opts, v == "test")))
	fmt.Println(line("eval0", tuneEval(t, "/tmp/faqwork/faq0.yaml", "../../bots/faq/testdata/faq_eval.tsv", opts, v == "eval0")))
	fmt.Println(line("eval1", tuneEval(t, "/tmp/faqwork/faq1.yaml", "../../bots/faq/testdata/faq_eval.tsv", opts, v == "eval1")))
}

// debugQuery prints a query's tokens with weights and IDF.
func (ix *Index) debugQuery(q string) string {
	sc := ix.pool.Get().(*scratch)
	defer ix.pool.Put(sc)
	self := ix.queryTerms(sc, q)
	s := fmt.Sprintf("%s self=%.2f oovIDF=%.2f stopIDF=%.2f\n  terms:", q, self, ix.oovIDF, ix.stopIDF)
	for _, t := range sc.terms {
		s += fmt.Sprintf(" %s(w%.2f idf%.2f df%d)", ix.tokName(t.id), t.w, ix.idf[t.id], ix.df[t.id])
	}
	s += "\n  oov:"
	for _, t := range sc.oov {
		var word []byte
		if t.kind == kindWord {
			word = []byte(string(sc.prepared[t.start:t.end]))
		}
		s += fmt.Sprintf(" %s(%.2f)", tokenString(t, sc.prepared), ix.oovWeight(t, word))
	}
	return s
}

func (ix *Index) tokName(id int32) string {
	for w, i := range ix.words {
		if i == id {
			return w
		}
	}
	for r, i := range ix.unis {
		if i == id {
			return string(r)
		}
	}
	for k, i := range ix.bis {
		if i == id {
			return string([]rune{rune(k >> 32), rune(uint32(k))})
		}
	}
	return "?"
}

func TestTuneDebug(t *testing.T) {
	q := os.Getenv("FAQ_Q")
	if q == "" {
		t.Skip()
	}
	kb := os.Getenv("FAQ_KB")
	if kb == "" {
		kb = "../../statecharts/kb/faq.yaml"
	}
	k, err := Load(kb)
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(k, Options{})
	for _, q := range splitLines(q) {
		fmt.Println(ix.debugQuery(q))
		fmt.Println("  ", describeResult(ix.Search(q)))
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '\n' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

// TestTuneDump writes features for every (query, entry, doc) to FAQ_DUMP.
func TestTuneDump(t *testing.T) {
	out := os.Getenv("FAQ_DUMP")
	if out == "" {
		t.Skip()
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sets := []struct{ name, kb, eval string }{
		{"dev", "testdata/shop.yaml", "testdata/dev.tsv"},
		{"test", "testdata/shop.yaml", "testdata/test.tsv"},
		{"eval0", "/tmp/faqwork/faq0.yaml", "../../bots/faq/testdata/faq_eval.tsv"},
		{"eval1", "/tmp/faqwork/faq1.yaml", "../../bots/faq/testdata/faq_eval.tsv"},
	}
	for _, set := range sets {
		k, err := Load(set.kb)
		if err != nil {
			t.Fatal(err)
		}
		ix := NewIndex(k, Options{})
		data, _ := os.ReadFile(set.eval)
		qs, _ := LoadQueries(set.eval, data)
		beta := ix.opts.DocWeight
		for _, q := range qs {
			sc := ix.pool.Get().(*scratch)
			self := ix.queryTerms(sc, q.Text)
			sc.set.reset(sc.terms)
			ix.markKeywords(sc)
			// query terms: id, w, self weight, idf, stop?
			fmt.Fprintf(f, "Q\t%s\t%s\t%s\t%.4f\t%d\n", set.name, q.Expected, q.Text, self, len(sc.oov))
			for _, tm := range sc.terms {
				fmt.Fprintf(f, "T\t%d\t%s\t%.4f\t%.4f\t%.4f\t%d\n", tm.id, ix.tokName(tm.id), tm.w, tm.self, ix.idf[tm.id], ix.df[tm.id])
			}
			for _, o := range sc.oov {
				var word []byte
				if o.kind == kindWord {
					word = []byte(string(sc.prepared[o.start:o.end]))
				}
				fmt.Fprintf(f, "O\t%s\t%d\t%.4f\n", tokenString(o, sc.prepared), o.kind, ix.oovWeight(o, word))
			}
			key := string(exactKey(nil, sc.prepared))
			m, exact := ix.exact[key]
			ex := int32(-1)
			if exact {
				ex = m.entry
			}
			for e := range k.Entries {
				fmt.Fprintf(f, "E\t%s\t%v\t%v\n", k.Entries[e].ID, sc.keyword[e], ex == int32(e))
				for d := ix.entryDocs[e]; d < ix.entryDocs[e+1]; d++ {
					// matched: list of term ids with val (bm25*docNorm); doc self from docNorm
					var selfD float64
					line := ""
					for _, dt := range ix.docToks[ix.docStart[d]:ix.docStart[d+1]] {
						_ = dt
					}
					selfD = ix.docSelf[d]
					for _, dt := range ix.docToks[ix.docStart[d]:ix.docStart[d+1]] {
						if w := sc.set.weight(dt.id); w > 0 {
							raw := float64(dt.val) * mathPow(selfD, beta)
							line += fmt.Sprintf("\t%d:%.4f", dt.id, raw)
						}
					}
					isKw := ix.docIsKw[d]
					fmt.Fprintf(f, "D\t%.4f\t%d\t%v\t%s%s\n", selfD, ix.docStart[d+1]-ix.docStart[d], isKw, ix.docText[d], line)
				}
			}
			for _, e := range sc.kwEntries {
				sc.keyword[e] = false
			}
			ix.pool.Put(sc)
		}
	}
}

func mathPow(a, b float64) float64 { return math.Pow(a, b) }

package faq

import (
	"math"
	"slices"
	"sync"
	"unicode/utf8"
)

// Index ranks the entries of a knowledge base against questions. It is
// immutable and safe for concurrent use.
type Index struct {
	kb   *KnowledgeBase
	opts Options
	syn  *synonyms

	// Vocabulary: token → id.
	words map[string]int32
	unis  map[rune]int32
	bis   map[uint64]int32

	stopCap []float32 // by token id: the factor that caps a stop word's IDF at stopIDF
	idf     []float32 // by token id
	df      []int32   // by token id: documents that hold the token
	oovIDF  float32   // the IDF of a token no document holds
	stopIDF float32   // the IDF that stop words count with at most

	// Postings, by token id: the documents that hold the token, and the
	// token's score in each (postVal): its BM25 term (IDF included) times
	// the document's docNorm, self-score^-DocWeight, so that a document's
	// score is the sum over the query's tokens of weight × postVal, divided
	// by the query's selfNorm, self-score^(1-DocWeight).
	postStart []int32 // token id → start in post; one more at the end
	post      []posting
	// Each token's postings are in tiers, each in document order: first the
	// documents where the token scores highest (short ones, mostly), then
	// lower and lower. The tiers are read or skipped separately (Search).
	tierStart []int32 // token id → its first tier in tiers; one more at the end
	tiers     []tier

	// cutoff is the score below which a document decides nothing: it is
	// neither suggested, nor the answer under the margin rule, nor close
	// enough to a best entry above MinScore to stop its answer. Whether a
	// best entry below MinScore leads by MarginLead is checked apart
	// (Search). restMax is the most the skipped postings may add to a
	// document: pruneFrac of the cutoff, and less than the lowest score
	// that may stop a margin answer.
	cutoff, restMax float64

	// Documents: each question, phrasing and keyword of each entry, and
	// by document, its tokens and their postVal (a forward index, to score
	// a document exactly without searching the postings).
	docEntry  []int32
	docText   []string
	docStart  []int32 // document → start in docToks; one more at the end
	docToks   []docToken
	entryDocs []int32 // entry → its first document; one more at the end

	// Keywords, for the bonus: the entry of each, how many distinct tokens
	// it has, and by token id, the keywords holding the token.
	kwEntry []int32
	kwSize  []int32
	kwStart []int32
	kwList  []int32

	// exact maps each question, phrasing and keyword, without separators,
	// to its entry, or to -1 if several entries have it.
	exact map[string]exactMatch

	typos   *typos
	pool    sync.Pool // *scratch
	noPrune bool      // read every posting: for tests
}

// NewIndex indexes a knowledge base. The index keeps kb: it must not be
// changed afterwards.
func NewIndex(kb *KnowledgeBase, opts Options) *Index {
	ix := &Index{
		kb:    kb,
		opts:  opts.withDefaults(),
		syn:   newSynonyms(kb.Synonyms),
		words: make(map[string]int32),
		unis:  make(map[rune]int32),
		bis:   make(map[uint64]int32),
		exact: make(map[string]exactMatch),
	}
	ix.build()
	ix.pool.New = func() any {
		return &scratch{
			acc:     make([]float32, len(ix.docEntry)),
			touched: make([]int32, len(ix.docEntry)+1),
			keyword: make([]bool, len(kb.Entries)),
			kwCount: make([]int32, len(ix.kwEntry)),
		}
	}
	return ix
}

// Options returns the options in use, defaults filled in.
func (ix *Index) Options() Options { return ix.opts }

// KnowledgeBase returns the indexed knowledge base.
func (ix *Index) KnowledgeBase() *KnowledgeBase { return ix.kb }

func (ix *Index) build() {
	// Pass 1: tokenize every document, giving tokens their ids, and keep
	// each document's distinct tokens and counts.
	var (
		termStart = []int32{0}
		termID    []int32
		termTF    []int32
		termWS    []float32 // the token's highest weight in the document as a stop word, before stopCap
		termWP    []float32 // its highest weight in the document otherwise
		docLen    []int32
		wordOf    []string // by token id: the word, "" for CJK tokens
		kwDocs    []int32  // the documents that are keywords
		text      []rune
		prepared  []rune
		toks      []token
		occ       []occurrence
		seen      = make(map[string]bool)
	)
	ix.entryDocs = make([]int32, 0, len(ix.kb.Entries)+1)
	for e := range ix.kb.Entries {
		entry := &ix.kb.Entries[e]
		ix.entryDocs = append(ix.entryDocs, int32(len(docLen)))
		clear(seen)
		add := func(s string, keyword bool) {
			text = clean(text[:0], s, 0)
			prepared = ix.syn.replace(prepared[:0], text)
			if len(prepared) == 0 || seen[string(prepared)] {
				return
			}
			seen[string(prepared)] = true
			ix.addExact(prepared, int32(e), keyword)
			toks = tokenize(toks[:0], prepared)
			occ = occ[:0]
			for _, t := range toks {
				var word []byte
				if t.kind == kindWord {
					word = []byte(string(prepared[t.start:t.end]))
				}
				id, isNew := ix.intern(t, prepared)
				if isNew {
					wordOf = append(wordOf, string(word))
				}
				stop := isStop(t, word)
				occ = append(occ, occurrence{id, ix.tokenWeight(t, stop), stop})
			}
			slices.SortFunc(occ, func(a, b occurrence) int { return int(a.id - b.id) })
			for i := 0; i < len(occ); {
				var ws, wp float32
				j := i
				for ; j < len(occ) && occ[j].id == occ[i].id; j++ {
					if occ[j].stop {
						ws = max(ws, occ[j].w)
					} else {
						wp = max(wp, occ[j].w)
					}
				}
				termID = append(termID, occ[i].id)
				termTF = append(termTF, int32(j-i))
				termWS, termWP = append(termWS, ws), append(termWP, wp)
				i = j
			}
			if keyword {
				kwDocs = append(kwDocs, int32(len(docLen)))
			}
			termStart = append(termStart, int32(len(termID)))
			docLen = append(docLen, int32(len(occ)))
			ix.docEntry = append(ix.docEntry, int32(e))
			ix.docText = append(ix.docText, s)
		}
		add(entry.Question, false)
		for _, s := range entry.Phrasings {
			add(s, false)
		}
		for _, s := range entry.Keywords {
			add(s, true)
		}
	}

	ix.entryDocs = append(ix.entryDocs, int32(len(docLen)))

	// Pass 2: document frequencies, IDF, and the postings.
	nTok, nDoc := len(wordOf), len(ix.docEntry)
	ix.df = make([]int32, nTok)
	for _, id := range termID {
		ix.df[id]++
	}
	ix.idf = make([]float32, nTok)
	for id, df := range ix.df {
		ix.idf[id] = float32(idf(nDoc, int(df)))
	}
	ix.oovIDF = float32(idf(nDoc, 0))
	// A stop word counts at most as much as a word that one document in ten
	// holds: in a small knowledge base, 的 may be rare and so seem telling.
	ix.stopIDF = float32(idf(nDoc, nDoc/10))
	ix.stopCap = make([]float32, nTok)
	for id := range nTok {
		ix.stopCap[id] = min(1, ix.stopIDF/ix.idf[id])
	}
	termW := make([]float32, len(termID)) // the token's weight in the document
	for i, id := range termID {
		termW[i] = max(termWS[i]*ix.stopCap[id], termWP[i])
	}

	ix.postStart = make([]int32, nTok+1)
	for id, df := range ix.df {
		ix.postStart[id+1] = ix.postStart[id] + df
	}
	ix.post = make([]posting, len(termID))
	ix.docToks = make([]docToken, len(termID))
	fill := slices.Clone(ix.postStart[:nTok])
	var total int64
	for _, n := range docLen {
		total += int64(n)
	}
	avgLen := float64(total) / float64(max(nDoc, 1))
	k1, b := ix.opts.K1, ix.opts.B
	beta := ix.opts.DocWeight
	bm25 := make([]float32, 0, 64)
	for d := 0; d < nDoc; d++ {
		// The document's BM25 terms, and its self-score: what a question
		// holding all of it would score.
		norm := k1 * (1 - b + b*float64(docLen[d])/avgLen)
		bm25 = bm25[:0]
		self := 0.0
		for i := termStart[d]; i < termStart[d+1]; i++ {
			id, tf := termID[i], float64(termTF[i])
			v := ix.idf[id] * float32(tf*(k1+1)/(tf+norm))
			bm25 = append(bm25, v)
			self += float64(termW[i] * v)
		}
		docNorm := float32(math.Pow(max(self, 1e-9), -beta))
		for i := termStart[d]; i < termStart[d+1]; i++ {
			id := termID[i]
			p := fill[id]
			fill[id]++
			v := bm25[i-termStart[d]] * docNorm
			ix.post[p] = posting{int32(d), v}
			ix.docToks[i] = docToken{id, v}
		}
	}
	ix.splitPostings()
	o := &ix.opts
	ix.cutoff = o.cutoff()
	ix.restMax = ix.cutoff * pruneFrac
	if o.MarginScore < o.MinScore {
		ix.restMax = min(ix.restMax, 0.9*o.MarginScore*(1-o.MarginLead))
	}
	ix.docStart = termStart

	// Keywords: which tokens each holds.
	kwCount := make([]int32, nTok+1)
	for _, d := range kwDocs {
		ix.kwEntry = append(ix.kwEntry, ix.docEntry[d])
		ix.kwSize = append(ix.kwSize, termStart[d+1]-termStart[d])
		for _, id := range termID[termStart[d]:termStart[d+1]] {
			kwCount[id+1]++
		}
	}
	for id := range nTok {
		kwCount[id+1] += kwCount[id]
	}
	ix.kwStart = kwCount
	ix.kwList = make([]int32, kwCount[nTok])
	fill = slices.Clone(kwCount[:nTok])
	for kw, d := range kwDocs {
		for _, id := range termID[termStart[d]:termStart[d+1]] {
			ix.kwList[fill[id]] = int32(kw)
			fill[id]++
		}
	}

	if !ix.opts.NoTypos {
		ix.typos = newTypos(ix.typoTargets(wordOf))
	}
}

// docToken is a token of a document, and its postVal there.
type docToken struct {
	id  int32
	val float32
}

// occurrence is a token in a place of a text, with its weight there.
type occurrence struct {
	id   int32
	w    float32 // tokenWeight
	stop bool    // a stop word, or a character of one, there
}

// effWeight is the weight of a token in a place: tokenWeight, and for a stop
// word its IDF capped at stopIDF (see build).
func (ix *Index) effWeight(id int32, w float32, stop bool) float32 {
	if stop {
		return w * ix.stopCap[id]
	}
	return w
}

// addExact records that a prepared text is entry e's. A question or
// phrasing wins over a keyword; a text of several entries is no one's.
func (ix *Index) addExact(prepared []rune, e int32, keyword bool) {
	key := string(exactKey(nil, prepared))
	m := exactMatch{e, keyword}
	if old, ok := ix.exact[key]; ok {
		switch {
		case old.keyword && !keyword:
		case keyword && !old.keyword, old.entry == e:
			return
		default:
			m.entry = -1
		}
	}
	ix.exact[key] = m
}

// exactMatch is the entry a text is exactly a question, phrasing or keyword
// of; -1 if several.
type exactMatch struct {
	entry   int32
	keyword bool
}

// exactKey appends prepared text without its separators to dst, as UTF-8.
func exactKey(dst []byte, prepared []rune) []byte {
	for _, r := range prepared {
		if r != sep {
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

// splitPostings sorts each long posting list into tiers by score: the
// documents where the token scores in its top tenth, then in the rest of its
// top half, then the others. A question's commonest tokens are in many
// documents, but in few at their highest: search can skip their lower
// tiers, whose highest score is well below the token's.
func (ix *Index) splitPostings() {
	nTok := len(ix.df)
	ix.tierStart = make([]int32, nTok+1)
	ix.tiers = make([]tier, 0, nTok)
	var (
		vals []float32
		buf  []posting
	)
	for id := range nTok {
		ix.tierStart[id] = int32(len(ix.tiers))
		start, end := ix.postStart[id], ix.postStart[id+1]
		post := ix.post[start:end]
		top := float32(0)
		for _, p := range post {
			top = max(top, p.val)
		}
		if len(post) < splitMinDF {
			ix.tiers = append(ix.tiers, tier{end, top})
			continue
		}
		// The quantiles of a sample are good enough: the tiers' bounds are
		// their real highest scores.
		vals = vals[:0]
		step := max(1, len(post)/512)
		for i := 0; i < len(post); i += step {
			vals = append(vals, post[i].val)
		}
		slices.Sort(vals)
		bounds := [...]float32{vals[len(vals)*9/10], vals[len(vals)/2], -1}
		buf = buf[:0]
		above := float32(math.Inf(1))
		for _, b := range bounds {
			n := len(buf)
			hi := float32(0)
			for _, p := range post {
				if p.val > b && p.val <= above {
					buf = append(buf, p)
					hi = max(hi, p.val)
				}
			}
			if len(buf) > n {
				ix.tiers = append(ix.tiers, tier{start + int32(len(buf)), hi})
			}
			above = b
		}
		copy(post, buf)
	}
	ix.tierStart[nTok] = int32(len(ix.tiers))
}

// tier is a part of a token's postings: from the end of the one before, or
// the start of the token's postings, to end.
type tier struct {
	end int32
	max float32 // the highest postVal
}

// splitMinDF is the fewest documents a token must be in for its postings to
// be split: shorter postings cost little to read whole.
const splitMinDF = 64

// typoTargets lists what a misspelt word may stand for: the words of the
// vocabulary, and the one-word synonyms, which the vocabulary lacks because
// they were replaced by their group's first member.
func (ix *Index) typoTargets(wordOf []string) []typoTarget {
	var targets []typoTarget
	for id, w := range wordOf {
		if w != "" {
			t := token{kind: kindWord}
			stop := isStop(t, []byte(w))
			targets = append(targets, typoTarget{
				word:    w,
				ids:     []int32{int32(id)},
				weights: []float32{ix.effWeight(int32(id), ix.tokenWeight(t, stop), stop)},
				df:      ix.df[id],
			})
		}
	}
	for _, g := range ix.kb.Synonyms {
		for _, m := range g {
			w := string(clean(nil, m, 0))
			if !typoWord(w) {
				continue
			}
			if _, known := ix.words[w]; known {
				continue
			}
			prepared := ix.syn.replace(nil, []rune(w))
			target := typoTarget{word: w}
			for _, t := range tokenize(nil, prepared) {
				word := []byte(string(prepared[t.start:t.end]))
				if id := ix.lookup(t, word); id >= 0 && !slices.Contains(target.ids, id) {
					target.ids = append(target.ids, id)
					stop := isStop(t, word)
					target.weights = append(target.weights, ix.effWeight(id, ix.tokenWeight(t, stop), stop))
					target.df = max(target.df, ix.df[id])
				}
			}
			targets = append(targets, target)
		}
	}
	return targets
}

// idf is BM25's inverse document frequency, always positive.
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// intern returns the id of a token, adding it to the vocabulary if new.
func (ix *Index) intern(t token, text []rune) (id int32, isNew bool) {
	next := int32(len(ix.words) + len(ix.unis) + len(ix.bis))
	switch t.kind {
	case kindWord:
		w := string(text[t.start:t.end])
		if id, ok := ix.words[w]; ok {
			return id, false
		}
		ix.words[w] = next
	case kindUni:
		if id, ok := ix.unis[t.r1]; ok {
			return id, false
		}
		ix.unis[t.r1] = next
	default:
		k := biKey(t.r1, t.r2)
		if id, ok := ix.bis[k]; ok {
			return id, false
		}
		ix.bis[k] = next
	}
	return next, true
}

// tokenWeight is a token's weight in a query, before typo correction; stop
// is whether it is a stop word (isStop).
func (ix *Index) tokenWeight(t token, stop bool) float32 {
	w := 1.0
	if t.kind == kindUni {
		w = ix.opts.UnigramWeight
	}
	if stop {
		w *= ix.opts.StopWeight
	}
	return float32(w)
}

// Tokens returns the tokens of a text as the index sees them, after
// normalization, Traditional to Simplified, and synonyms: for traces, and for
// finding out why a question does not match.
func (ix *Index) Tokens(text string) []string {
	prepared := ix.syn.replace(nil, clean(nil, text, maxQueryRunes))
	var out []string
	for _, t := range tokenize(nil, prepared) {
		out = append(out, tokenString(t, prepared))
	}
	return out
}

// Prepare returns a text as the index reads it before tokenizing: normalized,
// in Simplified Chinese, punctuation replaced by single spaces, synonyms
// replaced.
func (ix *Index) Prepare(text string) string {
	return string(ix.syn.replace(nil, clean(nil, text, 0)))
}

package faq

import (
	"math"
	"slices"
	"unicode/utf8"
)

// scratch is the memory one search works in, reused through a sync.Pool so
// that searching allocates next to nothing.
type scratch struct {
	text, prepared []rune
	toks           []token
	word           []byte // a word token as UTF-8
	key            []byte // the prepared question without separators, for ix.exact
	typoBuf        [2 * maxWordLen]byte
	terms          []term
	parts          []part
	order          []uint64 // partKey of each part, sorted
	oov            []token

	set       termSet
	acc       []float32 // by document: score so far
	touched   []int32   // documents with a score; one longer than acc
	cands     []int32   // touched documents that may reach the cutoff
	keyword   []bool    // by entry: whether the question holds a keyword
	kwCount   []int32   // by keyword: its tokens found in the question
	kwTouch   []int32   // keywords with a count
	kwEntries []int32   // entries whose keyword the question holds
}

// term is a query token found in the vocabulary.
type term struct {
	id      int32
	w       float32 // its weight in the query: the highest of its places
	self    float32 // its weight in the query's self-score: w, but for a misspelt word's discount
	skipped float32 // the highest ub of its skipped parts
}

// part is a part of a term's postings.
type part struct {
	start, end int32   // in post
	term       int32   // in scratch.terms
	w          float32 // the term's weight
	ub         float32 // the most it adds to a document's normalized score
}

// Search ranks the entries against a question and decides whether to answer,
// suggest or say nothing. It is safe for concurrent use.
//
// The scores of hits too weak to decide anything (below the cutoff that
// SuggestScore, MinScore and MinLead imply) may be a little low: the
// commonest tokens are not looked up for them.
func (ix *Index) Search(query string) Result {
	return ix.search(query, false)
}

// search is Search of a query that framework.Normalize may have normalized
// already.
func (ix *Index) search(query string, normalized bool) Result {
	sc := ix.pool.Get().(*scratch)
	defer ix.pool.Put(sc)

	self := ix.queryTerms(sc, query, normalized)
	if len(sc.terms) == 0 || self <= 0 {
		return Result{}
	}
	selfNorm := math.Pow(self, 1-ix.opts.DocWeight)
	sc.set.reset(sc.terms)
	hasBonus := ix.markKeywords(sc)
	bonus := float32(0)
	if hasBonus {
		bonus = float32(ix.opts.KeywordBonus * selfNorm)
	}

	// Accumulate the scores over the postings of the query's terms, in
	// parts (see splitPostings). The least telling parts (stop words,
	// common characters), whose postings are the longest, are skipped as
	// long as a document holding only them stays well below the cutoff, the
	// score from which a document may decide anything (below pruneFrac
	// times it). The documents that the parts read lift near the cutoff are
	// then scored exactly, from their own tokens; so are the documents of
	// the entries that get a keyword bonus. This is MaxScore pruning: no
	// decision depends on a skipped part, and only hits too weak to decide
	// anything may score a little low.
	parts, order := sc.parts[:0], sc.order[:0]
	norm := float32(1 / selfNorm)
	for i, t := range sc.terms {
		start := ix.postStart[t.id]
		for _, tr := range ix.tiers[ix.tierStart[t.id]:ix.tierStart[t.id+1]] {
			ub := t.w * tr.max * norm
			order = append(order, partKey(ub, len(parts)))
			parts = append(parts, part{start: start, end: tr.end, term: int32(i), w: t.w, ub: ub})
			start = tr.end
		}
		sc.terms[i].skipped = 0
	}
	sortKeys(order)
	// A document is in one tier of a token: the most a token's skipped
	// tiers add is the highest of them, and tiers are skipped lowest first.
	skip, rest := 0, 0.0 // order[:skip] are skipped; rest is the most they add
	for skip < len(order) && !ix.noPrune {
		p := &parts[uint32(order[skip])]
		t := &sc.terms[p.term]
		more := float64(p.ub - t.skipped)
		if rest+more >= ix.restMax {
			break
		}
		rest += more
		t.skipped = p.ub
		skip++
	}
	sc.parts, sc.order = parts, order
	floor := float32((ix.cutoff - rest) * selfNorm) // what a document must reach to be a candidate
	if skip == 0 {
		floor = float32(math.Inf(1)) // every part is read: the sums are exact
	}
	acc := sc.acc
	touched := sc.touched[:len(acc)+1] // one more: written before it is known new
	cands := sc.cands[:0]
	n := 0
	for _, k := range order[skip:] {
		p := &parts[uint32(k)]
		w := p.w
		for _, q := range ix.post[p.start:p.end] {
			d := q.doc
			a := acc[d]
			touched[n] = d // kept only if d is new
			if a == 0 {
				n++
			}
			b := a + w*q.val
			acc[d] = b
			if b >= floor && a < floor {
				cands = append(cands, d)
			}
		}
	}
	touched = touched[:n]
	sc.cands = cands

	// An entry scores its best document, plus the bonus. Keep the best few
	// entries, by score then by order in the knowledge base. The documents
	// that may reach the cutoff are scored exactly: the candidates, and those of
	// entries with the bonus.
	var top topEntries
	for _, d := range cands {
		e := ix.docEntry[d]
		s := ix.docScore(sc, d)
		if hasBonus && sc.keyword[e] {
			s += bonus
		}
		top.add(e, d, s)
	}
	if hasBonus {
		// If the skipped parts and the bonus together may reach the cutoff,
		// every document of these entries may.
		all := rest*selfNorm+float64(bonus) >= ix.cutoff*selfNorm
		for _, e := range sc.kwEntries {
			for d := ix.entryDocs[e]; d < ix.entryDocs[e+1]; d++ {
				s := acc[d]
				if all || s+bonus >= floor && s < floor {
					s = ix.docScore(sc, d)
				}
				if s > 0 {
					top.add(e, d, s+bonus)
				}
			}
		}
	}
	// The other documents score below the cutoff. When no document reaches
	// it, the best of them are the hits, for traces, with the sums so far: a
	// little low when parts were skipped.
	if skip == 0 || top.n == 0 {
		for _, d := range touched {
			s := acc[d]
			acc[d] = 0
			if s >= top.floor() && s < floor {
				e := ix.docEntry[d]
				if hasBonus && sc.keyword[e] {
					s += bonus
				}
				top.add(e, d, s)
			}
		}
	} else {
		// The margin rule answers a best entry below MinScore if no other
		// scores MarginLead of it or more: below the cutoff, where scores
		// are sums so far, which may be low. Score exactly the documents
		// that may reach that, if it is still in question. The documents
		// that no part read score at most rest, below it (restMax).
		if o := &ix.opts; o.MarginScore < o.MinScore {
			best := float64(top.hits[0].score) / selfNorm
			second := 0.0
			if top.n > 1 {
				second = float64(top.hits[1].score) / selfNorm
			}
			if best >= o.MarginScore && (best < o.MinScore || (best-second)/best < o.MinLead) &&
				(best-second)/best >= o.MarginLead {
				low := float32((best*(1-o.MarginLead) - rest) * selfNorm)
				for _, d := range touched {
					if a := acc[d]; a >= low && a < floor {
						e := ix.docEntry[d]
						s := ix.docScore(sc, d)
						if hasBonus && sc.keyword[e] {
							s += bonus
						}
						top.add(e, d, s)
					}
				}
			}
		}
		for _, d := range touched {
			acc[d] = 0
		}
	}
	// A question written exactly as one of an entry's texts gets it.
	sc.key = exactKey(sc.key[:0], sc.prepared)
	m, exact := ix.exact[string(sc.key)]
	if exact = exact && m.entry >= 0; exact {
		e := m.entry
		d, s := ix.entryScore(sc, e, bonus)
		top.first(e, d, s)
	}
	for _, e := range sc.kwEntries {
		sc.keyword[e] = false
	}
	hits := make([]Hit, top.n)
	for i, h := range top.hits[:top.n] {
		hits[i] = Hit{
			Entry:    &ix.kb.Entries[h.entry],
			Score:    float64(h.score) / selfNorm,
			Phrasing: ix.docText[h.doc],
		}
	}
	r := ix.decide(hits)
	if exact {
		r.Decision, r.Best, r.suggest = Answer, hits[0].Entry, 0
	}
	return r
}

// entryScore returns an entry's best document and its exact score.
func (ix *Index) entryScore(sc *scratch, e int32, bonus float32) (doc int32, score float32) {
	doc = ix.entryDocs[e]
	for d := ix.entryDocs[e]; d < ix.entryDocs[e+1]; d++ {
		if s := ix.docScore(sc, d); s > score {
			doc, score = d, s
		}
	}
	if sc.keyword[e] {
		score += bonus
	}
	return doc, score
}

// pruneFrac is the share of the cutoff that the skipped parts of postings
// may add to a document at most. The higher, the fewer postings are read,
// but the more documents must be scored exactly: 0.45 reads the fewest
// overall on the benchmark's knowledge base.
const pruneFrac = 0.45

// partKey is a part's sort key: its ub, then its place. A non-negative
// float's bits order as the float does.
func partKey(ub float32, i int) uint64 {
	return uint64(math.Float32bits(ub))<<32 | uint64(i)
}

// sortKeys sorts keys, lowest first: an insertion sort, quicker than the
// library's for the few dozen parts of a question.
func sortKeys(keys []uint64) {
	for i := 1; i < len(keys); i++ {
		k := keys[i]
		j := i
		for j > 0 && keys[j-1] > k {
			keys[j] = keys[j-1]
			j--
		}
		keys[j] = k
	}
}

// docScore is a document's exact score (before normalization by the query):
// the sum over its tokens in the query of weight × postVal.
func (ix *Index) docScore(sc *scratch, d int32) float32 {
	var s float32
	for _, t := range ix.docToks[ix.docStart[d]:ix.docStart[d+1]] {
		if w := sc.set.weight(t.id); w > 0 {
			s += w * t.val
		}
	}
	return s
}

// termSet is a small hash set of the query's terms and their weights.
type termSet struct {
	slots []termSlot
	mask  uint32
	bloom [16]uint64 // a bit per id modulo 1024: most tokens of a document are not in the query
}

type termSlot struct {
	id int32 // -1: empty
	w  float32
}

func (s *termSet) reset(terms []term) {
	size := 64
	for size < 2*len(terms) {
		size *= 2
	}
	if cap(s.slots) < size {
		s.slots = make([]termSlot, size)
	}
	s.slots = s.slots[:size]
	for i := range s.slots {
		s.slots[i].id = -1
	}
	s.mask = uint32(size - 1)
	s.bloom = [16]uint64{}
	for _, t := range terms {
		s.bloom[t.id>>6&15] |= 1 << (t.id & 63)
		i := hashID(t.id) & s.mask
		for s.slots[i].id >= 0 {
			i = (i + 1) & s.mask
		}
		s.slots[i] = termSlot{t.id, t.w}
	}
}

// weight is a term's weight in the query, 0 if it is not there.
func (s *termSet) weight(id int32) float32 {
	if s.bloom[id>>6&15]&(1<<(id&63)) == 0 {
		return 0
	}
	for i := hashID(id) & s.mask; ; i = (i + 1) & s.mask {
		switch s.slots[i].id {
		case id:
			return s.slots[i].w
		case -1:
			return 0
		}
	}
}

func hashID(id int32) uint32 { return uint32(id) * 2654435761 >> 7 }

// topEntries keeps the best few entries, each with its best document.
type topEntries struct {
	hits [maxHits]struct {
		entry, doc int32
		score      float32
	}
	n int
}

// floor is the score a document needs to enter.
func (t *topEntries) floor() float32 {
	if t.n < maxHits {
		return 0
	}
	return t.hits[maxHits-1].score
}

// first puts entry e first, with its best document and score, whatever the
// scores of the others.
func (t *topEntries) first(e, d int32, s float32) {
	i := 0
	for i < t.n && t.hits[i].entry != e {
		i++
	}
	if i == t.n {
		if t.n < maxHits {
			t.n++
		}
		i = t.n - 1
	}
	copy(t.hits[1:i+1], t.hits[:i])
	t.hits[0].entry, t.hits[0].doc, t.hits[0].score = e, d, s
}

// add offers document d of entry e, which scores s.
func (t *topEntries) add(e, d int32, s float32) {
	i := 0
	for i < t.n && t.hits[i].entry != e {
		i++
	}
	switch {
	case i < t.n: // the entry is in: keep its best document
		if s <= t.hits[i].score {
			return
		}
	case t.n < maxHits:
		t.n++
	default:
		i = maxHits - 1
		if s < t.hits[i].score || s == t.hits[i].score && e > t.hits[i].entry {
			return
		}
	}
	for i > 0 && (s > t.hits[i-1].score || s == t.hits[i-1].score && e < t.hits[i-1].entry) {
		t.hits[i] = t.hits[i-1]
		i--
	}
	t.hits[i].entry, t.hits[i].doc, t.hits[i].score = e, d, s
}

// markKeywords sets sc.keyword for each entry with a keyword whose every
// token is in the question, lists them in sc.kwEntries, and reports whether
// there is any.
func (ix *Index) markKeywords(sc *scratch) bool {
	sc.kwEntries = sc.kwEntries[:0]
	if len(ix.kwEntry) == 0 || ix.opts.KeywordBonus <= 0 {
		return false
	}
	touched := sc.kwTouch[:0]
	for _, t := range sc.terms {
		for _, kw := range ix.kwList[ix.kwStart[t.id]:ix.kwStart[t.id+1]] {
			if sc.kwCount[kw] == 0 {
				touched = append(touched, kw)
			}
			sc.kwCount[kw]++
		}
	}
	for _, kw := range touched {
		if sc.kwCount[kw] == ix.kwSize[kw] {
			if e := ix.kwEntry[kw]; !sc.keyword[e] {
				sc.keyword[e] = true
				sc.kwEntries = append(sc.kwEntries, e)
			}
		}
		sc.kwCount[kw] = 0
	}
	sc.kwTouch = touched
	return len(sc.kwEntries) > 0
}

// queryTerms fills sc.terms with the query's distinct tokens found in the
// vocabulary, and returns the query's self-score: what a document holding
// every token of the query would score, the scale of normalized scores.
func (ix *Index) queryTerms(sc *scratch, query string, normalized bool) (self float64) {
	if normalized {
		sc.text = cleanNormalized(sc.text[:0], query, maxQueryRunes)
	} else {
		sc.text = clean(sc.text[:0], query, maxQueryRunes)
	}
	sc.prepared = ix.syn.replace(sc.prepared[:0], sc.text)
	text := sc.prepared
	sc.toks = tokenize(sc.toks[:0], text)
	sc.terms, sc.oov = sc.terms[:0], sc.oov[:0]

	for _, t := range sc.toks {
		var word []byte
		if t.kind == kindWord {
			sc.word = sc.word[:0]
			for _, r := range text[t.start:t.end] {
				sc.word = utf8.AppendRune(sc.word, r)
			}
			word = sc.word
		}
		stop := isStop(t, word)
		id := ix.lookup(t, word)
		if id >= 0 {
			w := ix.effWeight(id, ix.tokenWeight(t, stop), stop)
			sc.terms = addTerm(sc.terms, id, w, w)
			continue
		}
		if containsOOV(sc.oov, t, text) {
			continue
		}
		sc.oov = append(sc.oov, t)
		if t.kind == kindWord && ix.typos != nil && !stop {
			if fix, dist := ix.typos.correct(word, sc.typoBuf[:]); fix != nil {
				// Scale by the word as spelt right, match at a discount.
				discount := float32(math.Pow(ix.opts.TypoWeight, float64(dist)))
				for i, id := range fix.ids {
					sc.terms = addTerm(sc.terms, id, fix.weights[i]*discount, fix.weights[i])
				}
				continue
			}
		}
		self += ix.oovWeight(t, stop)
	}
	for _, t := range sc.terms {
		self += float64(t.self) * float64(ix.idf[t.id])
	}
	return self
}

// oovWeight is how much a token that no document holds counts against a
// match. A character or word the knowledge base never uses says the question
// is about something else (股票, 天气, joke): it counts in full, with the
// highest IDF. A new pair of characters counts as much if it looks like a
// word, but not if it holds a stop character: then it is the seam between
// two words (退货 + 吗 gives 货吗), not a word of its own. A stop word
// counts as stop words do.
func (ix *Index) oovWeight(t token, stop bool) float64 {
	w := float64(ix.tokenWeight(t, stop))
	switch {
	case stop:
		return w * float64(ix.stopIDF)
	case t.kind == kindBi && (stopChars.has(t.r1) || stopChars.has(t.r2)):
		return 0
	case t.kind == kindBi:
		return w * float64(ix.oovIDF) * oovBigramFactor
	}
	return w * float64(ix.oovIDF)
}

// oovBigramFactor is how much a new pair of characters that looks like a
// word counts, against a character the knowledge base never uses.
const oovBigramFactor = 0.5

// addTerm adds a term to the query's, or raises its weights if it is there
// already: 麻 counts as a stop word in 麻烦, but not in 麻辣.
func addTerm(terms []term, id int32, w, self float32) []term {
	for i := range terms {
		if terms[i].id == id {
			terms[i].w = max(terms[i].w, w)
			terms[i].self = max(terms[i].self, self)
			return terms
		}
	}
	return append(terms, term{id: id, w: w, self: self})
}

// posting is a document that holds a token, and the token's score in it.
type posting struct {
	doc int32
	val float32
}

func containsOOV(oov []token, t token, text []rune) bool {
	for _, o := range oov {
		if o.kind != t.kind {
			continue
		}
		if t.kind != kindWord {
			if o.r1 == t.r1 && o.r2 == t.r2 {
				return true
			}
		} else if slices.Equal(text[o.start:o.end], text[t.start:t.end]) {
			return true
		}
	}
	return false
}

// lookup returns a token's id, or -1 if no document holds it.
func (ix *Index) lookup(t token, word []byte) int32 {
	var (
		id int32
		ok bool
	)
	switch t.kind {
	case kindWord:
		id, ok = ix.words[string(word)]
	case kindUni:
		id, ok = ix.unis[t.r1]
	default:
		id, ok = ix.bis[biKey(t.r1, t.r2)]
	}
	if !ok {
		return -1
	}
	return id
}

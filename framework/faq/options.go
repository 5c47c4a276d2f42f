package faq

// Options tune an Index. A zero field takes its default, so Options{} is the
// defaults and Options{MinScore: 0.6} changes one threshold; a negative
// value stands for zero where zero makes sense (KeywordBonus: -1 turns the
// bonus off).
//
// Scores are normalized to about 0..1 (see the package documentation): 1 is
// a question that is, token for token, one of an entry's phrasings; 0.5
// means that about half of what the question says, weighted by how telling
// each token is, is found in a phrasing that it about half covers.
type Options struct {
	// MinScore is the score the best entry needs to be the answer.
	// Default 0.45.
	MinScore float64
	// MinLead is how far ahead of the second entry the best one must be to
	// be the answer, as a share of its score: (best-second)/best. Default
	// 0.1: a best entry at 0.8 needs the second below 0.72.
	MinLead float64
	// MarginScore and MarginLead answer a question whose best entry scores
	// less than MinScore but stands alone: it is the answer when it scores
	// at least MarginScore and leads the second by at least MarginLead of
	// its score. A long question whose extra words are in no phrasing
	// scores moderately even when it is clearly about one entry; a question
	// about something else rarely has one entry so far ahead. Defaults:
	// MarginScore 0.38 (with another MinScore, the same share of it:
	// 0.84 MinScore), MarginLead 0.4; a MarginScore of MinScore or more
	// turns the rule off.
	MarginScore, MarginLead float64
	// SuggestScore is the score an entry needs to be suggested when there is
	// no answer. Suggestions are the entries scoring at least SuggestScore
	// and at least half the best score, at most MaxSuggestions of them.
	// Default 0.45, MinScore's: entries are suggested when two or more
	// score well and none leads enough, not when the best scores too little
	// to be the answer, for a weak match is mostly a question about
	// something else. Set it below MinScore to suggest weak matches too.
	SuggestScore float64
	// MaxSuggestions is the most entries suggested at once. Default 3.
	MaxSuggestions int

	// K1 and B are BM25's parameters: K1 how quickly repeating a token stops
	// counting (default 1.2), B how much a long phrasing is penalized
	// (default 0.3, low because phrasings are all short).
	K1, B float64
	// UnigramWeight weighs a single Chinese character against a bigram or a
	// word, which say much more. Default 0.5.
	UnigramWeight float64
	// StopWeight multiplies the weight of stop words (的, 吗, 怎么, 请问, the,
	// how …) and of numbers. Default 0.2.
	StopWeight float64
	// TypoWeight multiplies the weight of a misspelt Latin word matched to a
	// word of the knowledge base, once per edit. Default 0.8.
	TypoWeight float64
	// NoTypos turns typo tolerance off.
	NoTypos bool
	// KeywordBonus is added to the score of an entry when the question holds
	// one of its keywords in full. Default 0.1.
	KeywordBonus float64
	// DocWeight is how much the share of the phrasing that the question
	// covers counts, against the share of the question that the phrasing
	// covers: the score is qcov^(1-DocWeight) × dcov^DocWeight. Default 0.5.
	DocWeight float64
}

// DefaultOptions are the options that a zero Options stands for. They were
// tuned on testdata/dev.tsv and a shop's evaluation set (see the package
// documentation).
var DefaultOptions = Options{
	MinScore:       0.45,
	MinLead:        0.1,
	MarginScore:    0.38,
	MarginLead:     0.4,
	SuggestScore:   0.45,
	MaxSuggestions: 3,
	K1:             1.2,
	B:              0.3,
	UnigramWeight:  0.5,
	StopWeight:     0.2,
	TypoWeight:     0.8,
	KeywordBonus:   0.1,
	DocWeight:      0.5,
}

func (o Options) withDefaults() Options {
	d := DefaultOptions
	set := func(v *float64, def float64) {
		switch {
		case *v == 0:
			*v = def
		case *v < 0:
			*v = 0
		}
	}
	set(&o.MinScore, d.MinScore)
	set(&o.MinLead, d.MinLead)
	marginScore := d.MarginScore
	if o.MinScore != d.MinScore {
		marginScore = o.MinScore * d.MarginScore / d.MinScore
	}
	set(&o.MarginScore, marginScore)
	set(&o.MarginLead, d.MarginLead)
	set(&o.SuggestScore, d.SuggestScore)
	set(&o.K1, d.K1)
	set(&o.B, d.B)
	set(&o.UnigramWeight, d.UnigramWeight)
	set(&o.StopWeight, d.StopWeight)
	set(&o.TypoWeight, d.TypoWeight)
	set(&o.KeywordBonus, d.KeywordBonus)
	set(&o.DocWeight, d.DocWeight)
	o.DocWeight = min(o.DocWeight, 1)
	if o.MaxSuggestions <= 0 {
		o.MaxSuggestions = d.MaxSuggestions
	}
	return o
}

// cutoff is the score below which an entry decides nothing: it is not
// suggested, not the answer by the margin rule, and too low to stop the
// best entry from being the answer when that scores MinScore or more.
func (o *Options) cutoff() float64 {
	c := min(o.SuggestScore, o.MinScore*(1-o.MinLead))
	if o.MarginScore < o.MinScore {
		c = min(c, o.MarginScore)
	}
	return c
}

// Decision is what to do with a question.
type Decision uint8

const (
	// None: no entry answers the question; say so, or hand over.
	None Decision = iota
	// Suggest: some entries may answer it; offer them (Result.Suggestions).
	Suggest
	// Answer: Result.Best answers it.
	Answer
)

// String is "answer", "suggest" or "none".
func (d Decision) String() string {
	switch d {
	case Answer:
		return "answer"
	case Suggest:
		return "suggest"
	}
	return "none"
}

// Result is what Search found.
type Result struct {
	Decision Decision
	Best     *Entry  // the answer, when Decision is Answer
	Score    float64 // the best entry's score, normalized (see Options)
	// Hits are the best entries, at most 5, for traces: best first, but for
	// an entry whose question, phrasing or keyword the question is exactly,
	// which comes first and is the answer.
	Hits    []Hit
	suggest int // how many of Hits are suggested
}

// Hit is an entry that matched a question.
type Hit struct {
	Entry    *Entry
	Score    float64 // normalized, see Options
	Phrasing string  // the entry's text that matched best: question, phrasing or keyword
}

// Suggestions are the entries to offer, best first, when Decision is Suggest:
// one to Options.MaxSuggestions of them. It is nil for other decisions.
func (r Result) Suggestions() []*Entry {
	if r.Decision != Suggest {
		return nil
	}
	s := make([]*Entry, r.suggest)
	for i := range s {
		s[i] = r.Hits[i].Entry
	}
	return s
}

// maxHits is the most hits a Result lists.
const maxHits = 5

// decide turns ranked hits into a decision:
//
//   - Answer when the best entry scores at least MinScore and leads the
//     second by at least MinLead of its score, or scores at least
//     MarginScore and leads by at least MarginLead;
//   - else Suggest when the best scores at least SuggestScore: the entries
//     scoring at least SuggestScore and half the best, up to MaxSuggestions;
//   - else None.
func (ix *Index) decide(hits []Hit) Result {
	r := Result{Hits: hits}
	if len(hits) == 0 || hits[0].Score <= 0 {
		return r
	}
	o := &ix.opts
	best := hits[0].Score
	second := 0.0
	if len(hits) > 1 {
		second = hits[1].Score
	}
	r.Score = best
	switch {
	case best >= o.MinScore && (best-second)/best >= o.MinLead,
		best >= o.MarginScore && (best-second)/best >= o.MarginLead:
		r.Decision, r.Best = Answer, hits[0].Entry
	case best >= o.SuggestScore:
		r.Decision = Suggest
		floor := max(o.SuggestScore, best/2)
		for r.suggest < min(len(hits), o.MaxSuggestions) && hits[r.suggest].Score >= floor {
			r.suggest++
		}
	}
	return r
}

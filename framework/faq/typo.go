package faq

// Typo tolerance for Latin words, SymSpell-style: every word of the
// vocabulary is stored under the strings made by deleting one or two of its
// letters, so that a misspelt query word finds its candidates by looking up
// its own deletions, with no scan of the vocabulary. A query word of 4 to 7
// letters matches words within one edit (an insertion, deletion, substitution
// or transposition of neighbours: "refnd", "refudn", "refind" → "refund"), a
// word of 8 letters or more within two. Words with digits are left alone:
// "iphone15" is not a typo of "iphone16".

const (
	minTypoLen  = 4 // shorter query words must be spelt right
	minTypo2Len = 8 // from this length, two edits are forgiven
	minVocabLen = 3 // shorter vocabulary words are never a correction
	maxWordLen  = 32
)

// typoDistance is the number of edits forgiven in a query word of n letters.
func typoDistance(n int) int {
	switch {
	case n >= minTypo2Len:
		return 2
	case n >= minTypoLen:
		return 1
	}
	return 0
}

// typos finds vocabulary words near a misspelt one.
type typos struct {
	deletes map[string][]int32 // a deletion of a word → its targets
	targets []typoTarget
}

// typoTarget is a word a misspelling may stand for, and the tokens it
// matches: itself, or for a synonym, the tokens of its group's first member
// ("refnd" → refund → 退款).
type typoTarget struct {
	word    string
	ids     []int32   // token ids
	weights []float32 // their weights in a question
	df      int32     // documents holding the word, for ties
}

// typoWord reports whether w takes part in typo tolerance: lower-case ASCII
// letters only.
func typoWord(w string) bool {
	if len(w) > maxWordLen {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// newTypos indexes the words a misspelling may stand for.
func newTypos(targets []typoTarget) *typos {
	t := &typos{deletes: make(map[string][]int32)}
	buf := make([]byte, 0, maxWordLen)
	for _, target := range targets {
		w := target.word
		if len(w) < minVocabLen || !typoWord(w) || len(target.ids) == 0 {
			continue
		}
		i := int32(len(t.targets))
		t.targets = append(t.targets, target)
		// A vocabulary word of n letters meets query words of n-2 to n+2
		// letters; two deletions are needed only when such a query word
		// may have two edits.
		depth := 1
		if len(w)+2 >= minTypo2Len {
			depth = 2
		}
		t.addDeletes(buf, w, i, depth)
	}
	if len(t.targets) == 0 {
		return nil
	}
	return t
}

func (t *typos) addDeletes(buf []byte, w string, target int32, depth int) {
	t.add(w, target)
	for i := 0; i < len(w); i++ {
		d1 := append(append(buf[:0], w[:i]...), w[i+1:]...)
		s1 := string(d1)
		t.add(s1, target)
		if depth < 2 {
			continue
		}
		for j := i; j < len(s1); j++ {
			d2 := append(append(buf[:0], s1[:j]...), s1[j+1:]...)
			t.add(string(d2), target)
		}
	}
}

func (t *typos) add(key string, target int32) {
	list := t.deletes[key]
	if len(list) > 0 && list[len(list)-1] == target {
		return
	}
	t.deletes[key] = append(list, target)
}

// correct returns the target nearest to the misspelt word w and the number
// of edits, or nil when none is near enough. Among targets as near, the one
// with the most documents wins, then the first. buf is scratch space of at
// least 2*maxWordLen bytes.
func (t *typos) correct(w []byte, buf []byte) (_ *typoTarget, dist int) {
	maxDist := typoDistance(len(w))
	if t == nil || maxDist == 0 || len(w) > maxWordLen || !typoWord(string(w)) {
		return nil, 0
	}
	best, bestDist := int32(-1), maxDist+1
	consider := func(key []byte) {
		for _, i := range t.deletes[string(key)] {
			cand := &t.targets[i]
			if len(cand.word)-len(w) > maxDist || len(w)-len(cand.word) > maxDist {
				continue
			}
			d := editDistance(w, cand.word, maxDist)
			if d < bestDist || d == bestDist && best >= 0 && (cand.df > t.targets[best].df || cand.df == t.targets[best].df && i < best) {
				best, bestDist = i, d
			}
		}
	}
	consider(w)
	d1 := buf[:0:maxWordLen]
	d2 := buf[maxWordLen:maxWordLen]
	for i := 0; i < len(w); i++ {
		d1 = append(append(d1[:0], w[:i]...), w[i+1:]...)
		consider(d1)
		if maxDist < 2 {
			continue
		}
		for j := i; j < len(d1); j++ {
			d2 = append(append(d2[:0], d1[:j]...), d1[j+1:]...)
			consider(d2)
		}
	}
	if best < 0 || bestDist == 0 {
		return nil, 0
	}
	return &t.targets[best], bestDist
}

// editDistance is the optimal string alignment distance between a and b
// (Levenshtein with transpositions of neighbours), or max+1 when it is more
// than max.
func editDistance(a []byte, b string, max int) int {
	if len(a) > maxWordLen || len(b) > maxWordLen {
		return max + 1
	}
	var rows [3][maxWordLen + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], max+1)
}

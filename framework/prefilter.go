package framework

import (
	"regexp/syntax"
	"slices"
	"unicode"
	"unicode/utf8"
)

// A turn tries its transitions in order, and most of them fail: in a chart
// with a long global list, a question runs dozens of keyword searches and a
// few regular expressions before one matches. The prefilters here tell
// cheaply that a pattern cannot match, from the runes of the text, so that
// the search itself runs only when it might succeed. They are filters only:
// when they let a pattern through, it is matched exactly as without them.

// runeMask is a set of runes hashed into maskBits bits, a Bloom filter with
// one hash: a rune that is in the set always has its bit; a bit may stand for
// several runes. 128 bits keep a Turn, which holds one, in the allocation size
// class it had without; a short Chinese question sets a tenth of them.
type runeMask [maskBits / 64]uint64

const (
	maskBits  = 128
	maskShift = 32 - 7 // the top log2(maskBits) bits of a 32-bit hash
)

// add puts r in m. The multiplicative (Fibonacci) hash takes its top bits,
// which spreads both ASCII and runs of consecutive ideographs over the mask.
func (m *runeMask) add(r rune) {
	h := uint32(r) * 0x9e3779b1 >> maskShift
	m[h>>6] |= 1 << (h & 63)
}

// maskOf returns the mask of the runes of s, decoded as regexp and a range
// loop decode them: an invalid byte is utf8.RuneError.
func maskOf(s string) runeMask {
	var m runeMask
	for _, r := range s {
		m.add(r)
	}
	return m
}

// containsAll reports whether every bit of sub is in m. A word is a substring
// of a text only if each of its runes is a rune of the text (both being
// UTF-8, an occurrence of the word starts on a rune of the text), so a word
// whose mask is not in the text's cannot be found in it.
func (m *runeMask) containsAll(sub *runeMask) bool {
	for i := range m {
		if m[i]&sub[i] != sub[i] {
			return false
		}
	}
	return true
}

// intersects reports whether m and o share a bit.
func (m *runeMask) intersects(o *runeMask) bool {
	for i := range m {
		if m[i]&o[i] != 0 {
			return true
		}
	}
	return false
}

// regexFilter tells, before a regular expression runs, that it cannot match a
// text, from the runes its matches can start with. The zero regexFilter lets
// every text through.
type regexFilter struct {
	kind  filterKind
	first []rune   // filterFirstRune: sorted disjoint ranges lo, hi, lo, hi, …
	mask  runeMask // filterAnyRune: the runes a match can start with
}

type filterKind uint8

const (
	filterNone      filterKind = iota // nothing known: always run the regex
	filterFirstRune                   // anchored at the start: the text's first rune must be in first
	filterAnyRune                     // some rune of the text must be in mask
)

// maxMaskRunes bounds the runes put in a filterAnyRune mask: with more, most
// of its bits are set, and nearly every text shares one.
const maxMaskRunes = maskBits / 2

// compileRegexFilter builds the filter of pattern. It parses the pattern as
// regexp.Compile does (Perl flags, then Simplify), so that it walks the very
// expression that runs; a pattern it does not understand gets no filter.
func compileRegexFilter(pattern string) regexFilter {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return regexFilter{}
	}
	re = re.Simplify()
	set, nullable, ok := firstRunes(re, nil)
	if !ok || nullable {
		// A regex that may match the empty string matches every text
		// somewhere, or at least the empty one: no rune is needed.
		return regexFilter{}
	}
	set = mergeRanges(set)
	if anchoredAtStart(re) {
		return regexFilter{kind: filterFirstRune, first: set}
	}
	n := 0
	for i := 0; i < len(set); i += 2 {
		if n += int(set[i+1]-set[i]) + 1; n > maxMaskRunes {
			return regexFilter{}
		}
	}
	f := regexFilter{kind: filterAnyRune}
	for i := 0; i < len(set); i += 2 {
		for r := set[i]; r <= set[i+1]; r++ {
			f.mask.add(r)
		}
	}
	return f
}

// mayMatch reports whether the regex may match the turn's normalized text;
// false means it certainly does not.
func (f *regexFilter) mayMatch(t *Turn) bool {
	switch f.kind {
	case filterFirstRune:
		// Every match starts at the start of the text and consumes a
		// rune, which regexp decodes as DecodeRuneInString does.
		r, size := utf8.DecodeRuneInString(t.Normalized())
		return size > 0 && inRanges(f.first, r)
	case filterAnyRune:
		// Every match consumes a rune first, and that is a rune of the
		// text.
		return t.textMask().intersects(&f.mask)
	}
	return true
}

// firstRunes appends to set, as ranges lo, hi, every rune that a match of re
// can consume first. nullable reports whether re may match without consuming
// a rune; ok is false if re has a part whose first runes the walk does not
// know, such as . (any rune). Both answers may be too wide, never too narrow:
// zero-width assertions (^, $, \b, …) count as always true.
func firstRunes(re *syntax.Regexp, set []rune) (_ []rune, nullable, ok bool) {
	if zeroWidth(re.Op) {
		return set, true, true
	}
	switch re.Op {
	case syntax.OpNoMatch:
		return set, false, true
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return set, true, true
		}
		r := re.Rune[0]
		set = append(set, r, r)
		if re.Flags&syntax.FoldCase != 0 {
			// (?i): regexp matches the rune's whole SimpleFold orbit.
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				set = append(set, f, f)
			}
		}
		return set, false, true
	case syntax.OpCharClass:
		// The parser has already folded the class under (?i).
		return append(set, re.Rune...), false, true
	case syntax.OpCapture, syntax.OpPlus:
		return firstRunes(re.Sub[0], set)
	case syntax.OpStar, syntax.OpQuest:
		set, _, ok = firstRunes(re.Sub[0], set)
		return set, true, ok
	case syntax.OpRepeat: // Simplify spells repeats out, but a walk need not rely on it
		set, nullable, ok = firstRunes(re.Sub[0], set)
		return set, nullable || re.Min == 0, ok
	case syntax.OpConcat:
		// The first rune comes from the first item that consumes one: any of
		// the nullable items before the first that is not, or that one.
		for _, sub := range re.Sub {
			if set, nullable, ok = firstRunes(sub, set); !ok || !nullable {
				return set, nullable, ok
			}
		}
		return set, true, true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			var n bool
			if set, n, ok = firstRunes(sub, set); !ok {
				return set, false, false
			}
			nullable = nullable || n
		}
		return set, nullable, true
	}
	return set, false, false // OpAnyChar, OpAnyCharNotNL, and any op to come
}

// anchoredAtStart reports whether every match of re starts at the start of
// the text: re begins with \A or ^ without (?m) (OpBeginText), before
// anything that may consume a rune. A multi-line ^ (OpBeginLine) also
// matches after each newline, so it does not anchor.
func anchoredAtStart(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginText:
		return true
	case syntax.OpCapture:
		return anchoredAtStart(re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if anchoredAtStart(sub) {
				return true
			}
			if !zeroWidth(sub.Op) {
				return false
			}
		}
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !anchoredAtStart(sub) {
				return false
			}
		}
		return len(re.Sub) > 0
	}
	return false
}

// zeroWidth reports whether op never consumes a rune.
func zeroWidth(op syntax.Op) bool {
	switch op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpBeginText, syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	return false
}

// mergeRanges sorts ranges lo, hi, … and merges those that overlap or touch.
func mergeRanges(set []rune) []rune {
	pairs := make([][2]rune, 0, len(set)/2)
	for i := 0; i+1 < len(set); i += 2 {
		pairs = append(pairs, [2]rune{set[i], set[i+1]})
	}
	slices.SortFunc(pairs, func(a, b [2]rune) int { return int(a[0] - b[0]) })
	var out []rune
	for _, p := range pairs {
		if n := len(out); n > 0 && p[0] <= out[n-1]+1 {
			out[n-1] = max(out[n-1], p[1])
			continue
		}
		out = append(out, p[0], p[1])
	}
	return out
}

// inRanges reports whether r is in sorted disjoint ranges lo, hi, ….
func inRanges(ranges []rune, r rune) bool {
	lo, hi := 0, len(ranges)/2
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case r < ranges[2*m]:
			hi = m
		case r > ranges[2*m+1]:
			lo = m + 1
		default:
			return true
		}
	}
	return false
}

package faq

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
)

// Text goes through the same steps whether it is a phrasing being indexed or
// a customer's message:
//
//  1. framework.Normalize: NFKC (full-width forms to ASCII), case folding,
//     whitespace;
//  2. Traditional to Simplified (toSimplified);
//  3. everything but letters, digits and CJK characters (punctuation,
//     symbols, emoji, spaces) becomes a separator;
//  4. synonyms are replaced by their group's first member, longest first;
//  5. tokens: each run of letters and digits is a word; each run of CJK
//     characters gives its characters (unigrams) and each pair of adjacent
//     characters (bigrams), so that 退货 matches in 我想退货 without a word
//     segmenter and 货退 does not count as 退货.

// sep stands for any run of separators in prepared text.
const sep rune = ' '

// maxQueryRunes bounds how much of a message is read: a question fits, and a
// pasted essay costs no more than a long question.
const maxQueryRunes = 256

// runeClass sorts runes for tokenizing.
type runeClass uint8

const (
	classSep  runeClass = iota
	classWord           // letters and digits of alphabetic scripts: Latin words, numbers
	classCJK            // Han, kana, hangul: one token per character, plus bigrams
)

func classOf(r rune) runeClass {
	switch {
	case r < utf8.RuneSelf:
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' {
			return classWord
		}
		return classSep
	case 0x4e00 <= r && r <= 0x9fff, 0x3400 <= r && r <= 0x4dbf:
		return classCJK
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
		return classCJK
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		return classWord
	}
	return classSep
}

// clean returns s normalized, in Simplified Chinese, with every run of
// separators written as one sep and none at either end, appended to dst;
// at most limit runes of text are read (0: no limit).
func clean(dst []rune, s string, limit int) []rune {
	// Cut what cannot be read before normalizing it: NFKC of a pasted essay
	// costs milliseconds. A rune cut in two is dropped below as invalid.
	if limit > 0 && len(s) > 2*limit*utf8.UTFMax {
		s = s[:2*limit*utf8.UTFMax]
	}
	return cleanNormalized(dst, framework.Normalize(s), limit)
}

// cleanNormalized is clean for a text that framework.Normalize has
// normalized already: a turn's, which its other patterns have read.
func cleanNormalized(dst []rune, s string, limit int) []rune {
	if limit > 0 && len(s) > limit*utf8.UTFMax {
		s = s[:limit*utf8.UTFMax]
	}
	// Nearly no message needs t2s: the first pass finds out on the way.
	out, trad := appendClean(dst, s, limit, true)
	if trad {
		out, _ = appendClean(dst, toSimplified(s), limit, false)
	}
	return out
}

// appendClean appends s to dst, each run of separators as one sep, none at
// either end. If stopAtTrad, it stops at the first character that t2s
// changes, and reports it.
func appendClean(dst []rune, s string, limit int, stopAtTrad bool) (_ []rune, trad bool) {
	start, n := len(dst), 0
	for _, r := range s {
		if limit > 0 && n >= limit {
			break
		}
		if stopAtTrad && isTrad(r) {
			return dst, true
		}
		n++
		r = foldVariant(r)
		if r == utf8.RuneError || classOf(r) == classSep {
			if len(dst) > start && dst[len(dst)-1] != sep {
				dst = append(dst, sep)
			}
			continue
		}
		dst = append(dst, r)
	}
	if len(dst) > start && dst[len(dst)-1] == sep {
		dst = dst[:len(dst)-1]
	}
	return dst, false
}

// foldVariant maps characters that t2s leaves apart, though customers use
// them for the same word, to one of them: t2s turns 帳號 into 帐号, not 账号,
// and 甚麼 into 甚么. Both sides of a match are folded, so the merge costs
// nothing where the characters do differ (帐篷 and 账篷 meet, harmlessly).
func foldVariant(r rune) rune {
	switch r {
	case '帐':
		return '账'
	case '甚':
		return '什'
	case '妳', '祢':
		return '你'
	case '劵':
		return '券'
	}
	return r
}

// synonyms replaces the members of synonym groups by their canonical form.
type synonyms struct {
	nodes []synNode // nodes[0] is the root
	// firsts holds the members' first characters: most characters of a
	// question start no member, and a bit says so without the root's map.
	firsts runeSet
}

type synNode struct {
	next  map[rune]int32
	canon []rune // the replacement when a member ends here; nil if none
}

// newSynonyms compiles synonym groups: each member, cleaned, stands for the
// group's first member. A word in two groups keeps the first.
func newSynonyms(groups [][]string) *synonyms {
	s := &synonyms{nodes: []synNode{{}}}
	for _, g := range groups {
		var canon []rune
		for _, w := range g {
			m := clean(nil, w, 0)
			if len(m) == 0 {
				continue
			}
			if canon == nil {
				canon = m
			}
			s.add(m, canon)
		}
	}
	if len(s.nodes) == 1 {
		return nil
	}
	return s
}

func (s *synonyms) add(member, canon []rune) {
	s.firsts.add(member[0])
	n := int32(0)
	for _, r := range member {
		next, ok := s.nodes[n].next[r]
		if !ok {
			if s.nodes[n].next == nil {
				s.nodes[n].next = make(map[rune]int32)
			}
			next = int32(len(s.nodes))
			s.nodes[n].next[r] = next
			s.nodes = append(s.nodes, synNode{})
		}
		n = next
	}
	if s.nodes[n].canon == nil {
		s.nodes[n].canon = canon
	}
}

// replace appends text to dst with each synonym replaced, scanning left to
// right and taking the longest member that starts at each place. A member
// that starts or ends with a letter or digit matches whole words only:
// "app" is not found in "apple".
func (s *synonyms) replace(dst, text []rune) []rune {
	if s == nil {
		return append(dst, text...)
	}
	root := s.nodes[0].next
	for i := 0; i < len(text); {
		var first int32
		ok := false
		if r := text[i]; r >= 1<<16 || s.firsts.has(r) { // runeSet holds the BMP only
			first, ok = root[r]
		}
		if !ok || (i > 0 && classOf(text[i]) == classWord && classOf(text[i-1]) == classWord) {
			dst = append(dst, text[i])
			i++
			continue
		}
		var canon []rune
		end := 0
		for j, n := i+1, first; ; j++ {
			if c := s.nodes[n].canon; c != nil &&
				(j == len(text) || classOf(text[j-1]) != classWord || classOf(text[j]) != classWord) {
				canon, end = c, j
			}
			if j == len(text) {
				break
			}
			next, ok := s.nodes[n].next[text[j]]
			if !ok {
				break
			}
			n = next
		}
		if canon == nil {
			dst = append(dst, text[i])
			i++
			continue
		}
		dst = append(dst, canon...)
		i = end
	}
	return dst
}

// Token kinds.
const (
	kindWord uint8 = iota
	kindUni
	kindBi
)

// token is one token of prepared text: a word (a range of the text) or one
// or two CJK characters.
type token struct {
	kind       uint8
	inStop     bool  // a character of a stop bigram here: 麻 and 烦 in 麻烦问下
	r1, r2     rune  // the characters of a unigram or bigram
	start, end int32 // the word's range in the text
}

// tokenize appends the tokens of prepared text to dst.
func tokenize(dst []token, text []rune) []token {
	prevStop := false // whether text[i-1] and text[i] make a stop word
	for i := 0; i < len(text); {
		switch classOf(text[i]) {
		case classWord:
			j := i + 1
			for j < len(text) && classOf(text[j]) == classWord {
				j++
			}
			dst = append(dst, token{kind: kindWord, start: int32(i), end: int32(j)})
			i, prevStop = j, false
		case classCJK:
			next := i+1 < len(text) && classOf(text[i+1]) == classCJK
			nextStop := next && isStopPair(text[i], text[i+1])
			dst = append(dst, token{kind: kindUni, r1: text[i], inStop: nextStop || prevStop})
			if next {
				dst = append(dst, token{kind: kindBi, r1: text[i], r2: text[i+1]})
			}
			i, prevStop = i+1, nextStop
		default:
			i, prevStop = i+1, false
		}
	}
	return dst
}

// tokenString is a token as text, for traces and tests.
func tokenString(t token, text []rune) string {
	switch t.kind {
	case kindWord:
		return string(text[t.start:t.end])
	case kindUni:
		return string(t.r1)
	}
	return string([]rune{t.r1, t.r2})
}

func biKey(r1, r2 rune) uint64 { return uint64(r1)<<32 | uint64(uint32(r2)) }

// Stop words carry little meaning in a question: they are down-weighted by
// Options.StopWeight, not dropped, so that a question made only of them
// still has something to match.
var (
	// stopChars are function characters: particles, pronouns, question words.
	stopChars = runeSetOf(strings.Split("的 了 吗 呢 吧 啊 呀 哦 嘛 么 我 你 您 他 她 它 们 是 在 有 和 与 及 或 就 都 也 还 又 很 把 被 给 让 这 那 哪 个 些 一 请 问 怎 什 样 啥 能 可 以 会 要 想 得 地 着 过 呗 哈 嗯 喔 噢 啦 哟 吖", " "))
	// stopBigrams are function words; bigrams of two stop characters (怎么,
	// 可以, 我的, 一下) are stop words too.
	stopBigrams = bigramSetOf(strings.Split("如何 为什 为何 是不 不是 有没 没有 能不 可不 会不 行不 不行 需要 麻烦 谢谢 你好 您好 请教 咨询 想问 问下 一下 一个 多少 时候 哪里 哪儿 为啥 是否 怎样", " "))
	// stopWords are English function words.
	stopWords = toSet(strings.Split("a an the i me my mine you your we our us is are am was were be been do does did can could would should will shall may might must to of in on at for with and or but if it its this that these those what when where how why which who whom please hi hello hey there here get got want need have has had not no yes ok okay thanks thank so just about any some", " "))
)

func toSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// runeSet is a set of characters of the Basic Multilingual Plane, where
// every stop character is: a bit each. Every character of every question is
// looked up in it, and a bit test costs a fraction of a map lookup.
type runeSet [1 << 16 / 64]uint64

func (s *runeSet) add(r rune) {
	if r >= 0 && r < 1<<16 {
		s[r>>6] |= 1 << (r & 63)
	}
}

func (s *runeSet) has(r rune) bool {
	return r >= 0 && r < 1<<16 && s[r>>6]&(1<<(r&63)) != 0
}

func runeSetOf(chars []string) *runeSet {
	s := new(runeSet)
	for _, c := range chars {
		r, _ := utf8.DecodeRuneInString(c)
		s.add(r)
	}
	return s
}

// bigramSet is a set of pairs of characters. Its first characters are kept
// apart too, to answer most lookups without the map.
type bigramSet struct {
	first runeSet
	pairs map[uint64]bool
}

func (s *bigramSet) has(r1, r2 rune) bool {
	return s.first.has(r1) && s.pairs[biKey(r1, r2)]
}

func bigramSetOf(words []string) *bigramSet {
	s := &bigramSet{pairs: make(map[uint64]bool, len(words))}
	for _, w := range words {
		r := []rune(w)
		s.first.add(r[0])
		s.pairs[biKey(r[0], r[1])] = true
	}
	return s
}

// isStop reports whether a token is a stop word, or a character of one;
// word is a word token's text, as UTF-8.
func isStop(t token, word []byte) bool {
	switch t.kind {
	case kindUni:
		return stopChars.has(t.r1) || t.inStop
	case kindBi:
		return isStopPair(t.r1, t.r2)
	}
	return stopWords[string(word)] || isNumber(word)
}

// isStopPair reports whether two characters make a stop word: two stop
// characters (怎么, 可以, 我的), or a listed pair (如何, 麻烦, 时候).
func isStopPair(r1, r2 rune) bool {
	return stopChars.has(r1) && stopChars.has(r2) || stopBigrams.has(r1, r2)
}

// isNumber reports whether a word is only digits: an order number or an
// amount says little about which question is asked.
func isNumber(w []byte) bool {
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(w) > 0
}

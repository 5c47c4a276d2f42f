package faq

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
)

// synth generates knowledge bases and questions that look like Chinese FAQs
// to the index: characters drawn with a Zipf distribution (a few very
// common ones, a long tail), words of one to three characters, general words
// (the commonest thousand, drawn with a Zipf distribution too) and topic
// words (the others). An entry is about a topic of two or three topic words;
// its phrasings wrap the topic in general words, a question word and
// particles, and now and then an English word.
type synth struct {
	rng   *rand.Rand
	chars []rune
	words []string
	latin []string
	cz    *rand.Zipf
	wz    *rand.Zipf
}

var (
	synthPrefixes = []string{"", "", "", "请问", "你好，", "我想问一下", "麻烦问下", "亲，"}
	synthQwords   = []string{"怎么", "如何", "什么时候", "为什么", "哪里", "多久", "能不能", "可以", "是不是", "有没有"}
	synthSuffixes = []string{"", "", "吗", "呢", "？", "啊", "了吗", "呀"}
)

func newSynth(seed uint64, nChars, nWords int) *synth {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s := &synth{rng: rng}
	// Characters from the common ideograph block, in a random order: the
	// Zipf draw makes the first ones common.
	seen := map[rune]bool{}
	for len(s.chars) < nChars {
		r := rune(0x4e00 + rng.IntN(0x9fa5-0x4e00))
		if !seen[r] && !isTrad(r) { // Simplified text, as a mainland shop writes it
			seen[r] = true
			s.chars = append(s.chars, r)
		}
	}
	s.cz = rand.NewZipf(rng, 1.1, 20, uint64(nChars-1))
	wordSeen := map[string]bool{}
	for len(s.words) < nWords {
		n := 2
		switch x := rng.IntN(10); {
		case x < 1:
			n = 1
		case x < 3:
			n = 3
		}
		var b strings.Builder
		for range n {
			b.WriteRune(s.chars[s.cz.Uint64()])
		}
		if w := b.String(); !wordSeen[w] {
			wordSeen[w] = true
			s.words = append(s.words, w)
		}
	}
	s.wz = rand.NewZipf(rng, 1.05, 50, synthGeneral-1)
	for i := 0; i < 300; i++ {
		var b strings.Builder
		for range 4 + rng.IntN(6) {
			b.WriteByte(byte('a' + rng.IntN(26)))
		}
		s.latin = append(s.latin, b.String())
	}
	return s
}

// synthGeneral is how many of the words are general words.
const synthGeneral = 1000

func (s *synth) pick(list []string) string { return list[s.rng.IntN(len(list))] }

// topicWord is a word of the long tail, drawn uniformly.
func (s *synth) topicWord() string {
	return s.words[synthGeneral+s.rng.IntN(len(s.words)-synthGeneral)]
}

func (s *synth) word() string {
	if s.rng.IntN(25) == 0 {
		return " " + s.pick(s.latin) + " "
	}
	return s.words[s.wz.Uint64()]
}

// phrase wraps topic words in filler, a question word and particles.
func (s *synth) phrase(topic []string) string {
	var b strings.Builder
	b.WriteString(s.pick(synthPrefixes))
	parts := append([]string(nil), topic[:1+s.rng.IntN(len(topic))]...)
	for range 1 + s.rng.IntN(3) {
		parts = append(parts, s.word())
	}
	s.rng.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	for i, p := range parts {
		if i == len(parts)/2 {
			b.WriteString(s.pick(synthQwords))
		}
		b.WriteString(p)
	}
	b.WriteString(s.pick(synthSuffixes))
	return b.String()
}

// kb generates n entries of a question and four phrasings each.
func (s *synth) kb(n int) (*KnowledgeBase, [][]string) {
	kb := &KnowledgeBase{Entries: make([]Entry, n)}
	topics := make([][]string, n)
	for i := range kb.Entries {
		topic := make([]string, 2+s.rng.IntN(2))
		for j := range topic {
			topic[j] = s.topicWord()
		}
		topics[i] = topic
		e := &kb.Entries[i]
		e.ID = fmt.Sprintf("e%05d", i)
		e.Question = s.phrase(topic)
		for range 4 {
			e.Phrasings = append(e.Phrasings, s.phrase(topic))
		}
		if s.rng.IntN(2) == 0 {
			e.Keywords = []string{topic[0]}
		}
		e.Answer = framework.Say("答案" + e.ID)
	}
	// Synonym groups pair words, not single characters: a one-character
	// synonym would rewrite that character inside every other word.
	word2 := func() string {
		for {
			if w := s.topicWord(); len([]rune(w)) >= 2 {
				return w
			}
		}
	}
	for range n / 200 {
		kb.Synonyms = append(kb.Synonyms, []string{word2(), word2()})
	}
	return kb, topics
}

// queries generates n questions: most paraphrase an entry (its topic with
// other filler), some are out of scope (filler only).
func (s *synth) queries(topics [][]string, n int) []string {
	qs := make([]string, n)
	for i := range qs {
		if s.rng.IntN(5) == 0 { // out of scope: general words only
			qs[i] = s.phrase([]string{s.word()})
			continue
		}
		qs[i] = s.phrase(topics[s.rng.IntN(len(topics))])
	}
	return qs
}

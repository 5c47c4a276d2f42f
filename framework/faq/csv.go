package faq

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
)

// csvColumns are the columns a CSV knowledge base may have, in any order.
var csvColumns = []string{"id", "question", "phrasings", "keywords", "answer", "tags", "next"}

// LoadCSV reads a knowledge base from CSV, as spreadsheets export it: a
// header row naming the columns, then one entry a row.
//
//	id,question,phrasings,keywords,answer,tags,next
//	refund_time,退款多久到账？,钱什么时候退回来|退款几天能到,到账,退款按原支付方式退回…,售后,
//
// id, question and answer are required; phrasings, keywords and tags hold
// several values separated by "|", and may be left out or empty. An answer
// is one text. A UTF-8 byte order mark, as Excel writes it, is skipped.
// Errors name file:line:col.
//
// A CSV file has no synonyms. To give its entries some, write a YAML file
// next to it that keeps the synonyms and takes its entries from the CSV
// file, and load that one with Load or LoadFS:
//
//	synonyms:
//	  - [退款, 退钱, 退费, refund]
//	entries_csv: faq.csv
func LoadCSV(name string, data []byte) (*KnowledgeBase, error) {
	return load(name, ".csv", data, nil)
}

func (l *loader) csv(data []byte) *KnowledgeBase {
	kb := &KnowledgeBase{File: l.file}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		line := bytes.Count(data[:firstInvalid(data)], []byte("\n")) + 1
		l.add(line, 1, "save the file as CSV UTF-8 (Excel: 另存为 → CSV UTF-8)", "the file is not UTF-8 text")
		return kb
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	l.lines = bytes.Split(data, []byte("\n"))
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			l.add(1, 1, "write a header row: "+strings.Join(csvColumns, ","), "the file is empty")
		} else {
			l.csvError(err)
		}
		return kb
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		line, c := l.fieldPos(r, i)
		switch {
		case !containsString(csvColumns, h):
			fix := "the columns are " + strings.Join(csvColumns, ", ")
			if near := nearest(h, csvColumns); near != "" {
				fix = "did you mean " + near + "? " + fix
			}
			l.add(line, c, fix, "unknown column %q", h)
		case col[h] != 0:
			l.add(line, c, "remove one of them", "the column %s appears twice", h)
		default:
			col[h] = i + 1 // 0 means absent
		}
	}
	for _, need := range []string{"id", "question", "answer"} {
		if col[need] == 0 {
			l.add(1, 1, "add the column "+need+" to the header row", "the header has no column %s", need)
		}
	}
	if len(l.problems) > 0 {
		return kb
	}

	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			l.csvError(err)
			return kb
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			l.add(line, 1, "check for a missing or extra comma, or a text with commas that needs quotes",
				"the row has %d fields, the header %d", len(rec), len(header))
			continue
		}
		get := func(c string) (string, int, int) {
			i := col[c] - 1
			if i < 0 {
				return "", line, 1
			}
			ln, cn := l.fieldPos(r, i)
			return strings.TrimSpace(rec[i]), ln, cn
		}
		e := Entry{Pos: framework.Pos{File: l.file, Line: line, Col: 1}}
		id, ln, cn := get("id")
		e.ID = id
		if id == "" {
			l.add(ln, cn, "give every entry an id: a short name like refund_time", "the id is blank")
		} else {
			l.addID(id, ln, cn)
		}
		q, ln, cn := get("question")
		e.Question = q
		if q == "" {
			l.add(ln, cn, "write the question this entry answers", "the question is blank")
		} else {
			l.addText(id, q, ln, cn, "question")
		}
		e.Phrasings = l.csvList(get, "phrasings")
		for _, p := range e.Phrasings {
			_, ln, cn := get("phrasings")
			l.addText(id, p, ln, cn, "phrasing")
		}
		e.Keywords = l.csvList(get, "keywords")
		e.Tags = l.csvList(get, "tags")
		e.Next, _, _ = get("next")
		a, ln, cn := get("answer")
		if a == "" {
			l.add(ln, cn, "write the answer", "the answer is blank")
		} else if strings.Contains(a, "{{") {
			if _, err := template.New("answer").Option("missingkey=zero").Parse(a); err != nil {
				l.add(ln, cn, "fix the {{ }} template", "the answer's template does not parse: %s", strings.TrimPrefix(err.Error(), "template: answer:"))
			}
		}
		e.Answer = framework.Say(a)
		kb.Entries = append(kb.Entries, e)
	}
	if len(kb.Entries) == 0 && len(l.problems) == 0 {
		l.add(1, 1, "write one entry a row below the header", "the file has no entries")
	}
	return kb
}

// csvList splits a "|"-separated cell, reporting empty items.
func (l *loader) csvList(get func(string) (string, int, int), c string) []string {
	s, ln, cn := get(c)
	if s == "" {
		return nil
	}
	var out []string
	for _, item := range strings.Split(s, "|") {
		item = strings.TrimSpace(item)
		if item == "" {
			l.add(ln, cn, `separate the `+c+` with single "|", with text between them`, "%s has an empty item", c)
			continue
		}
		out = append(out, item)
	}
	return out
}

func (l *loader) csvError(err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		l.add(pe.Line, l.runeCol(pe.Line, pe.Column), `put a text holding commas, quotes or line breaks in "double quotes", and write a quote inside it as ""`,
			"CSV syntax error: %v", pe.Err)
		return
	}
	l.add(1, 1, "", "the CSV cannot be read: %v", err)
}

// fieldPos returns the line and column of field i of the record just read.
// encoding/csv counts columns in bytes; editors and these messages count
// characters.
func (l *loader) fieldPos(r *csv.Reader, i int) (line, col int) {
	line, col = r.FieldPos(i)
	return line, l.runeCol(line, col)
}

// runeCol turns a 1-based byte column of a line into a character column.
func (l *loader) runeCol(line, col int) int {
	if line < 1 || line > len(l.lines) {
		return col
	}
	text := l.lines[line-1]
	return utf8.RuneCount(text[:min(max(col-1, 0), len(text))]) + 1
}

func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(data)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

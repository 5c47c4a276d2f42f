package chart

import (
	"fmt"
	"strconv"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/faq"
	"gopkg.in/yaml.v3"
)

// faq reads a knowledge-base pattern:
//
//   - faq: kb/faq.yaml
//   - faq: {kb: kb/faq.yaml, min_score: 0.5, min_lead: 0.2, suggest_score: 0.35}
//
// The file is read from Loader.Files; each file and set of thresholds is
// indexed once per load, however many transitions use it.
func (p *parser) faq(f pair) framework.Match {
	v := resolve(f.v)
	var path string
	var opts faq.Options
	switch v.Kind {
	case yaml.ScalarNode:
		path, _ = p.text(f)
	case yaml.MappingNode:
		for _, g := range p.fields(v, "faq:", faqKeys) {
			switch g.key {
			case "kb":
				path, _ = p.text(g)
			case "min_score":
				opts.MinScore = p.fraction(g)
			case "min_lead":
				opts.MinLead = p.fraction(g)
			case "suggest_score":
				opts.SuggestScore = p.fraction(g)
			}
		}
	default:
		p.report(v, "write faq: FILE, or faq: {kb: FILE, min_score: 0.45}", "faq: must name a knowledge base")
		return framework.Match{}
	}
	if path == "" {
		p.report(v, "name the knowledge base file: faq: kb/faq.yaml", "faq: names no knowledge base")
		return framework.Match{}
	}
	if p.ld.files2 == nil {
		p.report(v, "load the chart with a chart.Loader whose Files holds "+path, "faq: %s, but no data files are configured", path)
		return framework.Match{}
	}
	key := fmt.Sprintf("%s|%v", path, opts)
	tr, ok := p.ld.kbs[key]
	if !ok {
		kb, err := faq.LoadFS(p.ld.files2, path)
		if err != nil {
			p.report(v, "fix the knowledge base", "faq: %s: %v", path, err)
			return framework.Match{}
		}
		if tr, err = faq.NewTrigger(path, faq.NewIndex(kb, opts)); err != nil {
			p.report(v, "fix the knowledge base", "faq: %s: %v", path, err)
			return framework.Match{}
		}
		p.ld.kbs[key] = tr
	}
	return tr.Pattern()
}

var faqKeys = keys{known: []string{"kb", "min_score", "min_lead", "suggest_score"}}

// fraction reads a threshold between 0 and 1.
func (p *parser) fraction(f pair) float64 {
	v := resolve(f.v)
	x, err := strconv.ParseFloat(v.Value, 64)
	if err != nil || x < 0 || x > 1 {
		p.report(v, "write a number from 0 to 1, such as 0.45", "%s: %q is not a threshold", f.key, v.Value)
		return 0
	}
	return x
}

// Package statecharts holds the YAML charts this repository ships, embedded
// so that a bot binary carries its default chart and needs no files to run.
//
// A file that starts with bot: is a chart (faq.yaml, orders.yaml); one that
// starts with flow: is a reusable flow that charts include with use:
// (handoff.yaml, csat.yaml, confirm.yaml), so FS is also the bots' flow
// library: chart.Loader{Flows: statecharts.FS}.
//
// Each chart and flow NAME.yaml has its Mermaid diagram beside it, NAME.md.
// TestDiagrams fails when one is stale; make charts redraws them.
package statecharts

import "embed"

// FS holds every chart, by file name: FS.ReadFile("faq.yaml").
//
//go:embed *.yaml kb/*.yaml
var FS embed.FS

// Package statecharts holds the YAML charts this repository ships, embedded
// so that a bot binary carries its default chart and needs no files to run.
//
// Each chart NAME.yaml has its rendered diagram beside it.
package statecharts

import "embed"

// FS holds every chart, by file name: FS.ReadFile("faq.yaml").
//
//go:embed *.yaml
var FS embed.FS

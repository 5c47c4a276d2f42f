package cli_test

import (
	"testing"
)

// hours answers 人工 by the time of day, in Asia/Shanghai.
const hours = `bot: hours
initial: start
time_zone: Asia/Shanghai
states:
  start:
    on:
      - exact: 人工
        if: hour >= 9 && hour < 22
        to: open
      - exact: 人工
        to: closed
  open:
    reply: 请稍候
    on:
      - exact: 结束
        to: start
  closed:
    reply: 请留言
    on:
      - exact: 结束
        to: start
`

// test plays each transcript with the clock its now: says; transcripts
// without one keep the real time.
func TestTestNow(t *testing.T) {
	dir := t.TempDir()
	chart := writeFile(t, dir, "hours.yaml", hours)
	writeFile(t, dir, "t/day.yaml", `name: 白天
now: 2026-11-27T10:00:00+08:00
steps:
  - say: 人工
    expect: {state: open, reply: 请稍候}
  - say: 结束
    expect: {state: start}
`)
	writeFile(t, dir, "t/night.yaml", `name: 夜里
now: 2026-11-27T23:30:00+08:00
steps:
  - say: 人工
    expect: {state: closed, reply: 请留言}
  - say: 结束
    expect: {state: start}
`)
	writeFile(t, dir, "t/same_night.yaml", `now: 2026-11-27T15:30:00Z
steps:
  - say: 人工
    expect: {state: closed}
`)
	bad := writeFile(t, dir, "bad/now.yaml", "now: 晚上\nsteps:\n  - say: 人工\n")
	run(t, faq, "", "test", "--chart", chart, "--coverage", dir+"/t").check(t, 0, []string{
		"re:^coverage: 100\\.0% of transitions \\(4/4\\)$",
		"re:^3 passed, 0 failed$",
	}, nil)
	run(t, faq, "", "test", "--chart", chart, bad).check(t, 1, nil, []string{"now.yaml:1: now:"})
}

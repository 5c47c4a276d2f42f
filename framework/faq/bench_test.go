package faq

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"
)

// The benchmarks index generated knowledge bases (synth_test.go) of 1,000
// and 10,000 entries, a question and four phrasings each, over a vocabulary
// of 6,000 words of 3,500 characters.
//
//	go test -run X -bench . ./framework/faq

// BenchmarkBuild reports the time to index (build-ms) and the heap the index
// holds (MiB), measured with runtime.ReadMemStats before and after.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			kb, _ := newSynth(1, 3500, 6000).kb(n)
			loadT2S()
			var build, cpu time.Duration
			var mib float64
			for b.Loop() {
				d, c, m := measureBuild(kb)
				build, cpu, mib = build+d, cpu+c, m
			}
			b.ReportMetric(float64(build.Milliseconds())/float64(b.N), "build-ms")
			if cpu > 0 {
				b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "build-cpu-ms")
			}
			b.ReportMetric(mib, "MiB")
		})
	}
}

// measureBuild indexes kb and returns the time it took, wall-clock and CPU
// time of the building thread (0 where unknown), and the heap the index
// holds, in MiB.
func measureBuild(kb *KnowledgeBase) (wall, cpu time.Duration, mib float64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c0, ok := threadCPU()
	t0 := time.Now()
	ix := NewIndex(kb, Options{})
	wall = time.Since(t0)
	if c1, _ := threadCPU(); ok {
		cpu = c1 - c0
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(ix)
	return wall, cpu, float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
}

// BenchmarkSearch asks 5,000 different questions, four in five paraphrasing
// an entry and one in five out of scope, and reports latency percentiles:
// wall-clock (p50-µs, p99-µs) and, on Linux, the CPU time of the searching
// thread (cpu-p50-µs, cpu-p99-µs), which leaves out the time spent waiting
// for a CPU on a busy machine.
func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			s := newSynth(1, 3500, 6000)
			kb, topics := s.kb(n)
			ix := NewIndex(kb, Options{})
			qs := s.queries(topics, 5000)
			for _, q := range qs { // warm the pool
				ix.Search(q)
			}
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			wall := make([]time.Duration, 0, b.N)
			cpu := make([]time.Duration, 0, b.N)
			i := 0
			for b.Loop() {
				q := qs[i%len(qs)]
				i++
				c0, ok := threadCPU()
				t0 := time.Now()
				ix.Search(q)
				wall = append(wall, time.Since(t0))
				if c1, _ := threadCPU(); ok {
					cpu = append(cpu, c1-c0)
				}
			}
			b.ReportMetric(percentile(wall, 0.50), "p50-µs")
			b.ReportMetric(percentile(wall, 0.99), "p99-µs")
			if len(cpu) > 0 {
				b.ReportMetric(percentile(cpu, 0.50), "cpu-p50-µs")
				b.ReportMetric(percentile(cpu, 0.99), "cpu-p99-µs")
			}
		})
	}
}

// percentile returns the p-th percentile of ds in microseconds.
func percentile(ds []time.Duration, p float64) float64 {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Nanoseconds()) / 1000
}

// TestIndexBudget holds a 10,000-entry index to its memory budget, 50 MiB,
// and its build time to one second: CPU time where it is known, as a busy
// machine makes wall-clock time say little.
func TestIndexBudget(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("builds a 10,000-entry index")
	}
	kb, _ := newSynth(1, 3500, 6000).kb(10000)
	loadT2S()
	wall, cpu, mib := measureBuild(kb)
	t.Logf("10,000 entries: built in %v (CPU %v), %.1f MiB", wall, cpu, mib)
	if mib > 50 {
		t.Errorf("the index holds %.1f MiB, more than 50", mib)
	}
	d := cpu
	if d == 0 {
		d = wall
	}
	if d > time.Second {
		t.Errorf("building took %v, more than a second", d)
	}
}

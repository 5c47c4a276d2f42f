//go:build !linux

package faq

import "time"

// threadCPU is not available: benchmarks report wall-clock time only.
func threadCPU() (time.Duration, bool) { return 0, false }

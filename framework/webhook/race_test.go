//go:build race

package webhook

// raceEnabled: the race detector changes what escapes to the heap.
const raceEnabled = true

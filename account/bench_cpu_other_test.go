//go:build !unix

package account

import "testing"

// cpuClock has no CPU time to read on this system; the benchmarks report
// their wall time alone.
type cpuClock struct{}

func startCPU() cpuClock { return cpuClock{} }

func (cpuClock) report(*testing.B) {}

//go:build unix

package wire

import (
	"syscall"
	"time"
)

// ProcessCPU returns the CPU time this process has used, user and system.
// The in-process benchmarks report it per request beside the latencies:
// on a shared machine, wall time measures the neighbours too, and with
// server and load generator in one process it is the cost of both.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

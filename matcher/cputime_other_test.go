//go:build !unix

package matcher_test

import "time"

// processCPU is not available here; benchmarks report 0.
func processCPU() time.Duration { return 0 }

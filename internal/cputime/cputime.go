// Package cputime reads the CPU time of the process, for benchmarks that
// report it per operation beside the wall time: on a shared machine, wall
// time measures the neighbours too.
package cputime

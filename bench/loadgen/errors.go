package main

import "errors"

// errUsage marks a mistake in the flags; main exits with status 2.
var errUsage = errors.New("usage")

// errFailures is returned after the report when requests failed or were
// missed; main exits with status 1.
var errFailures = errors.New("requests failed")

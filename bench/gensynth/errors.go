package main

import "errors"

// errUsage marks a mistake in the flags; main exits with status 2.
var errUsage = errors.New("usage")

package mix

import "errors"

// ErrWeights is returned when the weights of a mix cannot be read or are
// all 0.
var ErrWeights = errors.New("invalid mix weights")

// ErrNoTargets is returned when a mix with hits or near misses has no
// person entry to derive them from.
var ErrNoTargets = errors.New("no person entries to derive hits from")

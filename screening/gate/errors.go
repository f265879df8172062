package gate

import "errors"

// ErrUnknownGate is returned, in a *screening.ValidationError for the field
// "gate", when an event names a gate that the configuration does not
// register. Gates are registered so that a misconfigured or rogue device
// is refused (400) rather than decided under a guessed profile.
var ErrUnknownGate = errors.New("gate is not registered in the gate configuration")

// ErrWrongPort is returned, in a *screening.ValidationError for the field
// "port", when an event's port is not the port its gate is registered at.
var ErrWrongPort = errors.New("gate is registered at another port")

// ErrFuture is returned, in a *screening.ValidationError for the field
// "time", when an event's time is later than the server's clock plus the
// clock-skew allowance.
var ErrFuture = errors.New("time is in the future beyond the clock-skew allowance")

// ErrStale is returned, in a *screening.ValidationError for the field
// "time", when an event is older than the configured maximum event age: a
// decision for it would come too late to matter and could be a replay.
var ErrStale = errors.New("time is older than the maximum event age")

// ErrScore is returned, in a *screening.ValidationError, when a score or a
// threshold is outside [0, 1].
var ErrScore = errors.New("scores and thresholds must lie in [0, 1]")

// ErrConfig is matched by every error of LoadConfig and Config.Validate: a
// configuration that cannot be used.
var ErrConfig = errors.New("invalid gate configuration")

// ErrNotReady is returned by Service.Decide before the recent-use memory has
// been rebuilt from the event log: deciding without it could accept a cloned
// document that the log would have exposed.
var ErrNotReady = errors.New("the recent-use memory is not rebuilt yet")

package main

import (
	"io"
	"log/slog"
)

// quietLogger logs warnings and errors as text to w.
func quietLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/docfmt"
	"github.com/bordersec/portcullis/store"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "--list NAME --format FORMAT [flags] FILE|DIR|-")
	data := dataFlag(fs)
	list := fs.String("list", "", "the `name` of the list to replace with the file's entries (required)")
	format := fs.String("format", "", "the file's `format`: "+formatNames()+"; detected from the contents when not given")
	skip := fs.Bool("skip-invalid", false, "import the usable records and list the others, instead of refusing the file")
	allowEmpty := fs.Bool("allow-empty", false, "let a file with no usable record empty the list")
	reason := fs.String("reason", "", "why the list changes, for the audit trail")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *list == "" || fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("import: need --list and one FILE: %w", errUsage)
	}
	if err := screening.ValidateListName(*list); err != nil {
		return fmt.Errorf("import: %v: %w", err, errUsage)
	}
	path := fs.Arg(0)
	if docfmt.IsFormat(*format) {
		return importDocuments(ctx, e, documentImport{data: *data, list: *list, format: *format, path: path,
			skip: *skip, allowEmpty: *allowEmpty, reason: *reason})
	}

	src, fmtName, err := openSource(*format, path, e.stdin)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	*format = fmtName
	defer src.Close()
	bar := newProgress(e.stderr, src.size, "importing "+*list)
	src.onRead = func(n int) { bar.add(n) }

	db, err := store.Open(*data, &store.Options{Logger: quietLogger(e.stderr)})
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.Import(ctx, *list, src.reader, screening.ImportOptions{
		Actor: cliActor(), Reason: *reason, Format: *format, Source: path,
		SkipInvalid: *skip, AllowEmpty: *allowEmpty, Digest: src.digest,
		Progress: func(n int) { bar.entries(n) },
	})
	bar.finish()
	if err := reportImport(e, path, res, err); err != nil {
		return err
	}
	s := res.Change.Import
	imported := s.Added + s.Changed + s.Unchanged
	secs := res.Duration.Seconds()
	fmt.Fprintf(e.stdout, "imported %d entries into list %q at version %d (added %d, changed %d, unchanged %d, removed %d), skipped %d; %.2f s, %.0f entries/s\n",
		imported, *list, res.Change.Version, s.Added, s.Changed, s.Unchanged, s.Removed, s.Skipped,
		secs, float64(imported)/max(secs, 1e-9))
	return nil
}

// source is an opened import input: the entry reader over it, its size in
// bytes when known, and the SHA-256 of what was read.
type source struct {
	reader  screening.EntryReader
	size    int64
	h       hash.Hash
	closers []io.Closer
	onRead  func(int)
}

func (s *source) Close() error {
	var first error
	for _, c := range s.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *source) digest() string {
	if s.h == nil {
		return ""
	}
	return hex.EncodeToString(s.h.Sum(nil))
}

// countingReader hashes and counts what passes through it.
type countingReader struct {
	r io.Reader
	s *source
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.s.h.Write(p[:n])
		if c.s.onRead != nil {
			c.s.onRead(n)
		}
	}
	return n, err
}

// openFile opens path ("-" is stdin) for a single-file format and wraps it
// so that its bytes are hashed and counted.
func (s *source) openFile(path string, stdin io.Reader) (io.Reader, error) {
	s.h = sha256.New()
	if path == "-" {
		return &countingReader{r: stdin, s: s}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, f)
	if st, err := f.Stat(); err == nil {
		s.size = st.Size()
	}
	return &countingReader{r: f, s: s}, nil
}

// progress is a progress bar on a terminal, and nothing elsewhere.
type progress struct {
	bar   *progressbar.ProgressBar
	bytes bool
}

func newProgress(w io.Writer, size int64, what string) *progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &progress{}
	}
	if size > 0 {
		return &progress{bytes: true, bar: progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
			progressbar.OptionShowBytes(true), progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())}
	}
	return &progress{bar: progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what+" (entries)"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish())}
}

func (p *progress) add(n int) {
	if p.bar != nil && p.bytes {
		p.bar.Add(n)
	}
}

func (p *progress) entries(n int) {
	if p.bar != nil && !p.bytes {
		p.bar.Set(n)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

// reportImport writes to stderr the records an import refused or skipped
// and returns the error to exit with, nil when the import went through.
func reportImport(e *env, path string, res *screening.ImportResult, err error) error {
	var ie *screening.ImportError
	if errors.As(err, &ie) {
		for _, r := range ie.Records {
			fmt.Fprintf(e.stderr, "%s: %v\n", path, r)
		}
		if ie.Count > len(ie.Records) {
			fmt.Fprintf(e.stderr, "%s: … and %d more\n", path, ie.Count-len(ie.Records))
		}
		return fmt.Errorf("import refused: %d record(s) of %s cannot be used; nothing was changed (use --skip-invalid to import the rest)", ie.Count, path)
	}
	if err != nil {
		return fmt.Errorf("import refused, nothing was changed: %w", err)
	}
	for _, r := range res.Skipped {
		fmt.Fprintf(e.stderr, "%s: skipped %v\n", path, r)
	}
	if n := res.Change.Import.Skipped; n > len(res.Skipped) {
		fmt.Fprintf(e.stderr, "%s: … and %d more skipped\n", path, n-len(res.Skipped))
	}
	return nil
}

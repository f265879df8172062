package main

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bordersec/portcullis/matcher"
)

func runScore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "score", "[--kind person|organization] < pairs.tsv")
	kind := fs.String("kind", "person", "what the names are: person or organization")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("score: unexpected argument %q: %w", fs.Arg(0), errUsage)
	}
	var k matcher.Kind
	switch *kind {
	case "person":
		k = matcher.Person
	case "organization", "organisation":
		k = matcher.Organization
	default:
		return fmt.Errorf("score: --kind %q: want person or organization: %w", *kind, errUsage)
	}
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	line := 0
	for sc.Scan() {
		line++
		if line%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		a, b, ok := strings.Cut(strings.TrimRight(sc.Text(), "\r"), "\t")
		switch {
		case !ok:
			return fmt.Errorf("score: line %d: want NAME_A<TAB>NAME_B, found no tab", line)
		case strings.Contains(b, "\t"):
			return fmt.Errorf("score: line %d: want NAME_A<TAB>NAME_B, found more than one tab", line)
		case strings.TrimSpace(a) == "" || strings.TrimSpace(b) == "":
			return fmt.Errorf("score: line %d: a name is empty", line)
		}
		score, _ := matcher.ScoreNames(a, b, k)
		out.WriteString(strconv.FormatFloat(score, 'f', 4, 64))
		out.WriteByte('\t')
		out.WriteString(strconv.FormatBool(score >= matcher.DefaultReferThreshold))
		out.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("score: after line %d: %w", line, err)
	}
	return nil
}

package paxlst

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/bordersec/portcullis/screening/edifact"
)

// GenerateOptions shape the messages Generate writes. The zero value (or a
// nil *GenerateOptions) gives a passenger list in UNOA with the default
// service characters on one line, dated 2025-06-01 10:30, without
// data-quality problems.
type GenerateOptions struct {
	// Crew writes a crew list (BGM 250, NAD FM, CNT 41).
	Crew bool
	// Syntax is the character set ("UNOA" when empty). In UNOC, UNOW and
	// UNOY some names have accented letters.
	Syntax string
	// Service are the service characters; the zero value means the
	// defaults. A UNA is always written.
	Service edifact.ServiceChars
	// Newline puts each segment on its own line.
	Newline bool
	// Date is the date of preparation and the base of flight dates.
	Date time.Time
	// BadEvery gives every BadEvery-th person one data-quality problem, in
	// turn: no surname, an impossible date of birth, an unknown
	// nationality, no travel document. 0 means none.
	BadEvery int
}

var (
	genSurnames = []string{
		"SMITH", "JONES", "WILLIAMS", "BROWN", "TAYLOR", "DAVIES", "EVANS", "WILSON",
		"THOMAS", "JOHNSON", "ROBERTS", "WALKER", "WRIGHT", "ROBINSON", "THOMPSON", "WHITE",
		"HUGHES", "EDWARDS", "GREEN", "HALL", "WOOD", "HARRIS", "LEWIS", "MARTIN",
		"O'NEIL", "O'BRIEN", "SMITH-JONES", "KHAN", "PATEL", "NGUYEN", "KOWALSKI", "SILVA",
		"OKAFOR", "HASSAN", "IVANOV", "TANAKA", "KIM", "CHEN", "GARCIA", "ROSSI",
	}
	genGiven = []string{
		"JAMES", "MARY", "JOHN", "PATRICIA", "ROBERT", "JENNIFER", "MICHAEL", "LINDA",
		"WILLIAM", "ELIZABETH", "DAVID", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA",
		"AISHA", "MOHAMMED", "PRIYA", "WEI", "YUKI", "OLGA", "CHIDI", "ANA",
	}
	genAccented = []string{"MÜLLER", "GARCÍA", "ÅSTRÖM", "FRANÇOIS", "NUÑEZ", "DØRUM", "LEFÈVRE", "STRAßE"}
	genCountry  = []string{"GBR", "USA", "FRA", "DEU", "IND", "CHN", "NGA", "BRA", "ESP", "ITA", "JPN", "POL"}
	genAirports = []string{"LHR", "JFK", "CDG", "FRA", "DXB", "SIN", "HKG", "AMS", "MAD", "ORD"}
)

// Generate writes a valid PAXLST interchange of n persons, the same for the
// same seed and options: UNA, UNB/UNG/UNH envelope with matching trailers,
// one flight, and for each person NAD, ATT, DTM 329, LOC 178/179, NAT, RFF
// AVF and ABO (ABO is "P" and the person's 1-based index on 9 digits), DOC
// with DTM 36 and LOC 91, and the CNT control total. It is meant for tests
// and benchmarks.
func Generate(seed uint64, n int, opts *GenerateOptions) ([]byte, error) {
	var o GenerateOptions
	if opts != nil {
		o = *opts
	}
	if o.Syntax == "" {
		o.Syntax = "UNOA"
	}
	if o.Date.IsZero() {
		o.Date = time.Date(2025, 6, 1, 10, 30, 0, 0, time.UTC)
	}
	if n < 0 {
		return nil, fmt.Errorf("generate PAXLST: %d persons", n)
	}
	var buf bytes.Buffer
	buf.Grow(300 + 260*n)
	w, err := edifact.NewWriter(&buf, &edifact.WriterOptions{Service: o.Service, Syntax: o.Syntax, Newline: o.Newline})
	if err != nil {
		return nil, fmt.Errorf("generate PAXLST: %w", err)
	}
	g := generator{w: w, o: &o, r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	if err := g.interchange(n); err != nil {
		return nil, fmt.Errorf("generate PAXLST: %w", err)
	}
	if err := w.Flush(); err != nil {
		return nil, fmt.Errorf("generate PAXLST: %w", err)
	}
	return buf.Bytes(), nil
}

type generator struct {
	w   *edifact.Writer
	o   *GenerateOptions
	r   *rand.Rand
	err error
}

func (g *generator) seg(tag string, es ...edifact.Element) {
	if g.err == nil {
		g.err = g.w.WriteSegment(tag, es...)
	}
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) code(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

func (g *generator) interchange(n int) error {
	o := g.o
	date, clock := o.Date.Format("060102"), o.Date.Format("1504")
	ref := g.code(9, "0123456789")
	carrier := g.code(2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	if err := g.w.WriteUNA(); err != nil {
		return err
	}
	g.seg("UNB", edifact.Element{o.Syntax, "4"}, edifact.Element{carrier + "APIS", "ZZ"}, edifact.Element{"BORDERAPI", "ZZ"},
		edifact.Element{date, clock}, el(ref), el(""), el("IAPI"))
	g.seg("UNG", el("PAXLST"), edifact.Element{carrier + " AIRLINES", "ZZ"}, edifact.Element{"BORDERAPI", "ZZ"},
		edifact.Element{date, clock}, el("1"), el("UN"), edifact.Element{"D", "05B"})
	g.seg("UNH", el(ref), edifact.Element{"PAXLST", "D", "05B", "UN", "IATA"}, el(carrier+strconv.Itoa(100+g.r.IntN(900))), edifact.Element{"01", "F"})
	code, role, cnt := PassengerList, RolePassenger, "42"
	if o.Crew {
		code, role, cnt = CrewList, RoleCrew, "41"
	}
	if o.Crew {
		g.seg("BGM", el(code), el("C"))
	} else {
		g.seg("BGM", el(code))
	}
	g.seg("RFF", edifact.Element{"TN", g.code(10, "0123456789ABCDEF")})
	g.seg("NAD", el("MS"), el(""), el(""), el(carrier+" OPERATIONS"))
	g.seg("COM", edifact.Element{"441234567890", "TE"})
	flight := carrier + strconv.Itoa(1+g.r.IntN(9999))
	g.seg("TDT", el("20"), el(flight), el(""), el(""), el(carrier))
	from, to := g.pick(genAirports), g.pick(genAirports)
	for to == from {
		to = g.pick(genAirports)
	}
	dep := o.Date.Add(time.Duration(2+g.r.IntN(20)) * time.Hour)
	arr := dep.Add(time.Duration(60+g.r.IntN(600)) * time.Minute)
	g.seg("LOC", el("125"), el(from))
	g.seg("DTM", edifact.Element{"189", dep.Format("0601021504"), "201"})
	g.seg("LOC", el("87"), el(to))
	g.seg("DTM", edifact.Element{"232", arr.Format("0601021504"), "201"})
	for i := 1; i <= n; i++ {
		g.person(i, role, from, to)
	}
	g.seg("CNT", edifact.Element{cnt, strconv.Itoa(n)})
	if g.err != nil {
		return g.err
	}
	if err := g.w.WriteUNT(ref); err != nil {
		return err
	}
	g.seg("UNE", el("1"), el("1"))
	g.seg("UNZ", el("1"), el(ref))
	return g.err
}

func (g *generator) person(i int, role, from, to string) {
	o := g.o
	bad := -1
	if o.BadEvery > 0 && i%o.BadEvery == 0 {
		bad = (i / o.BadEvery) % 4
	}
	surname := g.pick(genSurnames)
	if (o.Syntax == "UNOC" || o.Syntax == "UNOW" || o.Syntax == "UNOY") && g.r.IntN(4) == 0 {
		surname = g.pick(genAccented)
	}
	given := g.pick(genGiven)
	if bad == 0 {
		surname = ""
	}
	if g.r.IntN(3) == 0 {
		g.seg("NAD", el(role), el(""), el(""), edifact.Element{surname, given, g.pick(genGiven)})
	} else {
		g.seg("NAD", el(role), el(""), el(""), edifact.Element{surname, given})
	}
	g.seg("ATT", el("2"), el(""), el([]string{"M", "F"}[g.r.IntN(2)]))
	birth := time.Date(1940+g.r.IntN(75), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
	birthText := birth.Format("060102")
	if bad == 1 {
		birthText = birth.Format("06") + "0230" // 30 February
	}
	g.seg("DTM", edifact.Element{"329", birthText})
	g.seg("LOC", el("178"), el(from))
	g.seg("LOC", el("179"), el(to))
	nat := g.pick(genCountry)
	if bad == 2 {
		nat = "ZZZ"
	}
	g.seg("NAT", el("2"), el(nat))
	g.seg("RFF", edifact.Element{"AVF", g.code(6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")})
	g.seg("RFF", edifact.Element{"ABO", fmt.Sprintf("P%09d", i)})
	if bad == 3 {
		return
	}
	g.seg("DOC", edifact.Element{"P", "110", "111"}, el(g.code(9, "0123456789")))
	expiry := o.Date.AddDate(1+g.r.IntN(9), g.r.IntN(12), 0)
	g.seg("DTM", edifact.Element{"36", expiry.Format("060102")})
	if nat == "ZZZ" {
		nat = "GBR"
	}
	g.seg("LOC", el("91"), el(nat))
}

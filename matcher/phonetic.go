package matcher

import (
	"slices"
	"strings"

	"github.com/antzucaro/matchr"
)

// packCode packs a phonetic code of up to 8 ASCII characters into a
// uint64 (0 for the empty code) so that codes compare in one instruction.
func packCode(s string) uint64 {
	var v uint64
	for i := 0; i < len(s) && i < 8; i++ {
		v = v<<8 | uint64(s[i])
	}
	return v
}

// phoneticCodes returns the two Double Metaphone codes (matchr cuts them to
// four characters) and the NYSIIS code of one word of Latin capitals.
// Accents are gone before this point, as matchr needs: "JOSE" and "JOSÉ"
// would otherwise get unrelated codes.
func phoneticCodes(w string) (dm1, dm2, nysiis uint64) {
	if w == "" {
		return 0, 0, 0
	}
	p, a := matchr.DoubleMetaphone(w)
	dm1, dm2 = packCode(p), packCode(a)
	if dm2 == dm1 {
		dm2 = 0
	}
	return dm1, dm2, packCode(matchr.NYSIIS(w))
}

// icaoFold folds the transliteration variants of ICAO 9303 into one
// spelling: Ä, Ö, Ü, Å, Ñ written as AE, OE, UE, AA, UXX, NXX become A, O,
// U, A, U, N, so MUELLER, MULLER (from MÜLLER) and MUXXLLER fold alike.
func icaoFold(w string) string {
	if !strings.ContainsAny(w, "EAX") {
		return w
	}
	var b []byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if i+1 < len(w) {
			n := w[i+1]
			switch {
			case (c == 'A' || c == 'O' || c == 'U') && n == 'E',
				c == 'A' && n == 'A':
				b = append(b, c)
				i++
				continue
			case (c == 'U' || c == 'N') && n == 'X' && i+2 < len(w) && w[i+2] == 'X':
				b = append(b, c)
				i += 2
				continue
			}
		}
		b = append(b, c)
	}
	return string(b)
}

// skeleton returns the consonant skeleton of a word of Latin capitals: the
// key on which Arabic names written without short vowels meet their
// vowelled spellings. Vowels, W, Y and V are dropped; consonants that
// transliterations of Arabic (and Persian, Urdu, Turkish) confuse share a
// class (KH, Q, K, C → K; GH, G, J, DJ → J; D, DH, Z, ZH, T, TH → D, as
// كاظم is KAZIM, KADHIM and KATHIM; SH, CH, S → S; PH, F → F; P, B → B); doubled consonants are one; a final
// H is dropped (ة, ه). محمد, MUHAMMAD, MOHAMMED and MOHAMED all give MHMD.
func skeleton(w string) string { return finishSkeleton(rawSkeleton(w)) }

// rawSkeleton is skeleton without its last step, so that the skeletons of
// the parts of a word can be joined.
func rawSkeleton(w string) string {
	var b [64]byte
	n := 0
	emit := func(c byte) {
		if n > 0 && b[n-1] == c {
			return
		}
		if n < len(b) {
			b[n] = c
			n++
		}
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		var next byte
		if i+1 < len(w) {
			next = w[i+1]
		}
		if next == 'H' {
			switch c {
			case 'K':
				emit('K')
				i++
				continue
			case 'G':
				emit('J')
				i++
				continue
			case 'S', 'C':
				emit('S')
				i++
				continue
			case 'T', 'D', 'Z':
				emit('D')
				i++
				continue
			case 'P':
				emit('F')
				i++
				continue
			}
		}
		if c == 'D' && next == 'J' {
			emit('J')
			i++
			continue
		}
		switch c {
		case 'A', 'E', 'I', 'O', 'U', 'Y', 'W', 'V':
		case 'Q', 'K':
			emit('K')
		case 'C':
			if next == 'E' || next == 'I' || next == 'Y' {
				emit('S')
			} else if next != 'K' {
				emit('K')
			}
		case 'G', 'J':
			emit('J')
		case 'Z', 'T':
			emit('D')
		case 'P':
			emit('B')
		case 'X':
			emit('K')
			emit('S')
		default:
			emit(c)
		}
	}
	return string(b[:n])
}

// joinSkeletons joins the raw skeletons of the parts of a word, each a
// '|'-separated list of variants, variant by variant (a part with fewer
// variants repeats its last), and finishes them.
func joinSkeletons(parts []string) string {
	var vs [][]string
	n := 1
	for _, p := range parts {
		v := strings.Split(p, "|")
		vs = append(vs, v)
		n = max(n, len(v))
	}
	var out []string
	for i := 0; i < n; i++ {
		var b strings.Builder
		for _, v := range vs {
			b.WriteString(v[min(i, len(v)-1)])
		}
		f := finishSkeleton(b.String())
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return strings.Join(out, "|")
}

// finishSkeleton collapses doubled letters of a joined raw skeleton and
// drops a final H.
func finishSkeleton(raw string) string {
	b := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		if len(b) > 0 && b[len(b)-1] == raw[i] {
			continue
		}
		b = append(b, raw[i])
	}
	if len(b) > 1 && b[len(b)-1] == 'H' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// nameGroups are sets of words that name the same person: hypocoristics
// with their full names (BOB, ROBERT), and the spellings of very common
// names that a string measure alone scores too low (MUHAMMAD, MOHD).
// Spellings that differ by a letter or two need no entry.
var nameGroups = [][]string{
	{"ROBERT", "BOB", "BOBBY", "ROB", "ROBBIE", "BERT"},
	{"WILLIAM", "BILL", "BILLY", "WILL", "WILLIE", "WILLY", "LIAM"},
	{"JAMES", "JIM", "JIMMY", "JIMMIE", "JAMIE"},
	{"JOHN", "JACK", "JOHNNY", "JOHNNIE", "JON"},
	{"MICHAEL", "MIKE", "MICK", "MICKEY", "MIKEY"},
	{"RICHARD", "DICK", "RICK", "RICH", "RICKY", "RICHIE"},
	{"THOMAS", "TOM", "TOMMY"},
	{"ANTHONY", "TONY", "ANTONIO", "ANTON"},
	{"BENJAMIN", "BEN", "BENNY"},
	{"ALEXANDER", "ALEX", "ALEKSANDR", "ALEKSANDER", "SASHA", "SANDY", "ALEXANDRE", "ALESSANDRO", "ALEJANDRO"},
	{"ALEXANDRA", "ALEKSANDRA", "SASHA", "SANDRA", "ALEX"},
	{"DAVID", "DAVE", "DAVEY"},
	{"DANIEL", "DAN", "DANNY"},
	{"STEVEN", "STEPHEN", "STEVE", "STEFAN", "STEPAN", "ESTEBAN", "STEFANO"},
	{"CHRISTOPHER", "CHRIS", "KRIS", "CHRISTOPH", "KRISTOF"},
	{"MATTHEW", "MATT", "MATHEW", "MATTHIAS", "MATVEY", "MATVEI"},
	{"PATRICK", "PAT", "PADDY"},
	{"PETER", "PETE", "PYOTR", "PIOTR", "PIETRO", "PEDRO", "PIERRE"},
	{"SAMUEL", "SAM", "SAMMY"},
	{"NICHOLAS", "NICK", "NICKY", "NIKOLAI", "NIKOLAY", "NICOLAS", "NIKOLA", "KOLYA", "NICOLA"},
	{"EDWARD", "ED", "EDDIE", "TED", "TEDDY", "NED"},
	{"FREDERICK", "FRED", "FREDDIE", "FREDDY", "FRIEDRICH", "FEDERICO"},
	{"HENRY", "HARRY", "HANK", "HEINRICH", "ENRIQUE", "HENRI"},
	{"LAWRENCE", "LARRY", "LAURENCE", "LORENZO"},
	{"GERALD", "JERRY", "GERRY"},
	{"JOSEPH", "JOE", "JOEY", "JOSE", "GIUSEPPE", "PEPE", "IOSIF", "YUSUF", "YOUSSEF", "YOUSEF"},
	{"FRANCIS", "FRANK", "FRANCISCO", "PACO", "FRANCESCO", "FRANZ", "FRANCOIS"},
	{"CHARLES", "CHARLIE", "CHUCK", "CARLOS", "KARL", "CARL", "CARLO"},
	{"ELIZABETH", "LIZ", "LIZZIE", "BETH", "BETTY", "ELIZA", "ELISABETH", "ELISAVETA", "YELIZAVETA", "LISA"},
	{"MARGARET", "MAGGIE", "MEG", "PEGGY", "MARGARITA", "MARGARETHE"},
	{"KATHERINE", "CATHERINE", "KATE", "KATHY", "CATHY", "KATIE", "KATYA", "YEKATERINA", "EKATERINA", "KATARINA", "CATALINA"},
	{"SUSAN", "SUE", "SUSIE", "SUZANNE"},
	{"JENNIFER", "JENNY", "JEN"},
	{"IGNACIO", "NACHO"},
	{"JESUS", "CHUCHO", "CHUY"},
	{"GUADALUPE", "LUPE"},
	{"CONCEPCION", "CONCHA", "CONCHITA"},
	{"JOHANNES", "HANS", "JOHANN", "JAN", "IVAN", "IOANN", "JUAN", "GIOVANNI", "VANYA"},
	{"MIKHAIL", "MISHA", "MICHAIL", "MIKHAYLO", "MYKHAILO"},
	{"VLADIMIR", "VOLODYA", "VOVA", "VOLODYMYR"},
	{"DMITRY", "DMITRI", "DMITRIY", "DIMA", "DMYTRO", "DMITRII"},
	{"SERGEY", "SERGEI", "SERGUEI", "SERYOZHA", "SERGIY", "SERHIY", "SERHII", "SERGII"},
	{"YEVGENY", "EVGENY", "EVGENII", "YEVGENIY", "ZHENYA", "EUGENE", "YEVHEN", "IEVGEN"},
	{"ALEKSEY", "ALEXEY", "ALEKSEI", "ALEXEI", "LYOSHA", "OLEKSIY", "OLEKSII"},
	{"PAVEL", "PASHA", "PAUL", "PAOLO", "PABLO", "PAVLO"},
	{"KONSTANTIN", "KOSTYA", "CONSTANTINE", "KOSTIANTYN"},
	{"YURI", "YURY", "YURIY", "IURII", "YURA", "GEORGE", "GEORGY", "GEORGII", "YURIJ"},
	{"NATALIA", "NATALYA", "NATASHA", "NATALIYA", "NATALIE"},
	{"OLEKSANDR", "ALEKSANDR", "OLEXANDER", "SASHKO"},
	{"GRIGORY", "GRIGORIY", "HRYHORIY", "HRYHORII", "GREGORY", "GRISHA"},
	{"MUHAMMAD", "MOHAMMED", "MOHAMMAD", "MOHAMED", "MOHAMAD", "MUHAMMED", "MUHAMED", "MUHAMAD",
		"MOHD", "MOHHAMAD", "MEHMET", "MEHMED", "MOHAMMEDI", "MAHOMED", "MOUHAMED", "MOUHAMMAD", "MHD", "MD"},
	{"AHMAD", "AHMED", "AHMET", "AHMAT", "AHMADI"},
	{"HUSAYN", "HUSSEIN", "HUSSAIN", "HUSAIN", "HOSSEIN", "HOSSAIN", "HUSEYIN", "HUSEIN", "HOUSSEIN"},
	{"HASAN", "HASSAN", "HASSANE", "HASANI"},
	{"USAMA", "OSAMA", "OUSSAMA", "USAMAH"},
	{"UMAR", "OMAR", "OMER", "OMARI"},
	{"UTHMAN", "OTHMAN", "OSMAN", "USMAN", "OUSMANE", "USMON"},
	{"YAHYA", "YAHIA", "YAHIYA", "YEHIA"},
	{"MUSTAFA", "MUSTAPHA", "MOSTAFA", "MOUSTAFA", "MUSTAFAH"},
	{"ABDULLAH", "ABDULLA", "ABDALLA", "ABDULLAHI", "ABDILLAHI", "ABDULAH"},
	{"YUSUF", "YOUSSEF", "YOUSEF", "YOUSSOUF", "YUSSUF", "YOUSOF", "YUSEF", "JOSEPH"},
	{"IBRAHIM", "IBRAGIM", "EBRAHIM", "IBROHIM", "IBRAHEEM", "IBRAHIMA"},
	{"ISMAIL", "ISMAEL", "ISMAILA", "ESMAIL", "SMAIL"},
	{"SULAYMAN", "SULEIMAN", "SULAIMAN", "SOLIMAN", "SULEYMAN", "SOLEIMAN"},
	{"ZAYNAB", "ZEINAB", "ZAINAB", "ZEYNEP"},
	{"FAYSAL", "FAISAL", "FEYSAL", "FAYCAL"},
	{"JAFAR", "JAAFAR", "DJAFAR", "DJAAFAR", "CAFER"},
	{"QASIM", "KASIM", "QASSIM", "KASSEM", "GASIM", "QASEM"},
	{"KHALID", "KHALED", "HALID", "CHALID"},
	{"SAID", "SAEED", "SAYED", "SAYYID", "SAEID", "SAIYID"},
	{"HAMZA", "HAMZAH", "HAMSA"},
	{"UBAYD", "OBAID", "UBAID", "OBEID", "UBEYD"},
}

// groupIndex maps a word to the nameGroups it belongs to (indices + 1,
// at most two per word; 0 for none).
var groupIndex = map[string][2]uint16{}

func init() {
	for gi, g := range nameGroups {
		for _, w := range g {
			v := groupIndex[w]
			switch {
			case v[0] == 0:
				v[0] = uint16(gi + 1)
			case v[1] == 0 && v[0] != uint16(gi+1):
				v[1] = uint16(gi + 1)
			}
			groupIndex[w] = v
		}
	}
}

func sameGroup(a, b [2]uint16) bool {
	if a[0] == 0 || b[0] == 0 {
		return false
	}
	return a[0] == b[0] || a[0] == b[1] || (a[1] != 0 && (a[1] == b[0] || a[1] == b[1]))
}

package matcher_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bordersec/portcullis/matcher"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ascii", "John Smith", "JOHN SMITH"},
		{"accents", "José Muñoz Peña", "JOSE MUNOZ PENA"},
		{"german", "Jürgen Müller-Lüdenscheidt", "JURGEN MULLER LUDENSCHEIDT"},
		{"sharp s", "Strauß", "STRAUSS"},
		{"nordic", "Ørsted Æble Åse Þór Đorđe", "ORSTED AEBLE ASE THOR DORDE"},
		{"polish", "Łukasz Wałęsa", "LUKASZ WALESA"},
		{"turkish", "İbrahim Işık", "IBRAHIM ISIK"},
		{"decomposed", "Mu\u0308ller", "MULLER"},
		{"apostrophes", "O'Brien Sha’ban ʿAbd", "OBRIEN SHABAN ABD"},
		{"punctuation", "SMITH, John (Jr.)", "SMITH JOHN JR"},
		{"mrz filler", "SMITH<<JOHN<PAUL", "SMITH JOHN PAUL"},
		{"fullwidth", "ＪＯＨＮ", "JOHN"},
		{"ligature", "ﬁnn", "FINN"},
		{"russian", "Сергей Шойгу", "SERGEI SHOIGU"},
		{"russian iotated", "Юрий Ёлкин", "IURII ELKIN"},
		{"ukrainian", "Їжак Ґалаґан", "YIZHAK GALAGAN"},
		{"serbian", "Новак Ђоковић", "NOVAK DJOKOVIC"},
		{"bulgarian", "Щерев Ъглов", "SHCHEREV IEGLOV"},
		{"greek", "Γεώργιος Παπανδρέου", "GEORGIOS PAPANDREOU"},
		{"greek digraphs", "Μπακογιάννη Ντόρα", "BAKOGIANNI DORA"},
		{"arabic common", "محمد", "MUHAMMAD"},
		{"arabic article", "البغدادي", "AL BGHDADI"},
		{"arabic abd", "عبد الرحمن", "ABD AL RAHMAN"},
		{"empty", "", ""},
		{"only punctuation", " -- ,, ", ""},
		{"unsupported script", "山田太郎", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := matcher.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestTransliterationVariants checks that the common spellings of a name in
// another script reach it with a high score.
func TestTransliterationVariants(t *testing.T) {
	tests := []struct {
		script string
		latin  []string
	}{
		{"محمد", []string{"MUHAMMAD", "MOHAMMED", "MOHAMED", "MOHAMAD", "MUHAMMED"}},
		{"حسين", []string{"HUSAYN", "HUSSEIN", "HOSSAIN", "HUSAIN"}},
		{"عبد الرحمن", []string{"ABDUL RAHMAN", "ABD AL-RAHMAN", "ABDURRAHMAN", "ABDEL RAHMAN", "ABDULRAHMAN"}},
		{"زبيدي", []string{"ZUBAYDI", "ZUBAIDI", "ZOUBEIDI"}},
		{"Сергей Шойгу", []string{"SERGEI SHOIGU", "SERGEY SHOYGU", "SERGUEI SHOIGOU"}},
		{"Юрий Хлебников", []string{"YURI KHLEBNIKOV", "YURIY KHLEBNIKOV", "IURII KHLEBNIKOV", "YURY KHLEBNIKOV"}},
		{"Володимир Зеленський", []string{"VOLODYMYR ZELENSKYI", "VOLODYMYR ZELENSKYY", "VLADIMIR ZELENSKIY"}},
		{"Михаил Ходорковский", []string{"MIKHAIL KHODORKOVSKY", "MIKHAIL KHODORKOVSKIY", "MICHAIL CHODORKOWSKI"}},
		{"Γεώργιος Παπανδρέου", []string{"GEORGIOS PAPANDREOU", "GIORGOS PAPANDREOU", "GEORGE PAPANDREOU"}},
	}
	for _, tt := range tests {
		for _, l := range tt.latin {
			if s, ex := matcher.ScoreNames(tt.script, l, matcher.Person); s < matcher.DefaultReferThreshold {
				t.Errorf("ScoreNames(%q, %q) = %.3f, want at least %.2f: %s", tt.script, l, s, matcher.DefaultReferThreshold, ex.String())
			}
		}
	}
}

func TestICAOVariants(t *testing.T) {
	tests := [][2]string{
		{"MÜLLER", "MUELLER"}, {"MÜLLER", "MULLER"}, {"MUELLER", "MUXXLLER"}, {"PEÑA", "PENA"},
		{"PEÑA", "PENXXA"}, {"ØSTERGÅRD", "OESTERGAARD"}, {"STRAßE", "STRASSE"}, {"ÆRØ", "AEROE"},
		{"GÖTZ", "GOETZ"}, {"BJÖRN", "BJOERN"}, {"ÞÓRA", "THORA"},
	}
	for _, p := range tests {
		a, b := "JOHN "+p[0], "JOHN "+p[1]
		if s, ex := matcher.ScoreNames(a, b, matcher.Person); s < 0.97 {
			t.Errorf("ScoreNames(%q, %q) = %.3f, want ICAO variants equal (≥ 0.97): %s", a, b, s, ex.String())
		}
	}
}

// TestNameStructure checks word order, initials, missing middle names,
// particles, titles, hypocoristics and legal forms.
func TestNameStructure(t *testing.T) {
	tests := []struct {
		name     string
		a, b     string
		kind     matcher.Kind
		min, max float64
	}{
		{"order", "SHOIGU SERGEI", "Sergei Shoigu", matcher.Person, 1, 1},
		{"initial", "J SMITH", "JOHN SMITH", matcher.Person, 0.9, 0.99},
		{"missing middle name", "JOHN SMITH", "JOHN PAUL SMITH", matcher.Person, 0.87, 0.95},
		{"missing patronymic", "SERGEI SHOIGU", "SERGEI KUZHUGETOVICH SHOIGU", matcher.Person, 0.93, 0.99},
		{"particle joined", "ALSABAH", "AL SABAH", matcher.Person, 1, 1},
		{"particle hyphen", "NASSER AL-SABAH", "NASSER ALSABAH", matcher.Person, 1, 1},
		{"particle dropped", "ABU BAKR AL-BAGHDADI", "ABU BAKR BAGHDADI", matcher.Person, 0.95, 0.99},
		{"van der", "VAN DER BERG PIETER", "PIETER VANDERBERG", matcher.Person, 1, 1},
		{"mc", "MC DONALD RONALD", "RONALD MCDONALD", matcher.Person, 1, 1},
		{"bin", "USAMA BIN LADIN", "USAMA BINLADIN", matcher.Person, 1, 1},
		{"abd forms", "ABD AL AZIZ SALEH", "ABDELAZIZ SALEH", matcher.Person, 1, 1},
		{"sun letter", "ABD AR-RAHMAN SALEH", "ABDUL RAHMAN SALEH", matcher.Person, 1, 1},
		{"compound", "KHAYR ALLAH TALFAH", "KHAIRULLAH TALFAH", matcher.Person, 0.9, 1},
		{"titles", "DR HAJI MUHAMMAD KHAN", "MUHAMMAD KHAN", matcher.Person, 1, 1},
		{"military rank", "GENERAL QASEM SOLEIMANI", "QASEM SOLEIMANI", matcher.Person, 1, 1},
		{"hypocoristic", "BOB SMITH", "ROBERT SMITH", matcher.Person, 0.93, 0.99},
		{"russian hypocoristic", "SASHA IVANOV", "ALEKSANDR IVANOV", matcher.Person, 0.93, 0.99},
		{"legal form", "ROMASHKA LLC", "ROMASHKA", matcher.Organization, 1, 1},
		{"cyrillic legal form", "ООО Ромашка", "ROMASHKA LTD", matcher.Organization, 1, 1},
		{"multi-word legal form", "ACME JOINT STOCK COMPANY", "ACME JSC", matcher.Organization, 1, 1},
		{"different people", "JOHN SMITH", "JOHN BROWN", matcher.Person, 0, 0.6},
		{"surname only", "SMITH", "JOHN SMITH", matcher.Person, 0, 0.5},
		{"patronymic is not the father", "SERGEI SHOIGU", "YULIYA SERGEYEVNA SHOIGU", matcher.Person, 0, 0.7},
		{"korean romanisation", "CHO YONG CHOL", "JO YONG CHOL", matcher.Person, 0.9, 1},
		{"typo", "MUHAMMAD HAMZAH ZUBAYDI", "MUHAMMAD HAMZAH ZUBYADI", matcher.Person, 0.9, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ex := matcher.ScoreNames(tt.a, tt.b, tt.kind)
			if got < tt.min-1e-9 || got > tt.max+1e-9 {
				t.Errorf("ScoreNames(%q, %q) = %.3f, want %.2f to %.2f: %s", tt.a, tt.b, got, tt.min, tt.max, ex.String())
			}
		})
	}
}

func TestParseMRZName(t *testing.T) {
	tests := []struct {
		in                 string
		primary, secondary []string
	}{
		{"SMITH<<JOHN<PAUL<<<<<<<", []string{"SMITH"}, []string{"JOHN", "PAUL"}},
		{"VAN<DER<BERG<<PIETER", []string{"VAN", "DER", "BERG"}, []string{"PIETER"}},
		{"ERIKSSON<<ANNA<MARIA", []string{"ERIKSSON"}, []string{"ANNA", "MARIA"}},
		{"MADONNA<<<<<<<<", []string{"MADONNA"}, nil},
		{"<<ONLYGIVEN", nil, []string{"ONLYGIVEN"}},
		{"", nil, nil},
	}
	for _, tt := range tests {
		p, s := matcher.ParseMRZName(tt.in)
		if !slices.Equal(p, tt.primary) || !slices.Equal(s, tt.secondary) {
			t.Errorf("ParseMRZName(%q) = %q, %q; want %q, %q", tt.in, p, s, tt.primary, tt.secondary)
		}
	}
}

// propertyNames are real names from the bundled lists, in all their
// scripts, plus hostile strings.
func propertyNames(t *testing.T) []string {
	var out []string
	for i, le := range loadLists(t) {
		if i%7 != 0 {
			continue
		}
		for _, n := range le.e.Names {
			out = append(out, nameText(n))
		}
	}
	out = append(out, "", " ", "\x00", "\xff\xfe", "<<<<", strings.Repeat("A", 5000),
		strings.Repeat("ALI ", 300), "\u0301\u0301", "ـــ", "\u200f\u200e", "AL", "AL AL AL", "ABD", "BIN BIN")
	return out
}

func TestNormalizeProperties(t *testing.T) {
	for _, s := range propertyNames(t) {
		n := matcher.Normalize(s)
		if again := matcher.Normalize(n); again != n {
			t.Errorf("Normalize not idempotent on %q: %q then %q", s, n, again)
		}
		if !utf8.ValidString(n) || strings.TrimSpace(n) != n || strings.Contains(n, "  ") {
			t.Errorf("Normalize(%q) = %q: want trimmed single-spaced UTF-8", s, n)
		}
		for _, r := range n {
			if (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != ' ' {
				t.Errorf("Normalize(%q) = %q: has %q", s, n, r)
				break
			}
		}
	}
}

func TestScoreProperties(t *testing.T) {
	names := propertyNames(t)
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 4000; i++ {
		a, b := names[r.IntN(len(names))], names[r.IntN(len(names))]
		if i%3 == 0 {
			b = a
		}
		for _, k := range []matcher.Kind{matcher.Person, matcher.Organization} {
			ab, _ := matcher.ScoreNames(a, b, k)
			ba, _ := matcher.ScoreNames(b, a, k)
			if ab != ba {
				t.Errorf("ScoreNames not symmetric: (%q, %q) %v, reversed %v", a, b, ab, ba)
			}
			if ab < 0 || ab > 1 || math.IsNaN(ab) {
				t.Errorf("ScoreNames(%q, %q) = %v: outside [0,1]", a, b, ab)
			}
			if a == b && matcher.Normalize(a) != "" && ab != 1 {
				t.Errorf("ScoreNames(%q, itself) = %v, want 1", a, ab)
			}
		}
	}
}

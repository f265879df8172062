package screening

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// icaoCodes are the ICAO Doc 9303 (part 3) codes that are not ISO 3166
// alpha-3 country codes, with what they stand for.
var icaoCodes = map[string]string{
	"D":   "Germany",
	"GBD": "British Overseas Territories Citizen",
	"GBN": "British National (Overseas)",
	"GBO": "British Overseas Citizen",
	"GBP": "British Protected Person",
	"GBS": "British Subject",
	"UNO": "United Nations Organization",
	"UNA": "Specialized agency of the United Nations",
	"UNK": "Resident of Kosovo (UNMIK)",
	"RKS": "Kosovo",
	"EUE": "European Union",
	"XBA": "African Development Bank",
	"XEC": "Economic Community of West African States",
	"XCC": "Caribbean Community",
	"XCO": "Common Market for Eastern and Southern Africa",
	"XIM": "African Export-Import Bank",
	"XPO": "International Criminal Police Organization",
	"XOM": "Sovereign Military Order of Malta",
	"XXA": "Stateless person",
	"XXB": "Refugee (1951 Convention)",
	"XXC": "Refugee (other)",
	"XXX": "Unspecified nationality",
	"UTO": "Utopia (specimen)",
}

// countryAliases are names lists use that the CLDR English names do not
// match: official UN forms, older names, adjectives of nationality.
var countryAliases = map[string]string{
	"democratic republic of the congo":          "COD",
	"congo democratic republic":                 "COD",
	"congo kinshasa":                            "COD",
	"zaire":                                     "COD",
	"republic of the congo":                     "COG",
	"congo":                                     "COG",
	"congo brazzaville":                         "COG",
	"iran islamic republic of":                  "IRN",
	"islamic republic of iran":                  "IRN",
	"democratic peoples republic of korea":      "PRK",
	"korea democratic peoples republic of":      "PRK",
	"korea north":                               "PRK",
	"dprk":                                      "PRK",
	"republic of korea":                         "KOR",
	"korea republic of":                         "KOR",
	"korea south":                               "KOR",
	"russian federation":                        "RUS",
	"syrian arab republic":                      "SYR",
	"lao peoples democratic republic":           "LAO",
	"viet nam":                                  "VNM",
	"united republic of tanzania":               "TZA",
	"tanzania united republic of":               "TZA",
	"bolivia plurinational state of":            "BOL",
	"venezuela bolivarian republic of":          "VEN",
	"republic of moldova":                       "MDA",
	"moldova republic of":                       "MDA",
	"the former yugoslav republic of macedonia": "MKD",
	"macedonia":                                 "MKD",
	"united kingdom of great britain and northern ireland": "GBR",
	"great britain":                  "GBR",
	"britain":                        "GBR",
	"uk":                             "GBR",
	"united states of america":       "USA",
	"usa":                            "USA",
	"us":                             "USA",
	"burma":                          "MMR",
	"myanmar":                        "MMR",
	"cote divoire":                   "CIV",
	"ivory coast":                    "CIV",
	"turkey":                         "TUR",
	"turkiye":                        "TUR",
	"czech republic":                 "CZE",
	"swaziland":                      "SWZ",
	"cape verde":                     "CPV",
	"east timor":                     "TLS",
	"state of palestine":             "PSE",
	"palestine":                      "PSE",
	"palestinian territories":        "PSE",
	"gaza":                           "PSE",
	"west bank":                      "PSE",
	"occupied palestinian territory": "PSE",
	"holy see":                       "VAT",
	"vatican":                        "VAT",
	"micronesia federated states of": "FSM",
	"brunei darussalam":              "BRN",
	"china peoples republic of":      "CHN",
	"peoples republic of china":      "CHN",
	"hong kong sar":                  "HKG",
	"macau":                          "MAC",
	"kosovo":                         "RKS",
	"soviet union":                   "SUN",
	"ussr":                           "SUN",
	"yugoslavia":                     "YUG",
	"serbia and montenegro":          "SCG",
	"netherlands antilles":           "ANT",
	"sudan south":                    "SSD",
	"the gambia":                     "GMB",
	"gambia the":                     "GMB",
	"bahamas the":                    "BHS",
	"the bahamas":                    "BHS",
	"the netherlands":                "NLD",
	"kyrgyz republic":                "KGZ",
	"slovak republic":                "SVK",
	"st kitts and nevis":             "KNA",
	"st lucia":                       "LCA",
	"st vincent and the grenadines":  "VCT",
	"sao tome and principe":          "STP",
	"libyan arab jamahiriya":         "LBY",
	"stateless":                      "XXA",
	// CLDR writes "&" where lists write "and".
	"bosnia and herzegovina":                       "BIH",
	"trinidad and tobago":                          "TTO",
	"antigua and barbuda":                          "ATG",
	"saint kitts and nevis":                        "KNA",
	"saint vincent and the grenadines":             "VCT",
	"turks and caicos islands":                     "TCA",
	"saint pierre and miquelon":                    "SPM",
	"wallis and futuna":                            "WLF",
	"svalbard and jan mayen":                       "SJM",
	"heard and mcdonald islands":                   "HMD",
	"south georgia and the south sandwich islands": "SGS",
	// CLDR writes "St." where lists write "Saint".
	"saint lucia":      "LCA",
	"saint helena":     "SHN",
	"saint martin":     "MAF",
	"saint barthelemy": "BLM",
	"hong kong":        "HKG",
	"china hong kong special administrative region": "HKG",
	"macao": "MAC",
	"china macao special administrative region": "MAC",
	"cabo verde":    "CPV",
	"cote d ivoire": "CIV",
	// OFAC's "Name, the Republic of" forms.
	"congo democratic republic of the": "COD",
	"congo republic of the":            "COG",
	"north macedonia the republic of":  "MKD",
	"virgin islands british":           "VGB",
	"virgin islands us":                "VIR",
	"man isle of":                      "IMN",
	// Former states, as UN and UK lists name them.
	"former soviet union":               "SUN",
	"former ussr":                       "SUN",
	"german democratic republic":        "DDR",
	"former german democratic republic": "DDR",
}

var countryTable struct {
	once   sync.Once
	byName map[string]string // folded name -> alpha-3
	codes  map[string]bool   // known alpha-3 and ICAO codes
}

func loadCountries() {
	t := &countryTable
	t.byName = make(map[string]string, 512)
	t.codes = make(map[string]bool, 320)
	namer := display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() {
				continue
			}
			code := r.ISO3()
			if code == "ZZZ" || code == "XKK" || r.String() != string([]rune{a, b}) {
				continue
			}
			t.codes[code] = true
			if name := namer.Name(r); name != "" {
				t.byName[foldCountry(name)] = code
			}
		}
	}
	for code, name := range icaoCodes {
		t.codes[code] = true
		if _, ok := t.byName[foldCountry(name)]; !ok {
			t.byName[foldCountry(name)] = code
		}
	}
	t.codes["DEU"] = true
	for name, code := range countryAliases {
		t.byName[name] = code
	}
}

var stripMarks = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// foldCountry turns a country name into the key of the name table: lower
// case, no accents, letters and single spaces only.
func foldCountry(s string) string {
	if out, _, err := transform.String(stripMarks, s); err == nil {
		s = out
	}
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’' || r == '.':
			// drop: "People's" -> "peoples", "St." -> "st"
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// IsCountryCode reports whether code is an ISO 3166 alpha-3 code or one of
// the ICAO 9303 codes for other states, organisations and statuses ("D",
// "GBO", "UNO", "XXA", ...).
func IsCountryCode(code string) bool {
	countryTable.once.Do(loadCountries)
	return countryTable.codes[code]
}

// CountryCode returns the alpha-3 (or ICAO) code of a country given as an
// alpha-3 or alpha-2 code or an English name ("Russian Federation",
// "Iran (Islamic Republic of)", "Côte d'Ivoire"). The ICAO code "D" for
// Germany is returned as DEU. ok is false when the country is not known.
func CountryCode(s string) (code string, ok bool) {
	countryTable.once.Do(loadCountries)
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	up := strings.ToUpper(s)
	if up == "D" {
		return "DEU", true
	}
	if len(up) == 3 && countryTable.codes[up] {
		return up, true
	}
	if len(up) == 2 {
		if up == "XK" {
			return "RKS", true
		}
		if r, err := language.ParseRegion(up); err == nil && r.IsCountry() && r.ISO3() != "ZZZ" {
			return r.ISO3(), true
		}
	}
	key := foldCountry(s)
	if c, ok := countryTable.byName[key]; ok {
		return c, true
	}
	if rest, ok := strings.CutPrefix(key, "the "); ok {
		if c, ok := countryTable.byName[rest]; ok {
			return c, true
		}
	}
	return "", false
}

// CountryName returns the English name of a code, or the code itself when it
// has none.
func CountryName(code string) string {
	if n, ok := icaoCodes[code]; ok {
		return n
	}
	if r, err := language.ParseRegion(code); err == nil {
		if n := display.English.Regions().Name(r); n != "" {
			return n
		}
	}
	return code
}

package matcher

import (
	"strings"
	"unicode"
)

// Arabic script writes consonants and long vowels; short vowels are marks
// that names almost never carry. A word is therefore rendered in Latin
// letters without its short vowels (محمد → MHMD) and marked unvowelled;
// such words are compared by their consonant skeleton (see skeleton), which
// is the same for MUHAMMAD, MOHAMMED, MOHAMED and MOHAMAD. The commonest
// given names are looked up in a small dictionary instead and get their
// usual full spelling.

// arabicLetters maps an Arabic-script letter (Arabic, Persian, Urdu) to its
// Latin rendering. Waw and ya are handled in arabicWord: they are consonants
// at the start of a word and long vowels elsewhere.
var arabicLetters = map[rune]string{
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ٱ': "a", 'ى': "a",
	'ء': "", 'ؤ': "", 'ئ': "",
	'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh",
	'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh",
	'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z", 'ع': "", 'غ': "gh",
	'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n",
	'ه': "h", 'ة': "a", 'ہ': "h",
	// Persian and Urdu.
	'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g", 'ک': "k", 'ڭ': "ng",
	'ٹ': "t", 'ڈ': "d", 'ڑ': "r", 'ں': "n", 'ھ': "h", 'ۃ': "a", 'ە': "a",
	// Vowel marks, when present.
	'\u064e': "a", '\u064f': "u", '\u0650': "i", '\u0670': "a",
}

// arabicSkeletons returns the raw skeletons of an Arabic-script word,
// separated by '|': from its letters; the same with H dropped after K, S,
// D and J, as Latin reads KH, SH, ZH and GH as one letter (لكحل is
// LAKHAL); and that with ث as S and ق as G, as Persian, Urdu and Maghrebi
// spellings write them (WASSIQ, GASMI).
func arabicSkeletons(src []rune) string {
	var v [3][]byte
	emit := func(k int, c byte) {
		if n := len(v[k]); n > 0 && v[k][n-1] == c {
			return
		}
		v[k] = append(v[k], c)
	}
	for _, r := range src {
		c, ok := arabicSkel[r]
		if !ok {
			continue
		}
		emit(0, c)
		for k := 1; k < 3; k++ {
			ck := c
			if k == 2 {
				switch r {
				case 'ث':
					ck = 'S'
				case 'ق':
					ck = 'J'
				}
			}
			if n := len(v[k]); ck == 'H' && n > 0 && strings.IndexByte("KSDJ", v[k][n-1]) >= 0 {
				continue
			}
			emit(k, ck)
		}
	}
	out := string(v[0])
	for k := 1; k < 3; k++ {
		if string(v[k]) != string(v[k-1]) {
			out += "|" + string(v[k])
		}
	}
	return out
}

// arabicNames gives the usual Latin spelling of common Arabic-script name
// words. Keys are in the form arabicKey returns.
var arabicNames = map[string]string{}

func init() {
	for _, p := range []struct{ ar, lat string }{
		{"محمد", "MUHAMMAD"}, {"احمد", "AHMAD"}, {"محمود", "MAHMUD"}, {"علي", "ALI"},
		{"حسن", "HASAN"}, {"حسين", "HUSAYN"}, {"عبد", "ABD"}, {"الله", "ALLAH"},
		{"عبدالله", "ABDULLAH"}, {"عمر", "UMAR"}, {"عثمان", "UTHMAN"}, {"ابراهيم", "IBRAHIM"},
		{"خالد", "KHALID"}, {"يوسف", "YUSUF"}, {"مصطفي", "MUSTAFA"}, {"صالح", "SALIH"},
		{"سعيد", "SAID"}, {"جمال", "JAMAL"}, {"طه", "TAHA"}, {"ياسين", "YASIN"},
		{"سليمان", "SULAYMAN"}, {"اسماعيل", "ISMAIL"}, {"موسي", "MUSA"}, {"عيسي", "ISA"},
		{"يحيي", "YAHYA"}, {"زكريا", "ZAKARIYA"}, {"حمزه", "HAMZA"}, {"طارق", "TARIQ"},
		{"سلطان", "SULTAN"}, {"ناصر", "NASIR"}, {"فيصل", "FAYSAL"}, {"عادل", "ADIL"},
		{"عزيز", "AZIZ"}, {"رحمن", "RAHMAN"}, {"رحيم", "RAHIM"}, {"كريم", "KARIM"},
		{"مجيد", "MAJID"}, {"حميد", "HAMID"}, {"حامد", "HAMID"}, {"رشيد", "RASHID"},
		{"اسامه", "USAMA"}, {"ابو", "ABU"}, {"بن", "BIN"}, {"بنت", "BINT"}, {"ابن", "IBN"},
		{"ام", "UMM"}, {"فاطمه", "FATIMA"}, {"عائشه", "AISHA"}, {"عايشه", "AISHA"},
		{"خديجه", "KHADIJA"}, {"مريم", "MARYAM"}, {"زينب", "ZAYNAB"}, {"نور", "NUR"},
		{"هادي", "HADI"}, {"مهدي", "MAHDI"}, {"جعفر", "JAFAR"}, {"قاسم", "QASIM"},
		{"منصور", "MANSUR"}, {"سالم", "SALIM"}, {"سليم", "SALIM"}, {"عبيد", "UBAYD"},
		{"يونس", "YUNUS"}, {"ادريس", "IDRIS"}, {"بكر", "BAKR"}, {"ابوبكر", "ABUBAKR"},
		{"انور", "ANWAR"}, {"نبيل", "NABIL"}, {"وليد", "WALID"}, {"ماجد", "MAJID"},
		{"رمضان", "RAMADAN"}, {"صلاح", "SALAH"}, {"الدين", "ALDIN"}, {"دين", "DIN"},
		{"عبدالرحمن", "ABDULRAHMAN"}, {"عبدالعزيز", "ABDULAZIZ"}, {"ايمن", "AYMAN"},
		{"حافظ", "HAFIZ"}, {"شريف", "SHARIF"}, {"امين", "AMIN"}, {"امير", "AMIR"},
		{"عامر", "AMIR"}, {"مالك", "MALIK"}, {"حسام", "HUSAM"}, {"عماد", "IMAD"},
		{"عصام", "ISAM"}, {"هشام", "HISHAM"}, {"بشير", "BASHIR"}, {"نذير", "NADHIR"},
		{"زيد", "ZAYD"}, {"سيف", "SAYF"}, {"فارس", "FARIS"}, {"فهد", "FAHD"},
		{"ليلي", "LAYLA"}, {"سعد", "SAAD"}, {"عزت", "IZZAT"}, {"صدام", "SADDAM"},
		{"عدي", "UDAY"}, {"قصي", "QUSAY"}, {"طالب", "TALIB"}, {"مختار", "MUKHTAR"},
		{"نصر", "NASR"}, {"نصرالله", "NASRALLAH"}, {"حبيب", "HABIB"}, {"لطيف", "LATIF"},
		{"غفور", "GHAFUR"}, {"ستار", "SATTAR"}, {"جبار", "JABBAR"}, {"كبير", "KABIR"},
		{"مصطفى", "MUSTAFA"}, {"ملا", "MULLA"}, {"حاج", "HAJJ"}, {"شيخ", "SHAYKH"},
	} {
		arabicNames[arabicKey(p.ar)] = p.lat
	}
}

// arabicKey folds the spelling differences of Arabic script that do not
// change a name: vowel marks and tatweel are dropped, the forms of alef
// become ا, alef maksura becomes ي and ta marbuta becomes ه.
func arabicKey(w string) string {
	var b strings.Builder
	for _, r := range w {
		switch {
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى' || r == 'ی':
			r = 'ي'
		case r == 'ة' || r == 'ہ' || r == 'ۀ' || r == 'ە':
			r = 'ه'
		case r == 'ک':
			r = 'ك'
		case r == '\u0640' || unicode.Is(unicode.Mn, r):
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// arabicToken is one Latin word made from an Arabic-script word.
type arabicToken struct {
	text       string // Latin capitals
	unvowelled bool
	skel       string // raw skeleton of the Arabic letters, when unvowelled
}

// arabicSkel maps Arabic-script consonants to the classes of skeleton.
// Letters not in it (alef, waw, ya, ayn, hamza, ta marbuta) have none.
var arabicSkel = map[rune]byte{
	'ب': 'B', 'پ': 'B', 'ت': 'D', 'ث': 'D', 'ط': 'D', 'ٹ': 'D', 'د': 'D', 'ذ': 'D', 'ض': 'D',
	'ظ': 'D', 'ز': 'D', 'ژ': 'D', 'ڈ': 'D', 'ج': 'J', 'غ': 'J', 'گ': 'J', 'ح': 'H', 'ه': 'H',
	'ھ': 'H', 'ہ': 'H', 'خ': 'K', 'ق': 'K', 'ك': 'K', 'ک': 'K', 'ر': 'R', 'ڑ': 'R', 'س': 'S',
	'ش': 'S', 'ص': 'S', 'چ': 'S', 'ف': 'F', 'ل': 'L', 'م': 'M', 'ن': 'N', 'ں': 'N',
}

// arabicWord turns one Arabic-script word into Latin tokens: the article
// ال becomes a separate AL, عبد joined to a following ال is split off, and
// the rest is looked up in the dictionary or rendered letter by letter.
func arabicWord(w []rune) []arabicToken {
	key := arabicKey(string(w))
	if lat, ok := arabicNames[key]; ok {
		return []arabicToken{{text: lat}}
	}
	kr := []rune(key)
	var out []arabicToken
	if len(kr) > 5 && string(kr[:5]) == "عبدال" {
		out = append(out, arabicToken{text: "ABD"})
		kr = kr[3:]
	}
	if len(kr) > 3 && kr[0] == 'ا' && kr[1] == 'ل' && string(kr) != "الله" {
		out = append(out, arabicToken{text: "AL"})
		kr = kr[2:]
	}
	if lat, ok := arabicNames[string(kr)]; ok {
		return append(out, arabicToken{text: lat})
	}
	// Render from the original runes when nothing was split off, so that
	// vowel marks, if any, are kept; otherwise from the folded key.
	src := kr
	if len(out) == 0 {
		src = w
	}
	var b strings.Builder
	prev := ""
	for i, r := range src {
		if r == '\u0651' { // shadda doubles the consonant before it
			b.WriteString(prev)
			continue
		}
		var v string
		switch r {
		case 'و':
			v = "u"
			if i == 0 {
				v = "w"
			}
		case 'ي', 'ی', 'ے':
			v = "i"
			if i == 0 {
				v = "y"
			}
		default:
			v = arabicLetters[r]
		}
		b.WriteString(v)
		if v != "" {
			prev = v
		}
	}
	text := strings.ToUpper(b.String())
	if text == "" {
		return out
	}
	return append(out, arabicToken{text: text, unvowelled: true, skel: arabicSkeletons(src)})
}

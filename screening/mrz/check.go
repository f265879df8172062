package mrz

// charValue holds the ICAO 9303 value of each MRZ character: 0-9 for the
// digits, 10-35 for A-Z, 0 for the filler '<', and -1 for every other byte.
var charValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = int8(c - 'A' + 10)
	}
	t['<'] = 0
	return t
}()

// weights are the repeating ICAO 9303 check digit weights.
var weights = [3]int{7, 3, 1}

// summer accumulates the weighted sum of a check digit over pieces of text
// taken in order, as the composite check digit needs.
type summer struct {
	sum int
	i   int // index of the next character, for its weight
}

func (s *summer) add(text string) {
	for j := 0; j < len(text); j++ {
		v := int(charValue[text[j]])
		if v < 0 {
			v = 0 // callers validate first; never reached on parsed lines
		}
		s.sum += v * weights[s.i%3]
		s.i++
	}
}

func (s *summer) digit() byte { return byte('0' + s.sum%10) }

// CheckDigit returns the ICAO 9303 check digit of text, '0' to '9': each
// character's value (0-9 for digits, 10-35 for A-Z, 0 for '<') times the
// weights 7, 3, 1 repeating, summed, modulo 10. ok is false when text holds
// any other character.
func CheckDigit(text string) (digit byte, ok bool) {
	var s summer
	for j := 0; j < len(text); j++ {
		if charValue[text[j]] < 0 {
			return 0, false
		}
	}
	s.add(text)
	return s.digit(), true
}

func checkDigit(text string) byte {
	var s summer
	s.add(text)
	return s.digit()
}

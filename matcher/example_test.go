package matcher_test

import (
	"fmt"

	"github.com/bordersec/portcullis/matcher"
)

func ExampleNormalize() {
	fmt.Println(matcher.Normalize("Jürgen Müller-Lüdenscheidt"))
	fmt.Println(matcher.Normalize("Сергей Шойгу"))
	fmt.Println(matcher.Normalize("O'Brien, Seán"))
	// Output:
	// JURGEN MULLER LUDENSCHEIDT
	// SERGEI SHOIGU
	// OBRIEN SEAN
}

func ExampleScoreNames() {
	for _, p := range [][2]string{
		{"SHOIGU SERGEI", "Сергей Кужугетович Шойгу"},
		{"MOHAMMED HAMZAH ZUBAIDI", "محمد حمزة زبيدي"},
		{"JOHN SMITH", "JOHN BROWN"},
	} {
		s, ex := matcher.ScoreNames(p[0], p[1], matcher.Person)
		fmt.Printf("%.2f %v %s = %s\n", s, s >= matcher.DefaultReferThreshold, ex.QueryName, ex.ListedName)
	}
	// Output:
	// 0.96 true SHOIGU SERGEI = SERGEI KUZHUGETOVICH SHOIGU
	// 0.94 true MOHAMMED HAMZAH ZUBAIDI = MUHAMMAD HAMZA ZBIDI
	// 0.43 false JOHN SMITH = JOHN BROWN
}

func ExampleParseMRZName() {
	primary, secondary := matcher.ParseMRZName("AL<SABAH<<NASSER<MOHAMMED<<<<<<")
	fmt.Println(primary, secondary)
	// Output:
	// [AL SABAH] [NASSER MOHAMMED]
}

func ExampleIndex_Search() {
	ix := matcher.NewIndex(matcher.Options{})
	err := ix.Upsert(matcher.Record{
		Key:           "un/IQi.001",
		Names:         []matcher.RecordName{{Full: "Muhammad Hamza Zubaydi"}, {Full: "محمد حمزة زبيدي"}},
		BirthDates:    []matcher.Date{{Year: 1938, Month: 9, Day: 18}},
		Nationalities: []string{"IRQ"},
		Gender:        'M',
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ms, err := ix.Search(matcher.Query{
		Given: "MOHAMMED HAMZA", Family: "ZUBAIDI",
		BirthDate: matcher.Date{Year: 1938, Month: 9, Day: 18}, Nationality: "IRQ", Gender: 'M',
	}, matcher.SearchOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range ms {
		fmt.Printf("%s %.2f strong=%v\n", m.Key, m.Score, m.Strong)
		for _, w := range m.Explanation.Words {
			fmt.Printf("  %s = %s %.2f %s\n", w.Query, w.Listed, w.Score, w.How)
		}
		for _, e := range m.Explanation.Evidence {
			fmt.Printf("  %s: %s %+.2f\n", e.Kind, e.Note, e.Effect)
		}
	}
	// Output:
	// un/IQi.001 1.00 strong=true
	//   MOHAMMED = MUHAMMAD 0.93 name-variant
	//   HAMZA = HAMZA 1.00 exact
	//   ZUBAIDI = ZUBAYDI 0.95 phonetic
	//   birth_date: exact +0.05
	//   nationality: same +0.02
	//   gender: same +0.01
}

package paxlst_test

import (
	"fmt"
	"os"
	"time"

	"github.com/bordersec/portcullis/screening/paxlst"
)

const examplePAXLST = "UNA:+.? '" +
	"UNB+UNOA:4+AIRLINE:ZZ+BORDER:ZZ+250601:1030+REF42'" +
	"UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'RFF+TN:TX1'" +
	"TDT+20+XX123+++XX'LOC+125+LHR'DTM+189:2506011300:201'LOC+87+JFK'DTM+232:2506011600:201'" +
	"NAD+FL+++O?'NEIL:MARY'ATT+2++F'DTM+329:800101'NAT+2+IRL'RFF+AVF:ABC123'RFF+ABO:P1'" +
	"DOC+P:110:111+PA1234567'DTM+36:300101'LOC+91+IRL'" +
	"NAD+FL+++:JOHN'ATT+2++M'DTM+329:800230'NAT+2+GBR'RFF+AVF:ABC123'RFF+ABO:P2'" +
	"DOC+P:110:111+PB7654321'DTM+36:300101'LOC+91+GBR'" +
	"CNT+42:2'UNT+28+M1'UNZ+1+REF42'"

func ExampleDecode() {
	m, err := paxlst.Decode([]byte(examplePAXLST), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	msg := m.Messages[0]
	fmt.Println("flight", msg.Legs[0].Flight, msg.Legs[0].Departure().Place, "->", msg.Legs[0].Arrival().Place)
	for _, p := range m.Persons() {
		t := p.Traveller
		fmt.Printf("%d %s|%s %s %s %s ok=%v\n", p.Index, t.Surname, t.GivenNames, t.BirthDate, t.Nationality, t.Document.Number, p.OK())
		for _, pr := range p.Problems {
			fmt.Println("  ", pr)
		}
	}
	// Output:
	// flight XX123 LHR -> JFK
	// 1 O'NEIL|MARY 1980-01-01 IRL PA1234567 ok=true
	// 2 |JOHN  GBR PB7654321 ok=false
	//    SURNAME: no surname at segment 19 NAD
	//    BIRTH DATE: date of birth cannot be read: invalid date: day 30 of 1980-02 ("800230") at segment 21 DTM
}

func ExampleWriteResponse() {
	m, err := paxlst.Decode([]byte(examplePAXLST), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The screening of each person decides; here the first is CLEAR.
	// AnswerFor keeps persons whose data cannot be read off the plane.
	var answers []paxlst.Answer
	for i, p := range m.Persons() {
		answers = append(answers, paxlst.AnswerFor(p, i == 0))
	}
	opts := &paxlst.ResponseOptions{Now: time.Date(2025, 6, 1, 10, 31, 0, 0, time.UTC), Newline: true}
	if err := paxlst.WriteResponse(os.Stdout, m, answers, opts); err != nil {
		fmt.Println(err)
	}
	// Output:
	// UNA:+.? '
	// UNB+UNOA:4+BORDER:ZZ+AIRLINE:ZZ+250601:1031+REF42'
	// UNH+M1+CUSRES:D:05B:UN:IATA'
	// BGM+962'
	// RFF+TN:TX1'
	// RFF+AF:XX123'
	// DTM+189:2506011300:201'
	// DTM+232:2506011600:201'
	// LOC+125+LHR'
	// LOC+87+JFK'
	// ERP+2'
	// RFF+AVF:ABC123'
	// RFF+ABO:P1'
	// ERC+0Z'
	// FTX+AAP+++OK TO BOARD'
	// ERP+2'
	// RFF+AVF:ABC123'
	// RFF+ABO:P2'
	// ERC+1Z'
	// FTX+AAP+++NO BOARD:DATA QUALITY:SURNAME'
	// UNT+19+M1'
	// UNZ+1+REF42'
}

func ExampleGenerate() {
	data, err := paxlst.Generate(1, 400, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := paxlst.Decode(data, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(m.Persons()), "persons,", m.Messages[0].Counts[0].Value, "counted")
	// Output:
	// 400 persons, 400 counted
}

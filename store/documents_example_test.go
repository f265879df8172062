package store_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/docfmt"
	"github.com/bordersec/portcullis/store"
)

// ExampleDB_OpenDocuments imports a lost and stolen documents list and
// checks travellers' documents against it.
func ExampleDB_OpenDocuments() {
	dir, _ := os.MkdirTemp("", "portcullis-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.Open(dir, &store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	docs, err := db.OpenDocuments(ctx, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer docs.Close() // before db's

	list := "country,type,number,status,reported,source\n" +
		"GBR,P,123456789,stolen,2024-03-01,UKPA\n" +
		"DEU,I,L01X00T47,lost,2023-11,BKA\n"
	res, err := docs.Import(ctx, docfmt.NewCSVReader(strings.NewReader(list)), screening.ImportOptions{Actor: "example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("imported", res.Change.Import.Added, "documents")

	for _, d := range []screening.Document{
		{Country: "GBR", Type: "P", Number: "1234 56789"}, // listed
		{Country: "IRL", Type: "P", Number: "123456789"},  // another issuing state
		{Country: "D", Type: "ID", Number: "LO1X0OT47"},   // O for 0: a near hit
	} {
		c, err := docs.CheckDocument(ctx, d)
		switch {
		case err != nil:
			fmt.Println(err)
		case c.Listed != nil:
			fmt.Println(d.Country, d.Number, "listed:", c.Listed.Status)
		case c.Near != nil:
			fmt.Println(d.Country, d.Number, "near", c.Near.Number+":", c.Near.Status)
		default:
			fmt.Println(d.Country, d.Number, "not listed")
		}
	}
	// Output:
	// imported 2 documents
	// GBR 1234 56789 listed: stolen
	// IRL 123456789 not listed
	// D LO1X0OT47 near L01X00T47: lost
}

// Package screening is the domain of Portcullis: the watchlist entry model,
// travellers, documents, hits and decisions, and the small interfaces the
// engine needs from storage.
//
// # Entries
//
// An [Entry] is one listed person or organisation. A person has names (the
// first is the primary name, the others aliases, each strong or weak, in any
// script), dates of birth of varying precision ([Date]), nationalities as
// ISO 3166 alpha-3 codes, a gender, travel documents, and the action a hit
// calls for: [ActionDeny], [ActionRefer] or [ActionMonitor]. An organisation
// has names, countries and identifiers.
//
// A [DocumentEntry] is one lost, stolen, revoked or invalid travel document.
//
// # Outside lists
//
// Readers of outside list formats live in sub-packages of screening/listfmt
// and all return an [EntryReader]. A record that cannot be used is reported as
// a [RecordError] naming its line or record number, so that an import can
// refuse the file or skip the record and say so.
//
// # Decisions
//
// A screening ends in CLEAR, REFER or DENY. When the engine cannot decide
// (a deadline, a storage error, data it cannot read), the answer is REFER,
// never CLEAR.
package screening

// Package store keeps Portcullis's watchlists, their versions and the audit
// trail on Badger, an embedded key-value store. No Badger type leaves it.
//
// # Durability
//
// Every watchlist write is committed and then Badger's logs are synced:
// when Put, Delete or Import returns, the change and its audit record are on
// disk and survive a kill -9 or a power cut. Badger itself runs with
// SyncWrites off, so that an import's bulk writes are synced once, before
// the commit that makes them live, not batch by batch. Decision records are
// group-committed: one commit and one sync for every decision waiting.
//
// # Versions
//
// Every change bumps one store-wide watchlist version; each list remembers the
// version of its last change and each entry the version at which it last
// changed. The audit trail (Changes) numbers its records in commit order and
// is also the change feed the engine follows to keep its index current.
//
// # Atomic imports
//
// A list lives in a generation: its entries are stored under the list's name
// and a generation number, and the list's metadata names the live one. Import
// writes the new contents into a fresh generation beside the old and makes it
// live in one commit with the audit record; until that commit screening sees
// the old list, and a crash leaves a pending marker that the next Open uses to
// delete the half-written generation. Old generations are deleted in the
// background.
package store

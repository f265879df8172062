// Package store keeps Portcullis's watchlists, their versions and the audit
// trail on Badger, an embedded key-value store. No Badger type leaves it.
//
// # Durability
//
// Every watchlist write is committed and then Badger's logs are synced:
// when Put, Delete or Import returns, the change and its audit record are on
// disk and survive a kill -9 or a power cut. Badger itself runs with
// SyncWrites on: its Sync covers only the active memtable's log, and an
// import's early batches may sit in memtables already rotated out, so each
// batch is synced as it is written. Decision records are group-committed:
// one commit and one sync for every decision waiting. When a sync fails,
// what was committed may or may not be on disk: the store refuses every
// further watchlist write (ErrBroken) until it is reopened.
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

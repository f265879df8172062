// Package httpapi is Portcullis's HTTP edge, on fasthttp: it decodes and
// validates requests, checks the caller's API key and role, calls the
// screening engine and the store, records every decision before answering,
// and maps errors to RFC 9457 problem+json answers in one place.
//
// # Endpoints and roles
//
//	POST   /v1/screen                       gate      one traveller: CLEAR, REFER or DENY with hits
//	POST   /v1/manifests                    carrier   a flight's passengers: board (0Z) or not (1Z)
//	GET    /v1/lists                        operator  lists, entry counts, versions
//	GET    /v1/lists/{list}                 operator  one list
//	DELETE /v1/lists/{list}                 operator  remove a list
//	GET    /v1/lists/{list}/entries         operator  the list as JSON Lines
//	POST   /v1/lists/{list}/entries         operator  create an entry
//	GET    /v1/lists/{list}/entries/{id}    operator  read an entry (ETag: its version)
//	PUT    /v1/lists/{list}/entries/{id}    operator  create or replace (If-Match: version)
//	DELETE /v1/lists/{list}/entries/{id}    operator  delete an entry
//	POST   /v1/lists/{list}/import          operator  replace a list atomically (?format=&skip_invalid=)
//	GET    /v1/decisions/{id}               auditor   one decision record
//	GET    /v1/decisions?from=&to=&limit=   auditor   decision records in a time range
//	GET    /v1/audit/changes?…              auditor   the watchlist audit trail
//	GET    /metrics                         auditor   Prometheus metrics
//	GET    /healthz, /readyz                (none)    liveness and readiness
//
// The admin role may call everything. A request without a valid key is 401;
// a key whose role may not call the endpoint is 403. A carrier learns board
// or no board per passenger and nothing about the lists.
//
// # Failing safe
//
// Every screening has a deadline; the engine answers REFER when it cannot
// finish. Bad input is a 400 naming the field; a body over its limit 413;
// nothing a client sends makes a 5xx. When the engine cannot record a
// decision durably it does not answer with the decision: 503, which a gate
// treats as REFER.
package httpapi

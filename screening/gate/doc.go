// Package gate decides e-gate and kiosk events: it combines what the device
// checked (the chip's signatures, the face against the chip's photo, the
// traveller's liveness) with the engine's watchlist and lost-and-stolen
// document screening and with what it has seen of the same document at
// other gates, and answers ACCEPT or REFER with every reason that applies.
//
// # Events
//
// An [Event] names its gate, port, time and direction, the document as
// read (the printed MRZ lines, the chip's DG1 lines, or both), the chip
// results (passive authentication; active or chip authentication; the
// device's own DG1-against-MRZ comparison), the face verification score and
// the device's threshold, the liveness (presentation attack detection) score
// and threshold, the attempt number, and optionally the device's morph
// suspicion. [DecodeEvent] reads one from JSON strictly; [Service.Decide]
// validates it and decides.
//
// An event is refused (a *screening.ValidationError naming the field; 400
// at the HTTP edge) when it is impossible or cannot be attributed: an
// unregistered gate ([ErrUnknownGate]), a port that is not the gate's, a
// time beyond the clock-skew allowance in the future ([ErrFuture]) or older
// than the maximum event age ([ErrStale]), a score or threshold outside
// [0, 1] ([ErrScore]), an unknown status, or MRZ lines that are not an MRZ
// at all. An MRZ whose check digits fail is not refused: it is a reason to
// refer.
//
// # Reasons
//
// Every reason has a stable [Code] and a text for the officer:
//
//	face_mismatch         face score under the threshold (possible imposter)
//	presentation_attack   liveness score under the threshold
//	morph_suspected       the device suspects a morphed photo
//	chip_auth_failed      passive, active or chip authentication failed (clone, forgery)
//	chip_mrz_mismatch     the chip's DG1 and the printed MRZ differ (altered document)
//	mrz_check_digit       a check digit of the printed MRZ or of DG1 fails
//	mrz_unreadable        a field of an MRZ cannot be read
//	document_expired      the document expired before the port's local day (the latest the
//	                      port's zone can have: solar offset from its longitude, plus 2 h)
//	document_listed       the document is on the lost and stolen list (or a look-alike number is)
//	watchlist_hit         the holder (or the document) is on a watchlist: refer or deny entries
//	clone_suspected       the document was used at another port too recently to have travelled,
//	                      or already passed this port in the same direction (passed back)
//	probing_suspected     the document failed biometric checks at several gates, or several times
//	check_not_done        a check the profile requires was not done; Reason.Check names it
//	screening_incomplete  the engine could not complete the screening (deadline, store, bad data)
//
// [Checks] gives the status of every check: passed, failed, not_done (or,
// for active and chip authentication, not_supported when the chip has
// neither). A check the device did not report is not_done, never passed.
//
// # Profiles and the configuration file
//
// Every gate is registered in a JSON configuration ([LoadConfig]) with its
// port and class (egate or kiosk), and gets a [Profile]: the gate's own,
// else its port's for its class, else the built-in profile of its class.
// Configured profiles give only the fields they change from their base:
//
//	{
//	  "clock_skew": "2m", "max_event_age": "15m",
//	  "max_speed_kmh": 1000, "min_connection": "30m",
//	  "min_travel": [{"from": "LHR", "to": "LGW", "time": "1h30m"}],
//	  "profiles": {
//	    "kiosk": {"require": {"face": true}},
//	    "strict": {"base": "egate", "min_face_threshold": 0.7, "probe_window": "1h"}
//	  },
//	  "ports": [
//	    {"code": "LHR", "name": "London Heathrow", "lat": 51.47, "lon": -0.4543,
//	     "profiles": {"egate": "strict"},
//	     "gates": [{"prefix": "LHR-T5-E", "count": 40, "class": "egate"},
//	               {"id": "LHR-T5-K01", "class": "kiosk"}]}
//	  ]
//	}
//
// The defaults, and the built-in profiles ([EGateProfile], [KioskProfile]):
//
//	clock_skew              2m     events up to this far in the future are accepted
//	max_event_age           15m    older events are refused
//	max_speed_kmh           1000   travel bound between ports (see below)
//	min_connection          30m    added to every travel time between two ports
//	min_face_threshold      0.6    the lowest face threshold accepted from a device
//	min_liveness_threshold  0.5    the lowest liveness threshold accepted from a device
//	require (egate)         face, liveness, passive_authentication, chip_authentication,
//	                        dg1_matches_mrz, document_list: all true; morph: false
//	require (kiosk)         document_list only; the others are reported not_done
//	reuse_window            2h     a document that passed this port in the same direction
//	probe_window            30m    ... failed attempts counted within this window
//	probe_gates             2      ... at this many distinct gates (1 to 4)
//	probe_failures          3      ... or this many times (1 to 4)
//
// The MRZ, expiry, watchlist and recent-use checks are always required.
//
// # Travel between ports
//
// Every port has a position. Nobody travels between two ports faster than
// their great-circle distance at max_speed_kmh plus min_connection: 1,000
// km/h is above the block speed of any scheduled flight (the longest
// non-stop flights average about 830 km/h gate to gate), and 30 minutes is
// less than it takes to leave one border control and present at another.
// The bound errs towards letting a clone through rather than referring a
// genuine traveller; min_travel sets a pair's time explicitly where roads,
// rail or ferries make a better bound. Two uses of one document at two ports
// closer in time than that are a clone.
//
// # Recent uses
//
// The [Memory] holds, for every document used within the horizon (the
// longest travel time between two ports, or the longest window), its latest
// use, its latest use at another port and its latest accepted use (32
// bytes of data a document, about 68 with the tables' slack and the
// caches' bookkeeping: BenchmarkMemoryFootprint), and the
// latest failed biometric attempts of documents that had some, in
// golang-lru caches. It is checked and updated under one lock per shard,
// so that two events for one document cannot miss each other. [Service.Open]
// rebuilds it from the event log after a restart.
//
// # Failing safe
//
// A decision is ACCEPT only when no reason applies; every check that could
// not be done is reported as not done, and a required one refers. A
// screening that does not finish before the deadline, a store error, or
// data the engine cannot read refers. The event's record is durable before
// Decide returns; when it cannot be written Decide returns an error and no
// decision.
//
// # Privacy
//
// Records name the document by a keyed digest ([Digester]) with its issuing
// state and type, never by number; hits keep no explanation; reason texts
// never quote the traveller's name, date of birth or document number.
package gate

// Package paxlst reads the UN/EDIFACT PAXLST passenger and crew lists that
// carriers send before departure (D:05B and earlier directories, in the
// WCO/IATA/ICAO profile) and writes the CUSRES answer that boards or stops
// each person. It is the format side of the carrier endpoint: screening the
// persons is not done here.
//
// # Reading
//
// [Decode] parses the interchange with package edifact and returns a
// [Manifest]: the envelope and, for each PAXLST message, a [Message] with
// its document code (BGM 745 passengers, 250 crew, and the other codes the
// profile names), transaction reference (RFF TN), flight legs and persons.
// [Manifest.Persons] lists every person in order.
//
// A leg ([Leg]) is a TDT (conveyance reference, e.g. "UA0989", and carrier)
// with its places: LOC 125 (departure), 87 (arrival) or 92 (a place on the
// route), each with the DTM 189 (departure) and 232 (arrival) that follow
// it. [Leg.Departure] and [Leg.Arrival] find the ends of a leg, also on
// multi-leg messages that only use LOC 92.
//
// A person ([Person]) begins at a NAD FL (passenger), FM (crew), DDU
// (passenger in transit) or DDT (crew in transit) and holds:
//
//   - NAD: surname, then given names (the further name components, joined
//     by spaces), and the street address when given;
//   - ATT 2: gender (M, F, U, X);
//   - DTM 329: date of birth; DTM 36 after a DOC: the document's expiry;
//   - NAT 2: nationality (ISO 3166 alpha-3 or ICAO code; alpha-2 and "D"
//     are turned into alpha-3);
//   - DOC: document type (the first component: P, I, V, ...) and number; LOC
//     91 after it: the issuing state;
//   - LOC 22 (clearance), 174 (residence), 178 (embarkation), 179
//     (debarkation), 180 (place of birth, a code or a name);
//   - RFF AVF (reservation), ABO (the carrier's unique passenger
//     reference), SEA (seat), YZY (ticket number and coupon), and any other.
//
// Each person becomes a [screening.Traveller]: surname, given names, date of
// birth, nationality, gender, and as Document the first DOC that is not a
// visa. Other segments (COM, MEA, GEI, FTX, EMP, ...) are not needed to
// screen and are skipped.
//
// Two-digit years are read against the date of preparation in the UNB: a
// date of birth falls in the last hundred years up to that date, any other
// date no more than fifty years after it.
//
// # Data quality
//
// A person whose data cannot be read is still returned, with
// [Person.Problems]; it must not be cleared, and [AnswerFor] gives it "no
// board" with the code of its first problem whatever its screening said.
// The problems are:
//
//   - [ProblemSurname]: no surname, or one with characters the reader could
//     not decode (a lenient reader turns them into U+FFFD);
//   - [ProblemGivenNames]: given names with such characters;
//   - [ProblemBirthDate]: no DTM 329, or one that is not a date (30
//     February, month 13, letters), is after the date of the message, or
//     differs from an earlier one;
//   - [ProblemNationality]: no NAT, or one that is not a country code;
//   - [ProblemGender]: a code other than M, F, U or X, or two different ones
//     (a missing ATT is not a problem);
//   - [ProblemDocument]: no DOC, only visas, or a travel document without a
//     type or a readable number;
//   - [ProblemIssuer]: the travel document has no issuing state (LOC 91),
//     or a LOC 91 is not a country code;
//   - [ProblemExpiry]: an expiry that is not a date, or comes before any DOC.
//
// These are the data the WCO/IATA/ICAO guidelines make mandatory for API and
// that a screening uses. Expired documents are not a data-quality problem:
// document checks decide on them.
//
// # What is an error
//
// Only a message that cannot be trusted as a whole is an error, with no
// partial result: input that is not EDIFACT, a broken envelope, a message
// that is not a PAXLST, and, unless [Options] says Lenient, a trailer (UNT,
// UNE, UNZ) or a control total (CNT) that does not match what was read, or
// a byte outside the declared character set. Every error wraps an
// [*edifact.Error] naming the segment number and tag.
//
// The CNT check compares CNT 42 with the passengers and CNT 41 with the crew
// members of the message. A mismatch means that the carrier's list is not
// what the carrier believes it sent (a lost or duplicated person, or a
// merged segment); answering it person by person could board someone who
// was read wrongly, so a strict decoder refuses the message and the carrier
// resends it. A lenient decoder records the mismatch as a warning of the
// message ([Message].Warnings) and answers the persons it read; a person it
// did not read gets no answer, which a carrier must treat as "no board".
// Real messages do have such slips: of the GTAS samples in testdata, only
// one passes a strict decoder. A missing CNT, BGM or TDT, and segments out
// of their place, are warnings in both modes.
//
// # The CUSRES answer
//
// [WriteResponse] (or [Response]) writes the answer for a manifest and one
// [Answer] per person. The zero Answer is "no board": a caller that fails to
// decide cannot clear anyone by mistake. The interchange is written with
// the service characters and the character set of the request, and holds:
//
//	UNA, UNB   sender and recipient of the request swapped; the request's
//	           interchange control reference (or ResponseOptions.ControlRef),
//	           application reference and test indicator
//	UNG        when the request had groups: CUSRES, the group's parties
//	           swapped, its reference, version and release
//	UNH        the reference, version, release, association code, common
//	           access reference and sequence of the PAXLST message it answers,
//	           with message type CUSRES
//	BGM 962
//	RFF TN     the transaction reference, echoed
//	RFF AF     for each leg: the flight, with DTM 189 and 232 and LOC of its
//	           departure and arrival, echoed as written
//	ERP 2      for each person, in order: the person's references RFF AVF and
//	           RFF ABO (when the request gave them), ERC 0Z (OK to board) or
//	           1Z (no board, contact the border authority), and FTX AAP with
//	           text: "OK TO BOARD"; "NO BOARD", "CONTACT BORDER AUTHORITY";
//	           or "NO BOARD", "DATA QUALITY" and the problem code
//	UNT, UNE, UNZ  with their counts and references
//
// Nothing else leaves: no name, no list, no score, no reason beyond "contact
// the border authority" or the data-quality code, which only describes the
// carrier's own data.
//
// Sources for this layout (facts only; no text or code was copied): the
// UN/EDIFACT CUSRES message structure (BGM, RFF/DTM group, LOC, ERP-RFF-ERC-
// FTX group) as directories D99A to D05B describe it; the WCO/IATA/ICAO
// PAXLST Implementation Guide (versions 3.0, 2010, and 6.0, 2016) for the
// PAXLST segments and qualifiers; public test scripts of an airline
// departure control system answering an interactive API (iAPI) scheme,
// whose CUSRES answers use BGM 962, RFF TN and RFF AF, DTM 189/232, LOC
// 125/87, and per passenger ERP 2, RFF AVF, RFF ABO, ERC 0Z or 1Z and FTX
// AAP with "OK TO BOARD" or "NO BOARD" text; a public CUSRES generator of a
// border gateway, which uses ERP 1 for message-level and ERP 2 for
// passenger-level answers; and the PAXLST parser of US-CBP/GTAS for the BGM,
// NAD, LOC and RFF code meanings. The UK Authority to Carry scheme uses the
// same iAPI exchange; its own implementation guide was not among the public
// sources found, so a UK deployment must check this layout against it.
//
// # Test data
//
// [Generate] writes valid PAXLST messages of any size (with optional
// data-quality problems, crew lists, character sets and separators) for
// tests and benchmarks.
package paxlst

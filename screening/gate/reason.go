package gate

// Outcome is what a gate or kiosk is told to do.
type Outcome string

// The outcomes. A gate opens only on Accept; Refer sends the traveller to an
// officer.
const (
	Accept Outcome = "ACCEPT"
	Refer  Outcome = "REFER"
)

// Code is the stable, machine-readable name of a reason to refer. Clients
// may switch on codes; the text beside a code is for people and may change.
type Code string

// The reasons an event is referred.
const (
	// CodeFaceMismatch: the face verification score is under the
	// threshold: possibly an imposter using another person's document.
	CodeFaceMismatch Code = "face_mismatch"
	// CodePresentationAttack: the liveness score is under the threshold: a
	// photo, screen, mask or other presentation attack is suspected.
	CodePresentationAttack Code = "presentation_attack"
	// CodeMorphSuspected: the device suspects the chip photo is a morph of
	// two faces.
	CodeMorphSuspected Code = "morph_suspected"
	// CodeChipAuthFailed: passive authentication (the chip's signatures) or
	// active or chip authentication failed: a cloned or forged chip.
	CodeChipAuthFailed Code = "chip_auth_failed"
	// CodeChipMRZMismatch: the chip's DG1 and the printed MRZ disagree: an
	// altered document.
	CodeChipMRZMismatch Code = "chip_mrz_mismatch"
	// CodeMRZCheckDigit: a check digit of the printed MRZ or of the chip's
	// DG1 does not verify.
	CodeMRZCheckDigit Code = "mrz_check_digit"
	// CodeMRZUnreadable: a field of the MRZ cannot be read (a date that
	// does not exist, an unknown state code).
	CodeMRZUnreadable Code = "mrz_unreadable"
	// CodeDocumentExpired: the document expired before the day of the event.
	CodeDocumentExpired Code = "document_expired"
	// CodeDocumentListed: the document is on the lost, stolen and invalid
	// documents list, or a number differing only in look-alike characters is.
	CodeDocumentListed Code = "document_listed"
	// CodeWatchlist: the holder (or a document on a listed person's entry)
	// matched a watchlist entry whose action is refer or deny.
	CodeWatchlist Code = "watchlist_hit"
	// CodeClone: the same document was used at another port within a time
	// nobody could travel, or already passed this port in the same
	// direction: a cloned document or a document passed back.
	CodeClone Code = "clone_suspected"
	// CodeProbing: the document failed biometric checks at several gates
	// (or several times) shortly before: a look-alike probing gate after
	// gate.
	CodeProbing Code = "probing_suspected"
	// CodeCheckNotDone: a check that the gate's profile requires was not
	// done; Reason.Check names it.
	CodeCheckNotDone Code = "check_not_done"
	// CodeIncomplete: the engine could not complete the screening (a
	// deadline, a storage error, data it cannot read): fail safe.
	CodeIncomplete Code = "screening_incomplete"
)

// Reason is one reason to refer: a stable code, the check it concerns when
// the code is CodeCheckNotDone, and a text for the officer. Texts never hold
// the traveller's name, date of birth or document number.
type Reason struct {
	Code  Code   `json:"code"`
	Check Check  `json:"check,omitempty"`
	Text  string `json:"text"`
}

// Check names one of the checks an event goes through.
type Check string

// The checks, as they appear in Checks and in Reason.Check.
const (
	CheckMRZ          Check = "mrz"
	CheckPassiveAuth  Check = "passive_authentication"
	CheckChipAuth     Check = "chip_authentication"
	CheckDG1          Check = "dg1_matches_mrz"
	CheckFace         Check = "face"
	CheckLiveness     Check = "liveness"
	CheckMorph        Check = "morph"
	CheckExpiry       Check = "expiry"
	CheckWatchlist    Check = "watchlist"
	CheckDocumentList Check = "document_list"
	CheckRecentUse    Check = "recent_use"
)

// AllChecks lists every check in the order Checks reports them.
var AllChecks = [...]Check{CheckMRZ, CheckPassiveAuth, CheckChipAuth, CheckDG1, CheckFace, CheckLiveness,
	CheckMorph, CheckExpiry, CheckWatchlist, CheckDocumentList, CheckRecentUse}

// Status is the result of one check.
type Status string

// The statuses of a check. NotSupported is for active or chip
// authentication only: the chip's signed data says it has neither, which is
// a fact about the document, not a check left undone.
const (
	Passed       Status = "passed"
	Failed       Status = "failed"
	NotDone      Status = "not_done"
	NotSupported Status = "not_supported"
)

// Checks holds the status of every check of one event. A check that was
// not done says NotDone: never Passed.
type Checks struct {
	MRZ          Status `json:"mrz"`
	PassiveAuth  Status `json:"passive_authentication"`
	ChipAuth     Status `json:"chip_authentication"`
	DG1          Status `json:"dg1_matches_mrz"`
	Face         Status `json:"face"`
	Liveness     Status `json:"liveness"`
	Morph        Status `json:"morph"`
	Expiry       Status `json:"expiry"`
	Watchlist    Status `json:"watchlist"`
	DocumentList Status `json:"document_list"`
	RecentUse    Status `json:"recent_use"`
}

// ptr returns the field of c that holds check k, or nil.
func (c *Checks) ptr(k Check) *Status {
	switch k {
	case CheckMRZ:
		return &c.MRZ
	case CheckPassiveAuth:
		return &c.PassiveAuth
	case CheckChipAuth:
		return &c.ChipAuth
	case CheckDG1:
		return &c.DG1
	case CheckFace:
		return &c.Face
	case CheckLiveness:
		return &c.Liveness
	case CheckMorph:
		return &c.Morph
	case CheckExpiry:
		return &c.Expiry
	case CheckWatchlist:
		return &c.Watchlist
	case CheckDocumentList:
		return &c.DocumentList
	case CheckRecentUse:
		return &c.RecentUse
	}
	return nil
}

// Get returns the status of check k ("" for an unknown check).
func (c *Checks) Get(k Check) Status {
	if p := c.ptr(k); p != nil {
		return *p
	}
	return ""
}

func (c *Checks) set(k Check, s Status) { *c.ptr(k) = s }

// notDone starts every check as NotDone, so that a check the code forgets
// to run can never read as passed.
func notDone() Checks {
	var c Checks
	for _, k := range AllChecks {
		c.set(k, NotDone)
	}
	return c
}

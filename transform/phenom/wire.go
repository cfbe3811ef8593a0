package phenom

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Source shapes of extract/phenom's documents (shared/spec/phenom.md and
// extract/phenom/WIRE.md). Every source-specific field name is here.

// text is a source string: a JSON string as is, a number or boolean as its
// JSON text, null or missing as "". Objects and arrays are malformed.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		if len(b) >= 2 && b[len(b)-1] == '"' && !hasEscapeOrControl(b[1:len(b)-1]) {
			*t = text(b[1 : len(b)-1]) // the common case: no escapes to decode
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	case 'n':
		*t = ""
	case '{', '[':
		return errors.New("want a string, got an object or array")
	default:
		*t = text(b)
	}
	return nil
}

// userKey is a source e-mail that becomes a user's remote id: a JSON string,
// or null or missing for none. Anything else (a number, a boolean, an
// object) is malformed: read as text it would invent a user.
type userKey string

func (u *userKey) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] != '"' && b[0] != 'n' {
		return errors.New("want an e-mail string")
	}
	var t text
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	*u = userKey(t)
	return nil
}

// hasEscapeOrControl reports whether the inside of a JSON string literal
// needs decoding (escapes, control bytes, or invalid UTF-8 that
// encoding/json would replace).
func hasEscapeOrControl(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c < 0x20 {
			return true
		}
	}
	return !utf8.Valid(b)
}

// blank reports whether t holds nothing but white space.
func (t text) blank() bool { return strings.TrimSpace(string(t)) == "" }

// opt returns t, or "" (NULL) when it is blank.
func (t text) opt() string {
	if t.blank() {
		return ""
	}
	return string(t)
}

// jobDoc and appDoc are the bodies of extract/phenom's documents:
// {"<endpoint path>": item}. The tags must equal extract/phenom's PathJobs
// and PathApplications (a test checks it); a struct decodes in one pass.
type jobDoc struct {
	Item *jobItem `json:"/jobs-api/v1/jobs"`
}

type appDoc struct {
	Item *appItem `json:"/apply/v2/applications"`
}

// jobItem is one JOB of the jobs listing.
type jobItem struct {
	JobID              text            `json:"jobId"`
	ReqID              json.RawMessage `json:"reqId"`
	Title              text            `json:"title"`
	Description        text            `json:"description"`
	Category           text            `json:"category"`
	Department         text            `json:"department"`
	Type               text            `json:"type"`
	Status             text            `json:"status"`
	Locale             json.RawMessage `json:"locale"`
	SiteType           text            `json:"siteType"`
	ApplyURL           text            `json:"applyUrl"`
	City               text            `json:"city"`
	State              text            `json:"state"`
	Country            text            `json:"country"`
	PostalCode         text            `json:"postalCode"`
	Location           text            `json:"location"`
	PostedDate         text            `json:"postedDate"`
	HiringManagerEmail userKey         `json:"hiringManagerEmail"`
	HiringManagerName  text            `json:"hiringManagerName"`
	MultiRecruiter     json.RawMessage `json:"multiRecruiter"`
}

// Source field names kept as DEFAULT integration fields.
const (
	fieldReqID        = "reqId"
	fieldLocale       = "locale"
	fieldHiringStatus = "hiringStatus"
)

// recruiter is one multiRecruiter entry.
type recruiter struct {
	RecruiterEmail userKey `json:"recruiterEmail"`
	RecruiterName  text    `json:"recruiterName"`
}

// checkRecruiters reports a multiRecruiter entry that is an object but not a
// recruiter (e.g. a recruiterEmail that is not a string): the job cannot be
// mapped without inventing or losing a team member.
func checkRecruiters(raw json.RawMessage) error {
	var items []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &items) != nil {
		return nil
	}
	for i, it := range items {
		if len(it) == 0 || it[0] != '{' {
			continue
		}
		var r recruiter
		if err := json.Unmarshal(it, &r); err != nil {
			return fmt.Errorf("multiRecruiter[%d]: %w", i, err)
		}
	}
	return nil
}

// recruiters returns the entries of a multiRecruiter value (missing, null,
// not a list: none; entries that are not objects are left out).
func recruiters(raw json.RawMessage) []recruiter {
	var items []json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &items) != nil {
		return nil
	}
	out := make([]recruiter, 0, len(items))
	for _, it := range items {
		var r recruiter
		if json.Unmarshal(it, &r) == nil {
			out = append(out, r)
		}
	}
	return out
}

// appItem is one APPLICATION of the applications listing.
type appItem struct {
	ApplicationID text            `json:"applicationId"`
	JobID         text            `json:"jobId"`
	CandidateID   text            `json:"candidateId"`
	HiringStatus  json.RawMessage `json:"hiringStatus"`
	AppliedDate   text            `json:"appliedDate"`
	UpdatedDate   text            `json:"updatedDate"`
	Source        text            `json:"source"`
	CandidateData *candidateData  `json:"candidateData"`
}

// candidateData is an application's snapshot of its candidate.
type candidateData struct {
	CandidateID     text         `json:"candidateId"`
	FirstName       text         `json:"firstName"`
	MiddleName      text         `json:"middleName"`
	LastName        text         `json:"lastName"`
	CurrentCompany  text         `json:"currentCompany"`
	CurrentJobTitle text         `json:"currentJobTitle"`
	ContactData     *contactData `json:"contactData"`
}

// contactData is the contact part of candidateData.
type contactData struct {
	Email            text `json:"email"`
	CountryPhoneCode text `json:"countryPhoneCode"`
	PhoneNumber      text `json:"phoneNumber"`
	DeviceType       text `json:"deviceType"`
	PhoneExtension   text `json:"phoneExtension"`
	City             text `json:"city"`
	State            text `json:"state"`
	Country          text `json:"country"`
	ZipCode          text `json:"zipCode"`
}

// candidateRemoteID is the candidate rule: candidateData.candidateId, else
// the application's candidateId ("" when neither is set).
func (a *appItem) candidateRemoteID() string {
	if a.CandidateData != nil && !a.CandidateData.CandidateID.blank() {
		return string(a.CandidateData.CandidateID)
	}
	if !a.CandidateID.blank() {
		return string(a.CandidateID)
	}
	return ""
}

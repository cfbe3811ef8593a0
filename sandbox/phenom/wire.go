package phenom

import "encoding/json"

// wireJob is one JOB item of the jobs listing, exactly as served. Fields with
// omitempty are left out when empty (the API omits them); multiRecruiter is
// served as its raw JSON (nil: the property is missing; "null"; "[]"; a list).
type wireJob struct {
	JobID              string          `json:"jobId"`
	ReqID              string          `json:"reqId"`
	Title              string          `json:"title"`
	Description        string          `json:"description"`
	Category           string          `json:"category"`
	Department         string          `json:"department,omitempty"`
	Type               string          `json:"type"`
	Status             string          `json:"status"`
	Locale             string          `json:"locale"`
	SiteType           string          `json:"siteType"`
	ApplyURL           string          `json:"applyUrl"`
	City               string          `json:"city"`
	State              string          `json:"state,omitempty"`
	Country            string          `json:"country"`
	PostalCode         string          `json:"postalCode,omitempty"`
	Location           string          `json:"location"`
	PostedDate         string          `json:"postedDate"`
	DateCreated        string          `json:"dateCreated"`
	HiringManagerEmail string          `json:"hiringManagerEmail"`
	HiringManagerName  string          `json:"hiringManagerName"`
	MultiRecruiter     json.RawMessage `json:"multiRecruiter,omitempty"`
}

// wireRecruiter is one entry of a job's multiRecruiter list.
type wireRecruiter struct {
	RecruiterEmail string `json:"recruiterEmail"`
	RecruiterName  string `json:"recruiterName,omitempty"`
}

// wireApp is one APPLICATION item of the applications listing, exactly as served.
type wireApp struct {
	ApplicationID string        `json:"applicationId"`
	JobID         string        `json:"jobId"`
	CandidateID   string        `json:"candidateId"`
	HiringStatus  string        `json:"hiringStatus"`
	AppliedDate   string        `json:"appliedDate"`
	UpdatedDate   string        `json:"updatedDate"`
	Source        string        `json:"source"`
	CandidateData candidateData `json:"candidateData"`
}

// candidateData is an application's snapshot of its candidate. An empty
// CandidateID is left out (the quirk: the application's candidateId applies).
type candidateData struct {
	CandidateID     string      `json:"candidateId,omitempty"`
	FirstName       string      `json:"firstName"`
	MiddleName      string      `json:"middleName"`
	LastName        string      `json:"lastName"`
	CurrentCompany  string      `json:"currentCompany"`
	CurrentJobTitle string      `json:"currentJobTitle"`
	ContactData     contactData `json:"contactData"`
}

// contactData is the contact part of candidateData.
type contactData struct {
	Email            string `json:"email"`
	CountryPhoneCode string `json:"countryPhoneCode"`
	PhoneNumber      string `json:"phoneNumber"`
	DeviceType       string `json:"deviceType"`
	PhoneExtension   string `json:"phoneExtension"`
	City             string `json:"city"`
	State            string `json:"state"`
	Country          string `json:"country"`
	ZipCode          string `json:"zipCode"`
}

// jobsPage is the reply of the jobs listing.
type jobsPage struct {
	Status            string    `json:"status"`
	Offset            int       `json:"offset"`
	Limit             int       `json:"limit"`
	TotalRecordsCount int       `json:"totalRecordsCount"`
	Data              []wireJob `json:"data"`
}

// appsPage is the reply of the applications listing (no total).
type appsPage struct {
	Status        string    `json:"status"`
	StatusCode    string    `json:"statusCode"`
	StatusMessage string    `json:"statusMessage"`
	Data          []wireApp `json:"data"`
}

// errorBody is Phenom's error envelope.
type errorBody struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

// tokenReply is the reply of the token endpoint; accessToken is its first property.
type tokenReply struct {
	AccessToken string `json:"accessToken"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

package smartrecruiters

import (
	"encoding/json"
)

// Decoding targets for the document bodies of extract/smartrecruiters (shapes
// in its WIRE.md). A document is decoded once into its *Doc struct (body
// struct tags are the endpoint path templates of extract/smartrecruiters/docs.go;
// TestBodyTagsMatchPaths keeps them equal); the raw parts that remote_data
// embeds as received are found with transform's span scanner.

type systemRoleDoc struct {
	Item systemRole `json:"/user-api/v201804/system-roles"`
}

type userDoc struct {
	Item user `json:"/user-api/v201804/users"`
}

type hiringProcessDoc struct {
	Item hiringProcess `json:"/configuration/hiring-processes"`
}

type rejectionReasonDoc struct {
	Item idLabel `json:"/configuration/rejection-reasons"`
}

type jobDoc struct {
	J1 job           `json:"/jobs"`
	J2 job           `json:"/jobs/{jobId}"`
	J3 team          `json:"/jobs/{jobId}/hiring-team"`
	J4 []jobAd       `json:"/jobs/{jobId}/jobads"`
	J5 statusHistory `json:"/jobs/{jobId}/status/history"`
}

type postingDoc struct {
	P1 postingItem   `json:"/v1/companies/{identifier}/postings"`
	P2 postingConfig `json:"/postings/{uuid}/configuration"`
}

type candidateDoc struct {
	C1 candidateSummary `json:"/candidates"`
	C2 candidateDetails `json:"/candidates/{id}"`
}

type applicationDoc struct {
	CandidateID string                `json:"_candidateId"`
	JobID       string                `json:"_jobId"`
	C3          applicationDetails    `json:"/candidates/{id}/jobs/{jobId}"`
	C4          statusHistory         `json:"/candidates/{id}/jobs/{jobId}/status/history"`
	C5          screeningAnswers      `json:"/candidates/{id}/jobs/{jobId}/screening-answers"`
	C6          applicationProperties `json:"/candidates/{id}/jobs/{jobId}/properties"`
	C7          offers                `json:"/candidates/{id}/jobs/{jobId}/offers"`
	I1          interviews            `json:"/interviews-api/v201904/interviews"`
}

type idLabel struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type systemRole struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type user struct {
	ID         string     `json:"id"`
	FirstName  string     `json:"firstName"`
	LastName   string     `json:"lastName"`
	Email      string     `json:"email"`
	Active     *bool      `json:"active"`
	SystemRole systemRole `json:"systemRole"`
}

type hiringProcess struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Active      bool                `json:"active"`
	SubStatuses map[string][]string `json:"subStatuses"`
}

type location struct {
	City        string `json:"city"`
	Region      string `json:"region"`
	RegionCode  string `json:"regionCode"`
	Country     string `json:"country"`
	CountryCode string `json:"countryCode"`
	PostalCode  string `json:"postalCode"`
	Address     string `json:"address"`
}

type section struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

type sections struct {
	CompanyDescription    section `json:"companyDescription"`
	JobDescription        section `json:"jobDescription"`
	Qualifications        section `json:"qualifications"`
	AdditionalInformation section `json:"additionalInformation"`
}

type jobAdBody struct {
	Sections sections `json:"sections"`
}

type compensation struct {
	Min      json.RawMessage `json:"min"`
	Max      json.RawMessage `json:"max"`
	Currency string          `json:"currency"`
	Period   string          `json:"period"`
}

type property struct {
	ID    string          `json:"id"`
	Label string          `json:"label"`
	Value json.RawMessage `json:"value"`
}

// job is J1 and J2 decoded into one value (J2 over J1: J2 is the summary plus details).
type job struct {
	ID               string       `json:"id"`
	Title            string       `json:"title"`
	RefNumber        string       `json:"refNumber"`
	CreatedOn        string       `json:"createdOn"`
	UpdatedOn        string       `json:"updatedOn"`
	Status           string       `json:"status"`
	PostingStatus    string       `json:"postingStatus"`
	Department       idLabel      `json:"department"`
	Location         location     `json:"location"`
	Industry         idLabel      `json:"industry"`
	Function         idLabel      `json:"function"`
	TypeOfEmployment idLabel      `json:"typeOfEmployment"`
	ExperienceLevel  idLabel      `json:"experienceLevel"`
	Compensation     compensation `json:"compensation"`
	JobAd            jobAdBody    `json:"jobAd"`
	Properties       []property   `json:"properties"`
	HiringProcessID  string       `json:"hiringProcessId"`
}

type teamEntry struct {
	ID   string `json:"id"`
	Role string `json:"role"`
}

type team struct {
	Content []teamEntry `json:"content"`
}

type jobAd struct {
	ID            string    `json:"id"`
	Title         string    `json:"title"`
	JobAd         jobAdBody `json:"jobAd"`
	CreatedOn     string    `json:"createdOn"`
	ApplyURL      string    `json:"applyUrl"`
	PostingStatus string    `json:"postingStatus"`
	Visibility    string    `json:"visibility"`
	Default       bool      `json:"default"`
}

type statusEntry struct {
	ChangedOn string `json:"changedOn"`
	Status    string `json:"status"`
	SubStatus string `json:"subStatus"`
}

type statusHistory struct {
	Content []statusEntry `json:"content"`
}

type postingItem struct {
	ID      string `json:"id"`
	JobAdID string `json:"jobAdId"`
}

type postingConfig struct {
	Questions []question `json:"questions"`
}

type question struct {
	ID     string          `json:"id"`
	Label  string          `json:"label"`
	Fields []questionField `json:"fields"`
}

type questionField struct {
	ID             string    `json:"id"`
	Label          string    `json:"label"`
	Type           string    `json:"type"`
	Required       bool      `json:"required"`
	Values         []idLabel `json:"values"`
	ComplianceType string    `json:"complianceType"`
}

type web struct {
	LinkedIn string `json:"linkedin"`
	Facebook string `json:"facebook"`
	Twitter  string `json:"twitter"`
	Website  string `json:"website"`
	Skype    string `json:"skype"`
}

type experience struct {
	Title   string `json:"title"`
	Company string `json:"company"`
	Current bool   `json:"current"`
}

type assignment struct {
	Source string `json:"source"`
}

// candidateSummary is a C1 item.
type candidateSummary struct {
	ID        string   `json:"id"`
	FirstName string   `json:"firstName"`
	LastName  string   `json:"lastName"`
	Email     string   `json:"email"`
	CreatedOn string   `json:"createdOn"`
	UpdatedOn string   `json:"updatedOn"`
	Tags      []string `json:"tags"`
}

// candidateDetails is C2.
type candidateDetails struct {
	ID                string       `json:"id"`
	FirstName         string       `json:"firstName"`
	LastName          string       `json:"lastName"`
	Email             string       `json:"email"`
	PhoneNumber       string       `json:"phoneNumber"`
	Location          location     `json:"location"`
	Web               web          `json:"web"`
	Experience        []experience `json:"experience"`
	Tags              []string     `json:"tags"`
	CreatedOn         string       `json:"createdOn"`
	UpdatedOn         string       `json:"updatedOn"`
	PrimaryAssignment assignment   `json:"primaryAssignment"`
}

// applicationDetails is C3.
type applicationDetails struct {
	CandidateID       string  `json:"candidateId"`
	JobID             string  `json:"jobId"`
	Status            string  `json:"status"`
	SubStatus         string  `json:"subStatus"`
	ReasonOfRejection idLabel `json:"reasonOfRejection"`
}

// screeningAnswer is a C5 item; its records are read from the raw item (their
// values for the known types, the whole records for the others).
type screeningAnswer struct {
	ID    string `json:"id"`
	Type  string `json:"type"`
	Name  string `json:"name"`
	Label string `json:"label"`
}

type screeningAnswers struct {
	Content []screeningAnswer `json:"content"`
}

type applicationProperty struct {
	ID         string          `json:"id"`
	Label      string          `json:"label"`
	Value      json.RawMessage `json:"value"`
	ValueLabel string          `json:"valueLabel"`
}

type applicationProperties struct {
	Content []applicationProperty `json:"content"`
}

// offer is a C7 item; its properties are read from the raw item (key order kept).
type offer struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	CreatedOn string `json:"createdOn"`
	UpdatedOn string `json:"updatedOn"`
}

type offers struct {
	Content []offer `json:"content"`
}

type interviewer struct {
	ID string `json:"id"`
}

type timeslot struct {
	ID              string        `json:"id"`
	Title           string        `json:"title"`
	InterviewType   string        `json:"interviewType"`
	Place           string        `json:"place"`
	StartsOn        string        `json:"startsOn"`
	EndsOn          string        `json:"endsOn"`
	CandidateStatus string        `json:"candidateStatus"`
	Interviewers    []interviewer `json:"interviewers"`
}

type interview struct {
	ID        string          `json:"id"`
	Location  json.RawMessage `json:"location"`
	Timeslots []timeslot      `json:"timeslots"`
}

type interviews struct {
	Content []interview `json:"content"`
}

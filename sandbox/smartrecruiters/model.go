package smartrecruiters

import "time"

// Statuses of an application, in funnel order.
var appStatuses = []string{"LEAD", "NEW", "IN_REVIEW", "INTERVIEW", "OFFERED", "HIRED", "REJECTED", "WITHDRAWN", "TRANSFERRED"}

// subStatusKeys are the statuses a hiring process lists sub-statuses for (G1 key order).
var subStatusKeys = []string{"IN_REVIEW", "INTERVIEW", "OFFERED"}

func subIndex(status string) int {
	for i, s := range subStatusKeys {
		if s == status {
			return i
		}
	}
	return -1
}

type idLabel struct {
	ID    string `json:"id"`
	Label string `json:"label,omitempty"`
}

type location struct {
	City        string `json:"city,omitempty"`
	Region      string `json:"region,omitempty"`
	RegionCode  string `json:"regionCode,omitempty"`
	Country     string `json:"country,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
	PostalCode  string `json:"postalCode,omitempty"`
	Address     string `json:"address,omitempty"`
	Remote      *bool  `json:"remote,omitempty"`
}

type user struct {
	ID, First, Last, Email string
	Active                 bool
	Role                   string // system role id
	UpdatedOn              time.Time
	protected              bool
}

type process struct {
	ID, Name string
	Active   bool
	Sub      [3][]string // IN_REVIEW, INTERVIEW, OFFERED
}

type section struct {
	Title string `json:"title,omitempty"`
	Text  string `json:"text"`
}

type sections struct {
	CompanyDescription    *section `json:"companyDescription,omitempty"`
	JobDescription        *section `json:"jobDescription,omitempty"`
	Qualifications        *section `json:"qualifications,omitempty"`
	AdditionalInformation *section `json:"additionalInformation,omitempty"`
}

type jobProp struct {
	ID    string  `json:"id"`
	Label string  `json:"label"`
	Value idLabel `json:"value"`
}

type compensation struct {
	Min      float64 `json:"min"`
	Max      float64 `json:"max"`
	Currency string  `json:"currency"`
	Period   string  `json:"period,omitempty"`
}

type teamEntry struct {
	UserID string `json:"id"`
	Role   string `json:"role"`
}

type jobStatus struct {
	ChangedOn time.Time
	Status    string
}

type job struct {
	ID, Title, Ref                             string
	CreatedOn, UpdatedOn                       time.Time
	Status, PostingStatus                      string
	Department                                 idLabel
	Location                                   location
	Industry, Function, Employment, Experience *idLabel
	Comp                                       *compensation
	Sections                                   sections
	Props                                      []jobProp
	ProcessID                                  string
	Team                                       []teamEntry
	Ads                                        []*jobAd
	History                                    []jobStatus
	protected                                  bool
	deleted                                    bool
}

type language struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type jobAd struct {
	ID, Title            string
	Lang                 language
	Sections             sections
	CreatedOn, UpdatedOn time.Time
	ApplyURL             string
	Published            bool
	Visibility           string
	Default              bool
	Posting              *posting // non-nil exactly when Published
}

type posting struct {
	ID, UUID  string
	Questions []*question
	ad        *jobAd
	job       *job
}

type qValue struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

type qField struct {
	ID         string   `json:"id"`
	Label      string   `json:"label"`
	Type       string   `json:"type"`
	Required   bool     `json:"required"`
	Values     []qValue `json:"values"`
	Compliance string   `json:"complianceType,omitempty"`
}

type question struct {
	ID         string   `json:"id"`
	Label      string   `json:"label"`
	Repeatable bool     `json:"repeatable"`
	Fields     []qField `json:"fields"`
	name       string   // machine name used in answers
}

type web struct {
	LinkedIn string `json:"linkedin,omitempty"`
	Facebook string `json:"facebook,omitempty"`
	Twitter  string `json:"twitter,omitempty"`
	Website  string `json:"website,omitempty"`
	Skype    string `json:"skype,omitempty"`
}

type experience struct {
	Title   string `json:"title,omitempty"`
	Company string `json:"company,omitempty"`
	Current bool   `json:"current"`
}

type candidate struct {
	ID, First, Last, Email, Phone string
	Location                      *location
	Web                           *web
	Experience                    []experience
	Tags                          []string
	CreatedOn, UpdatedOn          time.Time
	Apps                          []*application // primary first
	protected                     bool
	deleted                       bool
}

type appStatus struct {
	ChangedOn         time.Time
	Status, SubStatus string
}

type ansValue struct {
	ID    string `json:"id,omitempty"`
	Label string `json:"label"`
}

type ansField struct {
	ID     string     `json:"id"`
	Label  string     `json:"label"`
	Values []ansValue `json:"values"`
}

type ansRecord struct {
	Fields []ansField `json:"fields"`
}

type answer struct {
	ID       string      `json:"id"`
	Type     string      `json:"type"`
	Category string      `json:"category"`
	Name     string      `json:"name"`
	Label    string      `json:"label,omitempty"`
	Records  []ansRecord `json:"records"`
}

type appProp struct {
	ID         string `json:"id"`
	Label      string `json:"label"`
	Type       string `json:"type"`
	Value      any    `json:"value"`
	ValueLabel string `json:"valueLabel,omitempty"`
}

type offer struct {
	ID, Status           string
	CreatedOn, UpdatedOn time.Time
	Props                map[string]string
}

type interviewer struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

type timeslot struct {
	ID, Title, Type, Place string
	Starts, Ends           time.Time
	CandStatus             string
	Interviewers           []interviewer
}

type interview struct {
	ID, JobID, OrganizerID, Location, Timezone string
	CreatedOn                                  time.Time
	Slots                                      []*timeslot
}

type application struct {
	ID                    string
	cand                  *candidate
	job                   *job
	Status, SubStatus     string
	Source                string
	Rejection, Withdrawal *idLabel
	CreatedOn             time.Time
	History               []appStatus // source order (not necessarily sorted)
	Answers               []answer
	Props                 []appProp
	Offers                []*offer
	Interviews            []*interview
	protected             bool
}

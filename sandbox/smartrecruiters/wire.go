package smartrecruiters

import (
	"time"
)

// Wire shapes of extract/smartrecruiters/WIRE.md. Optional fields are omitted.

const tsLayout = "2006-01-02T15:04:05.000Z"

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

type wList[T any] struct {
	TotalFound int `json:"totalFound"`
	Content    []T `json:"content"`
}

func list[T any](items []T) wList[T] {
	if items == nil {
		items = []T{}
	}
	return wList[T]{TotalFound: len(items), Content: items}
}

type wPage[T any] struct {
	TotalFound int    `json:"totalFound"`
	NextPageID string `json:"nextPageId,omitempty"`
	Content    []T    `json:"content"`
}

type wUser struct {
	ID         string `json:"id"`
	FirstName  string `json:"firstName"`
	LastName   string `json:"lastName"`
	Email      string `json:"email,omitempty"`
	Active     bool   `json:"active"`
	SystemRole wRole  `json:"systemRole"`
	UpdatedOn  string `json:"updatedOn"`
}

type wRole struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (w *world) wireUser(u *user) wUser {
	return wUser{ID: u.ID, FirstName: u.First, LastName: u.Last, Email: u.Email, Active: u.Active, SystemRole: wRole{ID: u.Role, Name: w.roleName(u.Role)}, UpdatedOn: ts(u.UpdatedOn)}
}

func (w *world) roleName(id string) string {
	for _, r := range w.roles {
		if r.ID == id {
			return r.Label
		}
	}
	return id
}

type wJobSummary struct {
	ID            string   `json:"id"`
	Title         string   `json:"title"`
	RefNumber     string   `json:"refNumber"`
	CreatedOn     string   `json:"createdOn"`
	UpdatedOn     string   `json:"updatedOn"`
	Status        string   `json:"status"`
	PostingStatus string   `json:"postingStatus"`
	Department    idLabel  `json:"department"`
	Location      location `json:"location"`
}

func wireJobSummary(j *job) wJobSummary {
	return wJobSummary{ID: j.ID, Title: j.Title, RefNumber: j.Ref, CreatedOn: ts(j.CreatedOn), UpdatedOn: ts(j.UpdatedOn), Status: j.Status, PostingStatus: j.PostingStatus, Department: j.Department, Location: j.Location}
}

type wJobAdBody struct {
	Sections sections `json:"sections"`
}

type wURL struct {
	URL string `json:"url"`
}

type wActions struct {
	ApplyOnWeb *wURL `json:"applyOnWeb,omitempty"`
}

type wJobDetails struct {
	wJobSummary
	Industry         *idLabel      `json:"industry,omitempty"`
	Function         *idLabel      `json:"function,omitempty"`
	TypeOfEmployment *idLabel      `json:"typeOfEmployment,omitempty"`
	ExperienceLevel  *idLabel      `json:"experienceLevel,omitempty"`
	Compensation     *compensation `json:"compensation,omitempty"`
	JobAd            wJobAdBody    `json:"jobAd"`
	Properties       []jobProp     `json:"properties"`
	HiringProcessID  string        `json:"hiringProcessId,omitempty"`
	Actions          wActions      `json:"actions"`
}

func wireJobDetails(j *job) wJobDetails {
	d := wJobDetails{
		wJobSummary: wireJobSummary(j), Industry: j.Industry, Function: j.Function, TypeOfEmployment: j.Employment,
		ExperienceLevel: j.Experience, Compensation: j.Comp, JobAd: wJobAdBody{Sections: j.Sections},
		Properties: j.Props, HiringProcessID: j.ProcessID,
	}
	if d.Properties == nil {
		d.Properties = []jobProp{}
	}
	for _, a := range j.Ads {
		if a.Default && a.Published {
			d.Actions.ApplyOnWeb = &wURL{URL: a.ApplyURL}
		}
	}
	return d
}

type wJobAd struct {
	ID            string     `json:"id"`
	Title         string     `json:"title"`
	Language      language   `json:"language"`
	JobAd         wJobAdBody `json:"jobAd"`
	CreatedOn     string     `json:"createdOn"`
	UpdatedOn     string     `json:"updatedOn"`
	ApplyURL      string     `json:"applyUrl"`
	PostingStatus string     `json:"postingStatus"`
	Visibility    string     `json:"visibility"`
	Default       bool       `json:"default"`
}

func wireJobAd(a *jobAd) wJobAd {
	st := "NOT_PUBLISHED"
	if a.Published {
		st = "PUBLISHED"
	}
	return wJobAd{ID: a.ID, Title: a.Title, Language: a.Lang, JobAd: wJobAdBody{Sections: a.Sections}, CreatedOn: ts(a.CreatedOn), UpdatedOn: ts(a.UpdatedOn), ApplyURL: a.ApplyURL, PostingStatus: st, Visibility: a.Visibility, Default: a.Default}
}

type wJobStatus struct {
	ChangedOn string `json:"changedOn"`
	Status    string `json:"status"`
}

type wJobRef struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
}

type wAssignmentRef struct {
	Job       wJobRef `json:"job"`
	Status    string  `json:"status"`
	SubStatus string  `json:"subStatus,omitempty"`
}

type wCandidateSummary struct {
	ID                   string           `json:"id"`
	FirstName            string           `json:"firstName"`
	LastName             string           `json:"lastName"`
	Email                string           `json:"email,omitempty"`
	CreatedOn            string           `json:"createdOn"`
	UpdatedOn            string           `json:"updatedOn"`
	Tags                 []string         `json:"tags"`
	PrimaryAssignment    wAssignmentRef   `json:"primaryAssignment"`
	SecondaryAssignments []wAssignmentRef `json:"secondaryAssignments"`
}

func tagsOf(c *candidate) []string {
	if c.Tags == nil {
		return []string{}
	}
	return c.Tags
}

func wireCandidateSummary(c *candidate) wCandidateSummary {
	s := wCandidateSummary{ID: c.ID, FirstName: c.First, LastName: c.Last, Email: c.Email, CreatedOn: ts(c.CreatedOn), UpdatedOn: ts(c.UpdatedOn), Tags: tagsOf(c), SecondaryAssignments: []wAssignmentRef{}}
	for i, a := range c.Apps {
		r := wAssignmentRef{Job: wJobRef{ID: a.job.ID}, Status: a.Status, SubStatus: a.SubStatus}
		if i == 0 {
			s.PrimaryAssignment = r
		} else {
			s.SecondaryAssignments = append(s.SecondaryAssignments, r)
		}
	}
	return s
}

type wAssignment struct {
	Job                wJobRef  `json:"job"`
	Status             string   `json:"status"`
	SubStatus          string   `json:"subStatus,omitempty"`
	Source             string   `json:"source,omitempty"`
	ReasonOfRejection  *idLabel `json:"reasonOfRejection,omitempty"`
	ReasonOfWithdrawal *idLabel `json:"reasonOfWithdrawal,omitempty"`
}

type wCandidate struct {
	ID                   string        `json:"id"`
	FirstName            string        `json:"firstName"`
	LastName             string        `json:"lastName"`
	Email                string        `json:"email,omitempty"`
	PhoneNumber          string        `json:"phoneNumber,omitempty"`
	Location             *location     `json:"location,omitempty"`
	Web                  *web          `json:"web,omitempty"`
	Experience           []experience  `json:"experience"`
	Tags                 []string      `json:"tags"`
	CreatedOn            string        `json:"createdOn"`
	UpdatedOn            string        `json:"updatedOn"`
	PrimaryAssignment    wAssignment   `json:"primaryAssignment"`
	SecondaryAssignments []wAssignment `json:"secondaryAssignments"`
}

func wireCandidate(c *candidate) wCandidate {
	d := wCandidate{ID: c.ID, FirstName: c.First, LastName: c.Last, Email: c.Email, PhoneNumber: c.Phone, Location: c.Location, Web: c.Web,
		Experience: c.Experience, Tags: tagsOf(c), CreatedOn: ts(c.CreatedOn), UpdatedOn: ts(c.UpdatedOn), SecondaryAssignments: []wAssignment{}}
	if d.Experience == nil {
		d.Experience = []experience{}
	}
	for i, a := range c.Apps {
		r := wAssignment{Job: wJobRef{ID: a.job.ID, Title: a.job.Title}, Status: a.Status, SubStatus: a.SubStatus, Source: a.Source, ReasonOfRejection: a.Rejection, ReasonOfWithdrawal: a.Withdrawal}
		if i == 0 {
			d.PrimaryAssignment = r
		} else {
			d.SecondaryAssignments = append(d.SecondaryAssignments, r)
		}
	}
	return d
}

type wApplication struct {
	ApplicationID      string   `json:"applicationId"`
	CandidateID        string   `json:"candidateId"`
	JobID              string   `json:"jobId"`
	Status             string   `json:"status"`
	SubStatus          string   `json:"subStatus,omitempty"`
	Source             string   `json:"source,omitempty"`
	ReasonOfRejection  *idLabel `json:"reasonOfRejection,omitempty"`
	ReasonOfWithdrawal *idLabel `json:"reasonOfWithdrawal,omitempty"`
	CreatedOn          string   `json:"createdOn"`
}

func wireApplication(a *application) wApplication {
	return wApplication{ApplicationID: a.ID, CandidateID: a.cand.ID, JobID: a.job.ID, Status: a.Status, SubStatus: a.SubStatus, Source: a.Source, ReasonOfRejection: a.Rejection, ReasonOfWithdrawal: a.Withdrawal, CreatedOn: ts(a.CreatedOn)}
}

type wAppStatus struct {
	ChangedOn string `json:"changedOn"`
	Status    string `json:"status"`
	SubStatus string `json:"subStatus,omitempty"`
}

type wOffer struct {
	ID         string            `json:"id"`
	Status     string            `json:"status"`
	CreatedOn  string            `json:"createdOn"`
	UpdatedOn  string            `json:"updatedOn"`
	Properties map[string]string `json:"properties"`
}

type wTimeslot struct {
	ID              string        `json:"id"`
	Title           string        `json:"title,omitempty"`
	InterviewType   string        `json:"interviewType"`
	Place           string        `json:"place,omitempty"`
	StartsOn        string        `json:"startsOn"`
	EndsOn          string        `json:"endsOn"`
	CandidateStatus string        `json:"candidateStatus"`
	Interviewers    []interviewer `json:"interviewers"`
}

type wInterview struct {
	ID          string      `json:"id"`
	JobID       string      `json:"jobId"`
	OrganizerID string      `json:"organizerId"`
	Location    string      `json:"location,omitempty"`
	Timezone    string      `json:"timezone"`
	CreatedOn   string      `json:"createdOn"`
	Timeslots   []wTimeslot `json:"timeslots"`
}

func wireInterview(iv *interview) wInterview {
	out := wInterview{ID: iv.ID, JobID: iv.JobID, OrganizerID: iv.OrganizerID, Location: iv.Location, Timezone: iv.Timezone, CreatedOn: ts(iv.CreatedOn), Timeslots: []wTimeslot{}}
	for _, s := range iv.Slots {
		out.Timeslots = append(out.Timeslots, wTimeslot{ID: s.ID, Title: s.Title, InterviewType: s.Type, Place: s.Place, StartsOn: ts(s.Starts), EndsOn: ts(s.Ends), CandidateStatus: s.CandStatus, Interviewers: s.Interviewers})
	}
	return out
}

type wSubStatuses struct {
	InReview  []string `json:"IN_REVIEW"`
	Interview []string `json:"INTERVIEW"`
	Offered   []string `json:"OFFERED"`
}

type wProcess struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Active      bool         `json:"active"`
	SubStatuses wSubStatuses `json:"subStatuses"`
}

type wPostingItem struct {
	ID        string `json:"id"`
	UUID      string `json:"uuid"`
	JobAdID   string `json:"jobAdId"`
	RefNumber string `json:"refNumber"`
	Name      string `json:"name"`
}

type wPostings struct {
	TotalFound int            `json:"totalFound"`
	Limit      int            `json:"limit"`
	Offset     int            `json:"offset"`
	Content    []wPostingItem `json:"content"`
}

type wPostingConfig struct {
	Questions []*question `json:"questions"`
}

package smartrecruiters

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	sr "github.com/atslake/atslake/extract/smartrecruiters"
	"github.com/atslake/atslake/transform"
)

func TestEnums(t *testing.T) {
	type c struct {
		in, want string
		ok       bool
	}
	for name, tc := range map[string]struct {
		e     *transform.Enum
		cases []c
	}{
		"jobStatus": {jobStatus, []c{
			{"CREATED", "DRAFT", true}, {"SOURCING", "OPEN", true}, {"INTERVIEW", "OPEN", true}, {"OFFER", "OPEN", true},
			{"FILLED", "CLOSED", true}, {"CANCELLED", "CLOSED", true}, {"ON_HOLD", "ON_HOLD", true}, {"", "", false},
		}},
		"jobVisibility": {jobVisibility, []c{
			{"PUBLIC", "PUBLIC", true}, {"INTERNAL", "INTERNAL", true}, {"PRIVATE", "UNLISTED", true},
			{"NOT_PUBLISHED", "UNLISTED", true}, {"Secret", "Secret", true},
		}},
		"employmentType": {employmentType, []c{
			{"Full-time", "FULL_TIME", true}, {"FULL_TIME", "FULL_TIME", true}, {"permanent", "FULL_TIME", true},
			{"Part time", "PART_TIME", true}, {"contract", "CONTRACT", true}, {"Contractor", "CONTRACT", true},
			{"TEMPORARY", "CONTRACT", true}, {"Freelance", "CONTRACT", true}, {"Intern", "INTERNSHIP", true},
			{"internship", "INTERNSHIP", true}, {"Seasonal", "SEASONAL", true}, {"Vollzeit", "Vollzeit", true},
		}},
		"salaryPeriod": {salaryPeriod, []c{
			{"YEAR", "YEAR", true}, {"annual", "YEAR", true}, {"Yearly", "YEAR", true}, {"per annum", "YEAR", true}, {"p.a.", "YEAR", true},
			{"Month", "MONTH", true}, {"MONTHLY", "MONTH", true}, {"bi-weekly", "TWO_WEEKS", true}, {"biweekly", "TWO_WEEKS", true},
			{"two weeks", "TWO_WEEKS", true}, {"TWO_WEEKS", "TWO_WEEKS", true}, {"fortnightly", "TWO_WEEKS", true},
			{"WEEK", "WEEK", true}, {"weekly", "WEEK", true}, {"Daily", "DAY", true}, {"per day", "DAY", true},
			{"per hour", "HOUR", true}, {"HOURLY", "HOUR", true}, {"hour", "HOUR", true},
			{"2 weeks", "2 weeks", true}, {"3 months", "3 months", true}, {"Quarterly", "Quarterly", true}, {"", "", false},
		}},
		"postingStatus": {postingStatus, []c{{"PUBLISHED", "ACTIVE", true}, {"NOT_PUBLISHED", "INACTIVE", true}, {"DRAFT", "", false}}},
		"postingVisibility": {postingVisibility, []c{
			{"PUBLIC", "PUBLIC", true}, {"INTERNAL", "INTERNAL", true}, {"PRIVATE", "UNLISTED", true}, {"SECRET", "", false},
		}},
		"outcome": {outcome, []c{
			{"HIRED", "HIRED", true}, {"REJECTED", "DECLINED", true}, {"WITHDRAWN", "DECLINED", true},
			{"TRANSFERRED", "DECLINED", true}, {"NEW", "", false}, {"OFFERED", "", false},
		}},
		"offerStatus": {offerStatus, []c{
			{"CREATED", "DRAFT", true}, {"PENDING_APPROVAL", "DRAFT", true}, {"APPROVED", "APPROVED", true},
			{"NOT_APPROVED", "ABANDONED", true}, {"ABANDONED", "ABANDONED", true}, {"PENDING_ACCEPTANCE", "SENT", true},
			{"ACCEPTED", "ACCEPTED", true}, {"NOT_ACCEPTED", "DECLINED", true}, {"WHATEVER", "", false},
		}},
	} {
		for _, k := range tc.cases {
			if got, ok := tc.e.Map(k.in); got != k.want || ok != k.ok {
				t.Errorf("%s.Map(%q) = %q,%v want %q,%v", name, k.in, got, ok, k.want, k.ok)
			}
		}
	}
}

func TestSectionsAndLocation(t *testing.T) {
	s := sections{CompanyDescription: section{Text: "A"}, Qualifications: section{Text: "C"}, AdditionalInformation: section{Title: "t"}}
	if got := string(appendSections(nil, &s)); got != "A\nC" {
		t.Errorf("appendSections = %q", got)
	}
	if got := string(appendSections([]byte("prefix"), &sections{JobDescription: section{Text: "B"}})); got != "prefixB" {
		t.Errorf("appendSections after prefix = %q", got)
	}
	for _, c := range []struct {
		in   location
		want transform.Location
	}{
		{location{City: "Paris", Region: "IDF", RegionCode: "11", CountryCode: "fr", Country: "France", PostalCode: "75001", Address: "1 rue"},
			transform.Location{City: "Paris", State: "IDF", Country: "FR", ZipCode: "75001", Street1: "1 rue"}},
		{location{RegionCode: "CA", Country: "United States"}, transform.Location{State: "CA", Country: "US"}},
		{location{Country: "Narnia", CountryCode: "NAR"}, transform.Location{Country: "Narnia"}},
		{location{}, transform.Location{}},
	} {
		if got := toLocation(&c.in); got != c.want {
			t.Errorf("toLocation(%+v) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestStagesOrder(t *testing.T) {
	s := newStages()
	s.addProcess(process{id: "a", active: false, subs: map[string][]string{"INTERVIEW": {"Onsite", "Panel"}, "IN_REVIEW": {"Screen"}}})
	s.addProcess(process{id: "b", active: true, subs: map[string][]string{"INTERVIEW": {"Panel", "Chat", ""}, "ZZZ": {"z"}}})
	s.addProcess(process{id: "c", active: true, subs: map[string][]string{"OFFERED": {"Talk"}}})
	// job lists can be taken before applications are seen, and do not change after.
	before := slices.Clone(s.jobList("b"))
	s.noteApplication("INTERVIEW", "Accent É")
	s.noteApplication("INTERVIEW", "Beta")
	s.noteApplication("INTERVIEW", "Panel")
	s.noteApplication("AAA", "")
	s.noteApplication("", "ignored")
	var got []string
	for _, k := range s.global() {
		got = append(got, string(appendStageRemoteID(nil, k.status, k.label)))
	}
	want := []string{"LEAD", "NEW", "IN_REVIEW", "IN_REVIEW/Screen", "INTERVIEW", "INTERVIEW/Onsite", "INTERVIEW/Panel", "INTERVIEW/Chat",
		"INTERVIEW/Accent É", "INTERVIEW/Beta", "OFFERED", "OFFERED/Talk", "HIRED", "REJECTED", "WITHDRAWN", "TRANSFERRED", "AAA", "ZZZ", "ZZZ/z"}
	if !slices.Equal(got, want) {
		t.Errorf("global:\n got %q\nwant %q", got, want)
	}
	wantB := []string{"LEAD", "NEW", "IN_REVIEW", "INTERVIEW", "INTERVIEW/Panel", "INTERVIEW/Chat", "OFFERED", "HIRED", "REJECTED", "WITHDRAWN", "TRANSFERRED", "ZZZ/z"}
	if !slices.Equal(before, wantB) || !slices.Equal(s.jobList("b"), wantB) {
		t.Errorf("jobList(b) = %q then %q, want %q", before, s.jobList("b"), wantB)
	}
	if got := s.jobList(""); !slices.Contains(got, "INTERVIEW/Chat") || slices.Contains(got, "OFFERED/Talk") {
		t.Errorf("jobList without process id should be process b's (first active): %q", got)
	}
	if got := s.jobList("gone"); len(got) != len(statusOrder) {
		t.Errorf("jobList of an unknown process = %q, want the statuses only", got)
	}
	// every job stage is a global stage, in the same relative order
	global := map[string]int{}
	for i, w := range want {
		global[w] = i
	}
	last := -1
	for _, st := range s.jobList("a") {
		g, ok := global[st]
		if !ok || g < last {
			t.Errorf("job stage %s not in global order", st)
		}
		last = g
	}
}

// TestBodyTagsMatchPaths keeps the body struct tags equal to the extractor's path constants.
func TestBodyTagsMatchPaths(t *testing.T) {
	paths := []string{sr.PathUsers, sr.PathSystemRoles, sr.PathJobs, sr.PathJob, sr.PathJobHiringTeam, sr.PathJobAds,
		sr.PathJobStatusHistory, sr.PathCandidates, sr.PathCandidate, sr.PathApplication, sr.PathApplicationHistory,
		sr.PathScreeningAnswers, sr.PathApplicationProperties, sr.PathOffers, sr.PathInterviews, sr.PathHiringProcesses,
		sr.PathRejectionReasons, sr.PathPostings, sr.PathPostingConfiguration}
	var tags []string
	for _, v := range []any{systemRoleDoc{}, userDoc{}, hiringProcessDoc{}, rejectionReasonDoc{}, jobDoc{}, postingDoc{}, candidateDoc{}, applicationDoc{}} {
		rt := reflect.TypeOf(v)
		for i := 0; i < rt.NumField(); i++ {
			tag := rt.Field(i).Tag.Get("json")
			if strings.HasPrefix(tag, "_") {
				continue
			}
			if !slices.Contains(paths, tag) {
				t.Errorf("%s.%s: tag %q is no extractor path", rt.Name(), rt.Field(i).Name, tag)
			}
			tags = append(tags, tag)
		}
	}
	for _, p := range paths {
		if !slices.Contains(tags, p) {
			t.Errorf("path %s is read by no body struct", p)
		}
	}
}

package phenom

import (
	"errors"
	"slices"
	"testing"

	"github.com/atslake/atslake/transform"
)

// TestUserKeysMustBeStrings: an e-mail that keys a user must be a JSON
// string (or null/missing). A job whose hiring manager or recruiter e-mail is
// a number is skipped as malformed instead of inventing a user "12345".
func TestUserKeysMustBeStrings(t *testing.T) {
	tests := []struct {
		name  string
		job   string
		users []string // user remote ids, nil when the job is skipped
	}{
		{"strings", `{"jobId":"J1","hiringManagerEmail":"HM@x.com","multiRecruiter":[{"recruiterEmail":"r@x.com"}]}`, []string{"hm@x.com", "r@x.com"}},
		{"null and missing", `{"jobId":"J1","hiringManagerEmail":null,"multiRecruiter":[{"recruiterEmail":null},{},{"recruiterName":"R"}]}`, []string{}},
		{"non-object entries left out", `{"jobId":"J1","multiRecruiter":["r@x.com",7,null,{"recruiterEmail":"r@x.com"}]}`, []string{"r@x.com"}},
		{"number as hiring manager", `{"jobId":"J1","hiringManagerEmail":12345,"multiRecruiter":[{"recruiterEmail":"r@x.com"}]}`, nil},
		{"boolean as recruiter", `{"jobId":"J1","hiringManagerEmail":"hm@x.com","multiRecruiter":[{"recruiterEmail":true}]}`, nil},
		{"object as recruiter", `{"jobId":"J1","multiRecruiter":[{"recruiterEmail":{"a":1}}]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, skip := mapDocs(t, jobDocs(t, tt.job), 10)
			users := out.remoteIDs(tableUsers)
			if tt.users == nil {
				if len(skip.list) != 1 || skip.list[0].table != tableJobs || skip.list[0].remoteID != "J1" || !errors.Is(skip.list[0].err, transform.ErrMalformed) {
					t.Fatalf("skips %+v, want the job skipped as malformed", skip.list)
				}
				if len(users) != 0 || len(out.remoteIDs(tableJobs)) != 0 {
					t.Errorf("users %v, jobs %v from a skipped job", users, out.remoteIDs(tableJobs))
				}
				return
			}
			if len(skip.list) != 0 {
				t.Fatalf("skips %+v", skip.list)
			}
			slices.Sort(users)
			if !slices.Equal(users, tt.users) && !(len(users) == 0 && len(tt.users) == 0) {
				t.Errorf("users %v, want %v", users, tt.users)
			}
		})
	}
}

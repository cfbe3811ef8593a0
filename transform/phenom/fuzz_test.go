package phenom

import (
	"testing"

	"github.com/atslake/atslake/extract"
	phenomx "github.com/atslake/atslake/extract/phenom"
)

// FuzzMap feeds arbitrary job and application bodies through the mapping:
// it must never panic or leak, and every record it emits must have its
// table's schema (checked by the collector).
func FuzzMap(f *testing.F) {
	f.Add([]byte(`{"/jobs-api/v1/jobs":{"jobId":"J1","hiringManagerEmail":"A@x.com","multiRecruiter":[{"recruiterEmail":"a@X.com "},{"recruiterEmail":""}],"postedDate":"2024-05-17T22:00:00.000+0000","country":"Germany","reqId":{"a":[1]}}}`),
		[]byte(`{"/apply/v2/applications":{"applicationId":"A1","jobId":"JOBID","hiringStatus":"Hired","updatedDate":"2024-06-01T10:00:00.000+0000","candidateData":{"candidateId":"C1","contactData":{"email":"x@y.z","countryPhoneCode":"1","phoneNumber":"5 5"}}}}`))
	f.Add([]byte(`{"/jobs-api/v1/jobs":null}`), []byte(`{"/apply/v2/applications":{"candidateData":null}}`))
	f.Add([]byte(`[]`), []byte(`{"/apply/v2/applications":{"applicationId":1,"candidateId":2.5,"hiringStatus":true}}`))
	f.Fuzz(func(t *testing.T, jobBody, appBody []byte) {
		docs := []doc{
			{phenomx.KindJob, "J1", jobBody},
			{phenomx.KindJob, "J1", jobBody},
			{extract.KindListComplete, phenomx.ListJobs, []byte("{}")},
			{phenomx.KindApplication, "A1", appBody},
			{phenomx.KindApplication, "A2", appBody},
			{extract.KindListComplete, phenomx.ListApplications, []byte("{}")},
		}
		out, skip := mapDocs(t, docs, 2)
		if len(skip.list) == 0 && len(out.rows[tableApplications]) != 2 {
			t.Fatalf("%d applications without a skip", len(out.rows[tableApplications]))
		}
	})
}

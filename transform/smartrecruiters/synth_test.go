package smartrecruiters

import (
	"encoding/json"
	"fmt"

	"github.com/atslake/atslake/extract"
	sr "github.com/atslake/atslake/extract/smartrecruiters"
)

// synthDocs builds a run's documents with n candidates of realistic shape
// (about 1.3 applications each, history, answers, properties, some offers
// and interviews) over a few processes, jobs and postings.
func synthDocs(n int) []extract.Doc {
	var docs []extract.Doc
	add := func(kind, key string, body map[string]any) {
		b, err := json.Marshal(body)
		if err != nil {
			panic(err)
		}
		docs = append(docs, extract.Doc{Kind: kind, Key: key, Body: b})
	}
	add(sr.KindHiringProcess, "hp", map[string]any{sr.PathHiringProcesses: map[string]any{"id": "hp", "name": "Default", "active": true,
		"subStatuses": map[string]any{"IN_REVIEW": []string{"Screen", "Assessment"}, "INTERVIEW": []string{"Onsite", "Panel"}, "OFFERED": []string{"Talk"}}}})
	jobs := n/40 + 1
	for j := 0; j < jobs; j++ {
		id := fmt.Sprintf("job-%04d", j)
		add(sr.KindJob, id, map[string]any{
			sr.PathJobs:          map[string]any{"id": id, "title": "Engineer", "status": "SOURCING", "postingStatus": "PUBLIC"},
			sr.PathJob:           map[string]any{"id": id, "title": "Engineer", "status": "SOURCING", "typeOfEmployment": map[string]string{"label": "Full-time"}},
			sr.PathJobHiringTeam: map[string]any{"content": []map[string]string{{"id": "u1", "role": "RECRUITER"}}},
			sr.PathJobAds:        []map[string]any{{"id": "ad-" + id, "default": true, "postingStatus": "PUBLISHED"}},
		})
	}
	for j := 0; j < jobs; j++ {
		id := fmt.Sprintf("job-%04d", j)
		add(sr.KindPosting, "p-"+id, map[string]any{
			sr.PathPostings: map[string]any{"id": "p-" + id, "jobAdId": "ad-" + id},
			sr.PathPostingConfiguration: map[string]any{"questions": []map[string]any{
				{"id": "q-lang", "label": "Languages", "fields": []map[string]any{{"type": "MULTI_SELECT", "values": []map[string]string{{"id": "de", "label": "German"}}}}},
				{"id": "q-text", "label": "GitHub", "fields": []map[string]any{{"type": "INPUT_TEXT", "required": true}}},
			}},
		})
	}
	tags := []string{"Java", "go", "Senior", "remote", "Urgent"}
	for c := 0; c < n; c++ {
		id := fmt.Sprintf("3f2a9c1e-5b7d-4e8f-9a0b-%012d", c)
		napps := 1 + c%3/2 // 1,1,2,...
		var apps []string
		for k := 0; k < napps; k++ {
			apps = append(apps, fmt.Sprintf("job-%04d", (c+k)%jobs))
		}
		summary := map[string]any{"id": id, "firstName": "Ann", "lastName": fmt.Sprint("Lee ", c), "email": fmt.Sprintf("ann.%d@example.com", c),
			"createdOn": "2024-02-01T08:54:57.000Z", "updatedOn": "2024-02-03T08:54:57.000Z", "tags": []string{tags[c%5], tags[(c+2)%5]},
			"primaryAssignment": map[string]any{"job": map[string]string{"id": apps[0]}, "status": "IN_REVIEW"}}
		details := map[string]any{"id": id, "firstName": "Ann", "lastName": fmt.Sprint("Lee ", c), "email": fmt.Sprintf("ann.%d@example.com", c),
			"phoneNumber": "+49 30 1234567", "location": map[string]any{"city": "Berlin", "countryCode": "de", "region": "Berlin"},
			"web":        map[string]string{"linkedin": "https://linkedin.com/in/ann", "skype": "ann"},
			"experience": []map[string]any{{"title": "Engineer", "company": "Acme", "current": true}},
			"createdOn":  "2024-02-01T08:54:57.000Z", "updatedOn": "2024-02-03T08:54:57.000Z",
			"primaryAssignment": map[string]any{"job": map[string]string{"id": apps[0]}, "status": "IN_REVIEW", "source": "LinkedIn"}}
		add(sr.KindCandidate, id, map[string]any{sr.PathCandidates: summary, sr.PathCandidate: details})
		for k, job := range apps {
			body := map[string]any{"_candidateId": id, "_jobId": job,
				sr.PathApplication: map[string]any{"applicationId": fmt.Sprint("app-", c, "-", k), "candidateId": id, "jobId": job, "status": "INTERVIEW", "subStatus": "Onsite"},
				sr.PathApplicationHistory: map[string]any{"content": []map[string]string{
					{"changedOn": "2024-02-01T08:54:57.000Z", "status": "NEW"},
					{"changedOn": "2024-02-02T08:54:57.000Z", "status": "IN_REVIEW", "subStatus": "Screen"},
					{"changedOn": "2024-02-03T08:54:57.000Z", "status": "INTERVIEW", "subStatus": "Onsite"},
				}},
				sr.PathScreeningAnswers: map[string]any{"content": []map[string]any{
					{"id": "q-lang", "type": "SELECT", "label": "Languages", "records": []map[string]any{{"fields": []map[string]any{{"values": []map[string]string{{"id": "de", "label": "German"}}}}}}},
					{"id": "q-text", "type": "TEXT", "label": "GitHub", "records": []map[string]any{{"fields": []map[string]any{{"values": []map[string]string{{"label": "https://github.com/ann"}}}}}}},
				}},
				sr.PathApplicationProperties: map[string]any{"content": []map[string]any{{"id": "p1", "label": "Score", "value": map[string]string{"id": "y"}, "valueLabel": "Yes"}}},
				sr.PathOffers:                map[string]any{"content": []any{}},
				sr.PathInterviews:            map[string]any{"content": []any{}},
			}
			if c%20 == 0 {
				body[sr.PathOffers] = map[string]any{"content": []map[string]any{{"id": fmt.Sprint("offer-", c, "-", k), "status": "PENDING_ACCEPTANCE", "properties": map[string]string{"salary": "60000"}}}}
			}
			if c%4 == 0 {
				body[sr.PathInterviews] = map[string]any{"content": []map[string]any{{"id": fmt.Sprint("iv-", c, "-", k), "location": "HQ",
					"timeslots": []map[string]any{{"id": "ts-1", "title": "Tech", "startsOn": "2024-02-05T09:00:00.000Z", "endsOn": "2024-02-05T10:00:00.000Z", "candidateStatus": "accepted",
						"interviewers": []map[string]string{{"id": "u1"}, {"id": "u2"}}}}}}}
			}
			add(sr.KindApplication, id+":"+job, body)
		}
	}
	return docs
}

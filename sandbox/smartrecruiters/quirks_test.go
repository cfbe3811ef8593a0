package smartrecruiters

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func validEmail(e string) bool {
	e = strings.TrimSpace(e)
	at := strings.Index(e, "@")
	return strings.Count(e, "@") == 1 && !strings.ContainsAny(e, " \t") && strings.Contains(e[at+1:], ".")
}

// Every quirk the sandbox contract lists is present at every scale, and
// survives epochs. Checked on what the API serves.
func TestQuirks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ scale, epoch int }{{10, 0}, {200, 0}, {10, 6}, {200, 2}} {
		t.Run(fmt.Sprintf("scale%d-epoch%d", tc.scale, tc.epoch), func(t *testing.T) {
			s := newServer(t, cfgOf(int64(tc.scale+tc.epoch), tc.scale, tc.epoch, newClock()))
			checkQuirks(t, doCrawl(t, s))
		})
	}
}

func checkQuirks(t *testing.T, cr *crawl) {
	has := map[string]bool{}
	mark := func(q string, ok bool) {
		if ok {
			has[q] = true
		}
	}
	for _, u := range cr.users {
		e := u.Email
		tr := strings.TrimSpace(e)
		mark("user e-mail without @", !strings.Contains(e, "@"))
		mark("user e-mail with two @", strings.Count(e, "@") == 2)
		mark("user e-mail with a blank inside", strings.Contains(tr, " "))
		mark("user e-mail without dot in domain", strings.Count(e, "@") == 1 && !strings.Contains(e[strings.Index(e, "@"):], "."))
		mark("valid user e-mail with surrounding blanks", e != tr && validEmail(tr))
	}
	roleIDs := map[string]bool{}
	for _, r := range cr.roles {
		roleIDs[r.ID] = true
	}
	for _, r := range []string{"ADMINISTRATOR", "EXTENDED", "STANDARD", "RESTRICTED", "EMPLOYEE"} {
		mark("system role "+r, roleIDs[r])
	}
	mark("custom system role", len(roleIDs) > 5)

	// Stages.
	inActive, inInactive := map[string]bool{}, map[string]bool{}
	labelProcs := map[string]int{}
	for _, p := range cr.processes {
		mark("inactive hiring process", !p.Active)
		for st, labels := range p.SubStatuses {
			for _, l := range labels {
				k := st + "/" + l
				labelProcs[k]++
				if p.Active {
					inActive[k] = true
				} else {
					inInactive[k] = true
				}
			}
		}
	}
	for _, n := range labelProcs {
		mark("sub-status label in several processes", n > 1)
	}
	for _, a := range cr.apps {
		cur := a.c3.Status + "/" + a.c3.SubStatus
		if a.c3.SubStatus != "" {
			mark("current sub-status only in an inactive process", inInactive[cur] && !inActive[cur])
			mark("current sub-status in no process", !inInactive[cur] && !inActive[cur])
		}
		for _, h := range a.history {
			k := h.Status + "/" + h.SubStatus
			mark("deleted sub-status in history only", h.SubStatus != "" && k != cur && !inInactive[k] && !inActive[k])
		}
		mark("offers", len(a.offers) > 0)
		mark("several offers on one application", len(a.offers) > 1)
		mark("application without status history", len(a.history) == 0)
		mark("application with status history", len(a.history) > 0)
		seen := map[string]bool{}
		for _, h := range a.history {
			mark("history entries sharing a changedOn", seen[h.ChangedOn])
			seen[h.ChangedOn] = true
		}
		mark("rejected application", a.c3.Status == "REJECTED")
		for _, iv := range a.ivs {
			for _, s := range iv.Timeslots {
				mark("declined timeslot", s.CandidateStatus == "declined")
				mark("timeslot without title", s.Title == "")
				mark("timeslot without place", s.Place == "")
			}
		}
	}
	// Screening answers.
	questionIDs := map[string]bool{}
	for _, qs := range cr.questions {
		for _, q := range qs {
			questionIDs[q.ID] = true
			for _, f := range q.Fields {
				mark("P2 field type "+f.Type, true)
				mark("DIVERSITY question", f.ComplianceType == "DIVERSITY")
				mark("required field", f.Required)
			}
			mark("repeatable question", q.Repeatable)
			mark("question with several fields", len(q.Fields) > 1)
		}
	}
	answers, known := 0, 0
	for _, a := range cr.apps {
		for _, ans := range a.answers {
			answers++
			if questionIDs[ans.ID] {
				known++
			}
			typ := strings.ToUpper(ans.Type)
			mark("answer type in another case", typ != ans.Type)
			values := 0
			for _, r := range ans.Records {
				for _, f := range r.Fields {
					values += len(f.Values)
				}
			}
			switch typ {
			case "RADIO", "TEXT", "TEXTAREA", "CHECKBOX", "ACKNOWLEDGEMENT":
				mark("answer "+typ, values > 0)
			case "SELECT":
				mark("answer SELECT with one value", values == 1)
				mark("answer SELECT with several values", values > 1)
			default:
				mark("answer of another type", true)
			}
		}
	}
	mark("answers mostly to P2 questions", answers > 0 && known*10 >= answers*7)
	// Candidates.
	tagForms := map[string]map[string]bool{}
	for _, c := range cr.summaries {
		mark("candidate with several applications", len(c.SecondaryAssignments) > 0)
		for _, tg := range c.Tags {
			k := strings.ToLower(strings.TrimSpace(tg))
			if tagForms[k] == nil {
				tagForms[k] = map[string]bool{}
			}
			tagForms[k][tg] = true
		}
	}
	for _, forms := range tagForms {
		mark("tag differing only in case or blanks", len(forms) > 1)
	}
	// Jobs.
	adDefault := map[string]bool{}
	for _, j := range cr.jobs {
		defaults := 0
		for _, a := range cr.ads[j.ID] {
			if a.Default {
				defaults++
			}
			adDefault[a.ID] = a.Default
		}
		if defaults != 1 {
			t.Errorf("job %s has %d default ads", j.ID, defaults)
		}
		mark("job with hiringProcessId", j.HiringProcessID != "")
		mark("job without hiringProcessId", j.HiringProcessID == "")
		roles := map[string]int{}
		for _, m := range cr.teams[j.ID] {
			mark("team role "+m.Role, slices.Contains(standardTeamRoles, m.Role))
			mark("custom team role", !slices.Contains(standardTeamRoles, m.Role))
			roles[m.ID]++
		}
		for _, n := range roles {
			mark("user with two roles on one job", n > 1)
		}
	}
	postingsPerAd := map[string]int{}
	jobOfAd := map[string]string{}
	for j, ads := range cr.ads {
		for _, a := range ads {
			jobOfAd[a.ID] = j
		}
	}
	perJob := map[string][]string{}
	for _, p := range cr.postings {
		postingsPerAd[p.JobAdID]++
		perJob[jobOfAd[p.JobAdID]] = append(perJob[jobOfAd[p.JobAdID]], p.JobAdID)
	}
	for _, ads := range perJob {
		if len(ads) > 1 {
			nDef := 0
			for _, a := range ads {
				if adDefault[a] {
					nDef++
				}
			}
			mark("job with two postings, one of the default ad", nDef == 1)
			if nDef != 1 {
				t.Errorf("job with postings of ads %v has no default-ad posting", ads)
			}
		}
		mark("job whose only posting is not the default ad's", len(ads) == 1 && !adDefault[ads[0]])
	}

	want := []string{
		"user e-mail without @", "user e-mail with two @", "user e-mail with a blank inside",
		"user e-mail without dot in domain", "valid user e-mail with surrounding blanks",
		"system role ADMINISTRATOR", "system role EXTENDED", "system role STANDARD", "system role RESTRICTED",
		"system role EMPLOYEE", "custom system role",
		"inactive hiring process", "sub-status label in several processes",
		"current sub-status only in an inactive process", "current sub-status in no process", "deleted sub-status in history only",
		"offers", "several offers on one application", "application without status history", "application with status history",
		"history entries sharing a changedOn", "rejected application", "declined timeslot", "timeslot without title", "timeslot without place",
		"P2 field type INPUT_TEXT", "P2 field type TEXTAREA", "P2 field type SINGLE_SELECT", "P2 field type MULTI_SELECT",
		"P2 field type RADIO", "P2 field type CHECKBOX", "P2 field type INFORMATION", "DIVERSITY question", "required field",
		"answer RADIO", "answer TEXT", "answer TEXTAREA", "answer CHECKBOX", "answer ACKNOWLEDGEMENT",
		"answer SELECT with one value", "answer SELECT with several values", "answer of another type", "answer type in another case",
		"answers mostly to P2 questions",
		"candidate with several applications", "tag differing only in case or blanks",
		"job with hiringProcessId", "job without hiringProcessId",
		"team role HIRING_MANAGER", "team role RECRUITER", "team role COORDINATOR", "team role INTERVIEW_TEAM", "team role EXECUTIVE",
		"custom team role", "user with two roles on one job",
		"job with two postings, one of the default ad", "job whose only posting is not the default ad's",
	}
	for _, q := range want {
		if !has[q] {
			t.Errorf("quirk missing: %s", q)
		}
	}
}

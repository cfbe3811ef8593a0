package smartrecruiters

import (
	"slices"
	"strconv"
)

// Truth is what a correct full sync at the current epoch leaves live in the
// lake: for every unified table SmartRecruiters fills, the remote ids (as
// extract/smartrecruiters/WIRE.md defines them), sorted by byte order.
type Truth struct {
	Epoch  int                 `json:"epoch"`
	Tables map[string][]string `json:"tables"`
}

// Unified tables the truth covers (every table of the unified model).
var truthTables = []string{
	"application_stages", "application_status_history", "applications", "candidate_tags", "candidates",
	"interviewing_team_members", "interviews", "job_hiring_team_members", "job_postings",
	"job_screening_questions", "job_stages", "job_user_role_assignments", "jobs", "offers",
	"rejection_reasons", "roles", "screening_questions", "tags", "user_roles", "users",
}

// Truth returns the truth of the current epoch (the same as GET /_sandbox/truth).
func (s *Server) Truth() Truth {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.w.truth()
}

// idSet collects ids; sorted sorts them and drops repeats.
type idSet struct{ ids []string }

func (s *idSet) add(id string) { s.ids = append(s.ids, id) }

func (s *idSet) sorted() []string {
	slices.Sort(s.ids)
	return slices.Compact(s.ids)
}

// truth derives every table's remote ids from the data, following the
// mapping of the SmartRecruiters spec (independently of the transform code).
func (w *world) truth() Truth {
	t := map[string]*idSet{}
	for _, name := range truthTables {
		t[name] = &idSet{}
	}
	// Users, system roles, user roles.
	for _, r := range w.roles {
		t["roles"].add("SYSTEM:" + r.ID)
	}
	for _, u := range w.users {
		t["users"].add(u.ID)
		t["user_roles"].add(u.ID + ":SYSTEM:" + u.Role)
	}
	for _, r := range w.reasons {
		t["rejection_reasons"].add(r.ID)
	}
	// Stages: the nine statuses, every process's sub-statuses, and the
	// sub-statuses seen only on applications.
	for _, st := range appStatuses {
		t["application_stages"].add(st)
	}
	for _, p := range w.processes {
		for k, key := range subStatusKeys {
			for _, l := range p.Sub[k] {
				t["application_stages"].add(key + "/" + l)
			}
		}
	}
	// Jobs and what hangs off them.
	for _, j := range w.jobs {
		t["jobs"].add(j.ID)
		for _, a := range j.Ads {
			t["job_postings"].add(a.ID)
		}
		for _, e := range j.Team {
			t["roles"].add("JOB:" + e.Role)
			t["job_hiring_team_members"].add(j.ID + ":" + e.UserID)
			t["job_user_role_assignments"].add(j.ID + ":" + e.UserID + ":JOB:" + e.Role)
		}
		p := w.processOf(j)
		for _, st := range appStatuses {
			t["job_stages"].add(j.ID + ":" + st)
		}
		for k, key := range subStatusKeys {
			for _, l := range p.Sub[k] {
				t["job_stages"].add(j.ID + ":" + key + "/" + l)
			}
		}
		if post := postingOf(j); post != nil {
			for _, q := range post.Questions {
				t["job_screening_questions"].add(j.ID + ":" + q.ID)
			}
		}
	}
	for _, p := range w.postings {
		for _, q := range p.Questions {
			t["screening_questions"].add(q.ID)
		}
	}
	// Candidates and their applications.
	for _, c := range w.cands {
		t["candidates"].add(c.ID)
		for _, tag := range c.Tags {
			t["tags"].add(tagKey(tag))
			t["candidate_tags"].add(c.ID + ":" + tagKey(tag))
		}
		for _, a := range c.Apps {
			app := c.ID + ":" + a.job.ID
			t["applications"].add(app)
			if a.SubStatus != "" {
				t["application_stages"].add(a.Status + "/" + a.SubStatus)
			}
			seen := map[string]int{}
			for _, h := range a.History {
				if h.SubStatus != "" {
					t["application_stages"].add(h.Status + "/" + h.SubStatus)
				}
				id := app + ":" + ts(h.ChangedOn)
				seen[id]++
				if n := seen[id]; n >= 2 {
					id += "#" + strconv.Itoa(n)
				}
				t["application_status_history"].add(id)
			}
			for _, o := range a.Offers {
				t["offers"].add(o.ID)
			}
			for _, iv := range a.Interviews {
				for _, s := range iv.Slots {
					rid := iv.ID + "/" + s.ID
					t["interviews"].add(rid)
					for _, x := range s.Interviewers {
						t["interviewing_team_members"].add(rid + ":" + x.ID)
					}
				}
			}
		}
	}
	out := Truth{Epoch: w.epoch, Tables: make(map[string][]string, len(t))}
	for name, set := range t {
		out.Tables[name] = set.sorted()
	}
	return out
}

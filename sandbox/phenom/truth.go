package phenom

import (
	"encoding/json"
	"slices"
	"strings"
)

// Truth is the reply of GET /_sandbox/truth: for every unified table the
// Phenom connector fills, the remote ids a successful full sync (site type
// external) at this epoch leaves live, sorted by byte order (empty lists,
// never null). Remote ids as extract/phenom/WIRE.md gives them: jobs jobId;
// users the e-mail trimmed and lower-cased; roles HIRING_MANAGER and
// RECRUITER (always both); job_hiring_team_members "<jobId>:<user>";
// job_user_role_assignments "<jobId>:<user>:<role>"; candidates
// candidateData.candidateId, else the application's candidateId;
// applications applicationId (every application, whatever its jobId).
type Truth struct {
	Epoch  int                 `json:"epoch"`
	Tables map[string][]string `json:"tables"`
}

// computeTruth applies the mapping of shared/spec/phenom.md to the items
// exactly as served: jobs is the listing under the configured site type
// (locale duplicates included, in list order), apps the applications listing.
// It reads only the wire items, never the generator's model.
func computeTruth(epoch int, jobs []wireJob, apps []wireApp) Truth {
	sets := map[string]map[string]bool{}
	for _, t := range []string{tableJobs, tableUsers, tableRoles, tableMembers, tableAssignments, tableCandidates, tableApps} {
		sets[t] = map[string]bool{}
	}
	// Locale de-duplication: one item per jobId, the one in the default
	// locale, else the first seen.
	kept := map[string]int{}
	var order []string
	for i, j := range jobs {
		k, seen := kept[j.JobID]
		switch {
		case !seen:
			kept[j.JobID] = i
			order = append(order, j.JobID)
		case jobs[k].Locale != localeDefault && j.Locale == localeDefault:
			kept[j.JobID] = i
		}
	}
	// The two roles always exist.
	sets[tableRoles][roleHiringManager] = true
	sets[tableRoles][roleRecruiter] = true
	for _, id := range order {
		j := jobs[kept[id]]
		sets[tableJobs][id] = true
		link := func(email, role string) {
			u := strings.ToLower(strings.TrimSpace(email))
			if u == "" {
				return
			}
			sets[tableUsers][u] = true
			sets[tableMembers][id+":"+u] = true
			sets[tableAssignments][id+":"+u+":"+role] = true
		}
		link(j.HiringManagerEmail, roleHiringManager)
		for _, r := range recruiters(j.MultiRecruiter) {
			link(r, roleRecruiter)
		}
	}
	for _, a := range apps {
		sets[tableApps][a.ApplicationID] = true
		c := a.CandidateData.CandidateID
		if c == "" {
			c = a.CandidateID
		}
		sets[tableCandidates][c] = true
	}
	t := Truth{Epoch: epoch, Tables: map[string][]string{}}
	for name, set := range sets {
		ids := make([]string, 0, len(set))
		for id := range set {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		t.Tables[name] = ids
	}
	return t
}

// recruiters returns the recruiterEmail values of a raw multiRecruiter
// property (missing, null, [] and entries without a string e-mail give none).
func recruiters(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var entries []map[string]any
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if s, ok := e["recruiterEmail"].(string); ok {
			out = append(out, s)
		}
	}
	return out
}

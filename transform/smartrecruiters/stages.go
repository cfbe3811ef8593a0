package smartrecruiters

import (
	"slices"
)

// Application stages are one company-wide list (spec, application_stages):
// for each status in funnel order (statusOrder, then any other status met, in
// byte order), the status itself, then its sub-statuses from every hiring
// process in process and list order (a label repeated is one row at its first
// place), then its sub-statuses seen only on applications, in byte order.
//
// A job's stages (job_stages) are the 9 statuses plus its process's
// sub-statuses, in that global order. Sub-statuses seen only on applications
// are never in a job's list and only ever insert rows after a status's
// process sub-statuses, so a job's list and its 0-based indexes are final as
// soon as the hiring processes are known (they are emitted before jobs): job
// stages are emitted with their job, keeping no per-job state.

type process struct {
	id     string
	active bool
	subs   map[string][]string
}

type stageKey struct{ status, label string }

type stages struct {
	processes []process
	// appStages holds every (status, sub-status) seen on applications, keyed by stage remote id.
	appStages map[string]stageKey
	// procOrder caches the process-defined part of the global order (nil: recompute).
	procOrder []stageKey
	jobLists  map[string][]string // process id -> job stage remote ids
	key       []byte              // scratch
}

func newStages() *stages {
	return &stages{appStages: make(map[string]stageKey), jobLists: make(map[string][]string)}
}

func (s *stages) addProcess(p process) {
	s.processes = append(s.processes, p)
	s.procOrder = nil
	clear(s.jobLists)
}

// noteApplication records a stage an application is or was in.
func (s *stages) noteApplication(status, sub string) {
	if status == "" {
		return
	}
	s.key = appendStageRemoteID(s.key[:0], status, sub)
	if _, ok := s.appStages[string(s.key)]; !ok {
		s.appStages[string(s.key)] = stageKey{status, sub}
	}
}

// statuses returns the statuses in global order: the funnel order, then any
// other status named by a process (and, withApps, by an application), byte order.
func (s *stages) statuses(withApps bool) []string {
	out := slices.Clone(statusOrder)
	var extra []string
	add := func(st string) {
		if st != "" && !isKnownStatus(st) && !slices.Contains(extra, st) {
			extra = append(extra, st)
		}
	}
	for _, p := range s.processes {
		for st := range p.subs {
			add(st)
		}
	}
	if withApps {
		for _, k := range s.appStages {
			add(k.status)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// processSubs returns the sub-statuses of status from every process, in
// process and list order, each label once.
func (s *stages) processSubs(status string) []string {
	var out []string
	for _, p := range s.processes {
		for _, label := range p.subs[status] {
			if label != "" && !slices.Contains(out, label) {
				out = append(out, label)
			}
		}
	}
	return out
}

// processOrder returns the process-defined part of the global order: each
// status (as stageKey{status, ""}) followed by its process sub-statuses.
func (s *stages) processOrder() []stageKey {
	if s.procOrder != nil {
		return s.procOrder
	}
	var out []stageKey
	for _, st := range s.statuses(false) {
		out = append(out, stageKey{st, ""})
		for _, label := range s.processSubs(st) {
			out = append(out, stageKey{st, label})
		}
	}
	s.procOrder = out
	return out
}

// global returns the full list of application stages in order.
func (s *stages) global() []stageKey {
	var out []stageKey
	var appOnly []string
	for _, st := range s.statuses(true) {
		out = append(out, stageKey{st, ""})
		subs := s.processSubs(st)
		for _, label := range subs {
			out = append(out, stageKey{st, label})
		}
		appOnly = appOnly[:0]
		for _, k := range s.appStages {
			if k.status == st && k.label != "" && !slices.Contains(subs, k.label) {
				appOnly = append(appOnly, k.label)
			}
		}
		slices.Sort(appOnly)
		for _, label := range appOnly {
			out = append(out, stageKey{st, label})
		}
	}
	return out
}

// jobList returns the stage remote ids of a job whose J2 names hiringProcessID
// ("" when it names none): the known statuses plus the sub-statuses of its
// process (hiringProcessId, else the first active process; an id no process
// has contributes none), in global order.
func (s *stages) jobList(hiringProcessID string) []string {
	var p *process
	if hiringProcessID != "" {
		for i := range s.processes {
			if s.processes[i].id == hiringProcessID {
				p = &s.processes[i]
				break
			}
		}
	} else {
		for i := range s.processes {
			if s.processes[i].active {
				p = &s.processes[i]
				break
			}
		}
	}
	cacheKey := ""
	if p != nil {
		cacheKey = p.id
	}
	if l, ok := s.jobLists[cacheKey]; ok {
		return l
	}
	var out []string
	for _, k := range s.processOrder() {
		switch {
		case k.label == "" && isKnownStatus(k.status):
			out = append(out, k.status)
		case k.label != "" && p != nil && slices.Contains(p.subs[k.status], k.label):
			out = append(out, k.status+"/"+k.label)
		}
	}
	s.jobLists[cacheKey] = out
	return out
}

package phenom

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// listings is everything a client reads from a sandbox.
type listings struct {
	external, internal []wireJob
	apps               []wireApp
}

func readAll(t *testing.T, base string) listings {
	t.Helper()
	tok := fetchToken(t, base)
	var l listings
	l.external, _ = allJobs(t, base, tok, siteExternal, 100)
	l.internal, _ = allJobs(t, base, tok, siteInternal, 100)
	l.apps, _ = allApps(t, base, tok, 100)
	return l
}

func norm(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// checkQuirks fails unless every Phenom quirk of sandbox.md is in l.
func checkQuirks(t *testing.T, s *Server, l listings) {
	t.Helper()
	missing := func(what string) { t.Errorf("quirk missing: %s", what) }

	// Jobs.
	locales := map[string][]string{}
	var hmNameNoEmail, recMissingSeen, recNullSeen, recEmptySeen, blankInMiddle, hmAsRecruiter bool
	emailsByNorm := map[string]map[string]string{} // normalized -> raw -> a job id
	addEmail := func(raw, jobID string) {
		if norm(raw) == "" {
			return
		}
		if emailsByNorm[norm(raw)] == nil {
			emailsByNorm[norm(raw)] = map[string]string{}
		}
		emailsByNorm[norm(raw)][raw] = jobID
	}
	for _, j := range l.external {
		locales[j.JobID] = append(locales[j.JobID], j.Locale)
		if j.Locale != localeDefault {
			continue
		}
		if j.HiringManagerName != "" && strings.TrimSpace(j.HiringManagerEmail) == "" {
			hmNameNoEmail = true
		}
		addEmail(j.HiringManagerEmail, j.JobID)
		switch string(j.MultiRecruiter) {
		case "":
			recMissingSeen = true
		case "null":
			recNullSeen = true
		case "[]":
			recEmptySeen = true
		default:
			rs := recruiters(j.MultiRecruiter)
			for i, r := range rs {
				if i > 0 && i < len(rs)-1 && norm(r) == "" {
					blankInMiddle = true
				}
				if norm(r) != "" && norm(r) == norm(j.HiringManagerEmail) {
					hmAsRecruiter = true
				}
				addEmail(r, j.JobID)
			}
		}
	}
	var twoLocales, otherFirst bool
	for _, ls := range locales {
		if len(ls) > 1 && slices.Contains(ls, localeDefault) {
			twoLocales = true
			otherFirst = otherFirst || ls[0] != localeDefault
		}
	}
	var caseAcrossJobs, spaces bool
	for _, raws := range emailsByNorm {
		jobs := map[string]bool{}
		for raw, job := range raws {
			jobs[job] = true
			spaces = spaces || raw != strings.TrimSpace(raw)
		}
		caseAcrossJobs = caseAcrossJobs || (len(raws) > 1 && len(jobs) > 1)
	}
	for what, ok := range map[string]bool{
		"a job under two locales": twoLocales, "the non-en_US copy first": otherFirst,
		"hiring manager name without e-mail": hmNameNoEmail, "multiRecruiter missing": recMissingSeen,
		"multiRecruiter null": recNullSeen, "multiRecruiter empty": recEmptySeen,
		"blank recruiter e-mail in the middle": blankInMiddle, "hiring manager repeated as recruiter": hmAsRecruiter,
		"e-mails differing only in case across jobs": caseAcrossJobs, "e-mail with surrounding spaces": spaces,
	} {
		if !ok {
			missing(what)
		}
	}

	// Applications.
	internal := map[string]bool{}
	for _, j := range l.internal {
		internal[j.JobID] = true
	}
	deleted := map[string]bool{}
	s.mu.RLock()
	for _, j := range s.st.jobs {
		if j.deleted {
			deleted[j.id] = true
		}
	}
	s.mu.RUnlock()
	var toPlaceholder, toInternal, toDeleted, noCandDataID bool
	byCand := map[string][]wireApp{}
	for _, a := range l.apps {
		toPlaceholder = toPlaceholder || a.JobID == placeholderJobID
		toInternal = toInternal || internal[a.JobID]
		toDeleted = toDeleted || deleted[a.JobID]
		c := a.CandidateData.CandidateID
		if c == "" {
			noCandDataID = true
			c = a.CandidateID
		}
		byCand[c] = append(byCand[c], a)
	}
	details := func(a wireApp) candidateData { d := a.CandidateData; d.CandidateID = ""; return d }
	var changedLater, changedTie bool
	for _, as := range byCand {
		for i := range as {
			for k := i + 1; k < len(as); k++ {
				if details(as[i]) == details(as[k]) {
					continue
				}
				if as[i].UpdatedDate == as[k].UpdatedDate {
					changedTie = true
				} else {
					changedLater = true
				}
			}
		}
	}
	for what, ok := range map[string]bool{
		"application to JOBID": toPlaceholder, "application to an internal job": toInternal,
		"application to a deleted job": toDeleted, "candidateData without candidateId": noCandDataID,
		"candidate applied twice with changed details":                   changedLater,
		"candidate applied twice with changed details, updatedDate tied": changedTie,
		"application count a multiple of 100":                            len(l.apps) > 0 && len(l.apps)%100 == 0,
	} {
		if !ok {
			missing(what)
		}
	}
}

func TestQuirks(t *testing.T) {
	for _, tc := range []struct{ scale, epoch int }{{5, 0}, {10, 0}, {10, 4}, {200, 0}, {200, 3}, {2000, 1}} {
		t.Run(itoa(tc.scale)+"@"+itoa(tc.epoch), func(t *testing.T) {
			s, base := newTestServer(t, Config{Seed: int64(tc.scale), Scale: tc.scale, Epoch: tc.epoch})
			checkQuirks(t, s, readAll(t, base))
		})
	}
}

func TestSizes(t *testing.T) {
	for _, scale := range []int{10, 200, 4000} {
		s, base := newTestServer(t, Config{Seed: 1, Scale: scale})
		l := readAll(t, base)
		tr := s.Truth()
		jobs := len(tr.Tables[tableJobs])
		if want := scale / 40; jobs < 5 || jobs < want*6/10 || (scale >= 400 && jobs > want*14/10) {
			t.Errorf("scale %d: %d listed jobs", scale, jobs)
		}
		if c := len(tr.Tables[tableCandidates]); c != scale {
			t.Errorf("scale %d: %d candidates", scale, c)
		}
		if n := len(l.apps); n < scale || (scale >= 1000 && (n < scale*12/10 || n > scale*14/10)) {
			t.Errorf("scale %d: %d applications", scale, n)
		}
		if u := len(tr.Tables[tableUsers]); u < 5 {
			t.Errorf("scale %d: %d users", scale, u)
		}
		// Values: several countries, non-ASCII text, Phenom timestamps.
		countries, nonASCII := map[string]bool{}, 0
		for _, a := range l.apps {
			countries[a.CandidateData.ContactData.Country] = true
			if strings.ContainsFunc(a.CandidateData.FirstName+a.CandidateData.LastName, func(r rune) bool { return r > 127 }) {
				nonASCII++
			}
			for _, ts := range []string{a.AppliedDate, a.UpdatedDate} {
				if _, err := time.Parse(timeLayout, ts); err != nil || !strings.HasSuffix(ts, "+0000") || len(ts) != len("2024-05-17T22:00:00.000+0000") {
					t.Fatalf("timestamp %q: %v", ts, err)
				}
			}
		}
		if len(countries) < 3 || nonASCII == 0 {
			t.Errorf("scale %d: %d countries, %d non-ASCII names", scale, len(countries), nonASCII)
		}
	}
}

// pageBytes returns the raw bodies of every page a client reads.
func pageBytes(t *testing.T, base string) []byte {
	t.Helper()
	tok := fetchToken(t, base)
	var all bytes.Buffer
	for _, p := range []string{pathJobs + "?siteType=external", pathJobs + "?siteType=internal", pathApplications + "?x=1"} {
		for offset := 0; ; offset += 100 {
			_, b := mustGet(t, base+p+"&offset="+itoa(offset)+"&limit=100", tok)
			all.Write(b)
			if !bytes.Contains(b, []byte(`"data":[{`)) {
				break
			}
		}
	}
	_, b := mustGet(t, base+pathTruth, "")
	all.Write(b)
	return all.Bytes()
}

func TestDeterminism(t *testing.T) {
	clk := newClock()
	cfg := Config{Seed: 42, Scale: 300, Epoch: 2, Clock: clk.Now}
	_, a := newTestServer(t, cfg)
	_, b := newTestServer(t, cfg)
	pa, pb := pageBytes(t, a), pageBytes(t, b)
	if !bytes.Equal(pa, pb) {
		t.Fatal("two sandboxes of one (seed, scale, epoch) serve different bytes")
	}
	// The truth does not depend on the clock.
	later := &clock{t: clk.Now().Add(72 * time.Hour)}
	cfg.Clock = later.Now
	s3, _ := newTestServer(t, cfg)
	s1, _ := newTestServer(t, Config{Seed: 42, Scale: 300, Epoch: 2})
	if !truthEqual(s1.Truth(), s3.Truth()) {
		t.Fatal("the truth depends on the clock")
	}
	cfg.Seed = 43
	s4, _ := newTestServer(t, cfg)
	if truthEqual(s1.Truth(), s4.Truth()) {
		t.Fatal("another seed gives the same truth")
	}
}

func truthEqual(a, b Truth) bool {
	if a.Epoch != b.Epoch || len(a.Tables) != len(b.Tables) {
		return false
	}
	for k, v := range a.Tables {
		if !slices.Equal(v, b.Tables[k]) {
			return false
		}
	}
	return true
}

func TestEpochs(t *testing.T) {
	clk := newClock()
	s, base := newTestServer(t, Config{Seed: 7, Scale: 300, Clock: clk.Now})
	before, t0 := readAll(t, base), s.Truth()

	clk.Set(clk.Now().Add(time.Hour))
	at := formatTime(clk.Now())
	status, b, err := do(t, http.MethodPost, base+pathAdvance, "", url.Values{})
	if err != nil || status != http.StatusOK || string(b) != `{"epoch":1}` {
		t.Fatalf("advance: %d %v %s", status, err, b)
	}
	after, t1 := readAll(t, base), s.Truth()
	if t1.Epoch != 1 {
		t.Fatalf("truth epoch %d", t1.Epoch)
	}
	for _, table := range []string{tableJobs, tableApps, tableMembers, tableCandidates} {
		added, removed := diff(t0.Tables[table], t1.Tables[table])
		if added == 0 || removed == 0 {
			t.Errorf("%s: %d added, %d removed in epoch 1", table, added, removed)
		}
	}
	// Changed and new applications carry the epoch's instant; others keep theirs.
	old := map[string]wireApp{}
	for _, a := range before.apps {
		old[a.ApplicationID] = a
	}
	changed, added, moved := 0, 0, 0
	for _, a := range after.apps {
		o, ok := old[a.ApplicationID]
		switch {
		case !ok:
			added++
			if a.AppliedDate != at || a.UpdatedDate != at {
				t.Fatalf("new application %s: applied %s updated %s, want %s", a.ApplicationID, a.AppliedDate, a.UpdatedDate, at)
			}
		case o != a:
			changed++
			if a.UpdatedDate != at {
				t.Fatalf("changed application %s: updated %s, want %s", a.ApplicationID, a.UpdatedDate, at)
			}
			if o.HiringStatus != a.HiringStatus {
				moved++
			}
		case a.UpdatedDate >= at:
			t.Fatalf("unchanged application %s updated %s", a.ApplicationID, a.UpdatedDate)
		}
	}
	if changed == 0 || added == 0 || moved == 0 {
		t.Fatalf("%d changed (%d status moves), %d added", changed, moved, added)
	}
	// New jobs are posted at the epoch's instant.
	oldJobs := map[string]bool{}
	for _, j := range before.external {
		oldJobs[j.JobID] = true
	}
	for _, j := range after.external {
		if !oldJobs[j.JobID] && (j.PostedDate != at || j.DateCreated != at) {
			t.Fatalf("new job %s posted %s created %s, want %s", j.JobID, j.PostedDate, j.DateCreated, at)
		}
	}

	// Advancing equals starting at that epoch (same instant).
	s2, _ := newTestServer(t, Config{Seed: 7, Scale: 300, Clock: clk.Now})
	s2.Advance()
	s2.Advance()
	_, b3 := newTestServer(t, Config{Seed: 7, Scale: 300, Epoch: 2, Clock: clk.Now})
	hs2 := httpServer(t, s2)
	if !bytes.Equal(pageBytes(t, hs2), pageBytes(t, b3)) {
		t.Fatal("Advance twice differs from --epoch 2")
	}
}

func httpServer(t *testing.T, s *Server) string {
	t.Helper()
	hs := newHTTPTest(s)
	t.Cleanup(hs.Close)
	return hs.URL
}

// diff counts the ids of b not in a and of a not in b.
func diff(a, b []string) (added, removed int) {
	in := func(xs []string, x string) bool { _, ok := slices.BinarySearch(xs, x); return ok }
	for _, x := range b {
		if !in(a, x) {
			added++
		}
	}
	for _, x := range a {
		if !in(b, x) {
			removed++
		}
	}
	return added, removed
}

func TestManyEpochs(t *testing.T) {
	for _, scale := range []int{5, 10, 6000} {
		s, err := New(Config{Seed: 11, Scale: scale})
		if err != nil {
			t.Fatal(err)
		}
		rounds := 25
		if scale > 1000 {
			rounds = 3
		}
		prev := len(s.st.apps)
		for range rounds {
			s.Advance()
			n := len(s.st.apps)
			if n%100 != 0 || n < prev {
				t.Fatalf("scale %d epoch %d: %d applications (before %d)", scale, s.Epoch(), n, prev)
			}
			if scale > 5000 && n == prev {
				t.Fatalf("scale %d: no growth", scale)
			}
			prev = n
			if len(s.external) == 0 {
				t.Fatalf("scale %d epoch %d: no external jobs", scale, s.Epoch())
			}
		}
		hs := httpServer(t, s)
		checkQuirks(t, s, readAll(t, hs))
	}
}

func TestComputeTruth(t *testing.T) {
	rec := func(emails ...string) json.RawMessage {
		var rs []wireRecruiter
		for _, e := range emails {
			rs = append(rs, wireRecruiter{RecruiterEmail: e})
		}
		b, _ := json.Marshal(rs)
		return b
	}
	jobs := []wireJob{
		{JobID: "J1", Locale: "de_DE", HiringManagerEmail: " A@X.com ", MultiRecruiter: rec("only-de@x.com")},
		{JobID: "J1", Locale: "en_US", HiringManagerEmail: " A@X.com "},
		{JobID: "J2", Locale: "fr_FR", HiringManagerName: "Noémie", MultiRecruiter: json.RawMessage("null")},
		{JobID: "J2", Locale: "es_ES", HiringManagerEmail: "b@x.com"},
		{JobID: "J3", Locale: "en_US", HiringManagerEmail: "c@x.com", MultiRecruiter: rec("c@X.com", "", "  ", "D@x.com ")},
		{JobID: "J3", Locale: "de_DE", HiringManagerEmail: "e@x.com"},
		{JobID: "J4", Locale: "en_US", HiringManagerEmail: "   ", MultiRecruiter: json.RawMessage(`[{"recruiterName":"no e-mail"},{"recruiterEmail":null},{"recruiterEmail":"a@x.com"}]`)},
	}
	apps := []wireApp{
		{ApplicationID: "A3", JobID: "JOBID", CandidateID: "P1", CandidateData: candidateData{CandidateID: "P1"}},
		{ApplicationID: "A1", JobID: "J1", CandidateID: "P1", CandidateData: candidateData{CandidateID: "P1"}},
		{ApplicationID: "A2", JobID: "gone", CandidateID: "P2"},
	}
	for _, tc := range []struct {
		name string
		jobs []wireJob
		apps []wireApp
		want map[string][]string
	}{
		{"mapping rules", jobs, apps, map[string][]string{
			tableJobs:    {"J1", "J2", "J3", "J4"},
			tableUsers:   {"a@x.com", "c@x.com", "d@x.com"},
			tableRoles:   {roleHiringManager, roleRecruiter},
			tableMembers: {"J1:a@x.com", "J3:c@x.com", "J3:d@x.com", "J4:a@x.com"},
			tableAssignments: {"J1:a@x.com:HIRING_MANAGER", "J3:c@x.com:HIRING_MANAGER", "J3:c@x.com:RECRUITER",
				"J3:d@x.com:RECRUITER", "J4:a@x.com:RECRUITER"},
			tableCandidates: {"P1", "P2"},
			tableApps:       {"A1", "A2", "A3"},
		}},
		{"empty", nil, nil, map[string][]string{
			tableJobs: {}, tableUsers: {}, tableRoles: {roleHiringManager, roleRecruiter}, tableMembers: {},
			tableAssignments: {}, tableCandidates: {}, tableApps: {},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := computeTruth(3, tc.jobs, tc.apps)
			if !truthEqual(got, Truth{Epoch: 3, Tables: tc.want}) {
				t.Fatalf("truth\n%v\nwant\n%v", got.Tables, tc.want)
			}
			b, _ := json.Marshal(got)
			if bytes.Contains(b, []byte("null")) {
				t.Fatalf("truth JSON has null: %s", b)
			}
		})
	}
}

func TestTruthTraps(t *testing.T) {
	// The recruiter named only on a non-default-locale copy and the one named
	// only on an internal job are not users; every user is lower-case and trimmed.
	s, base := newTestServer(t, Config{Seed: 8, Scale: 10})
	l := readAll(t, base)
	tr := s.Truth()
	users := tr.Tables[tableUsers]
	onlyOther := map[string]bool{}
	for _, j := range l.external {
		if j.Locale != localeDefault {
			for _, r := range recruiters(j.MultiRecruiter) {
				onlyOther[norm(r)] = true
			}
		}
	}
	for _, j := range l.external {
		if j.Locale == localeDefault {
			delete(onlyOther, norm(j.HiringManagerEmail))
			for _, r := range recruiters(j.MultiRecruiter) {
				delete(onlyOther, norm(r))
			}
		}
	}
	if len(onlyOther) == 0 {
		t.Fatal("no recruiter named only on a non-default-locale copy")
	}
	internalOnly := 0
	for _, j := range l.internal {
		for _, r := range recruiters(j.MultiRecruiter) {
			if _, ok := slices.BinarySearch(users, norm(r)); !ok {
				internalOnly++
			}
		}
	}
	if internalOnly == 0 {
		t.Fatal("no recruiter named only on internal jobs")
	}
	for _, u := range users {
		if onlyOther[u] || u != norm(u) {
			t.Fatalf("user %q", u)
		}
	}
	// Every application is in the truth, whatever its job.
	ids := make([]string, len(l.apps))
	for i, a := range l.apps {
		ids[i] = a.ApplicationID
	}
	slices.Sort(ids)
	if !slices.Equal(ids, tr.Tables[tableApps]) {
		t.Fatal("truth applications differ from the listing")
	}
}

func TestNewRejects(t *testing.T) {
	for _, cfg := range []Config{
		{Scale: MinScale - 1},
		{Scale: 10, Epoch: -1},
		{Scale: 10, TokenTTL: -time.Second},
		{Scale: 10, RateLimit: -1},
		{Scale: 10, FailRate: 0.7, TruncateRate: 0.5},
		{Scale: 10, FailRate: -0.1},
		{Scale: 10, Latency: -time.Second},
	} {
		if _, err := New(cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("New(%+v): %v, want ErrConfig", cfg, err)
		}
	}
	d := DefaultConfig()
	if d.ClientID != DefaultClientID || d.ClientSecret != DefaultClientSecret || d.TokenTTL != time.Hour || d.RateLimit != 0 {
		t.Fatalf("DefaultConfig %+v", d)
	}
}

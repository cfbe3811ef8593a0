package phenom

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/atslake/atslake/sandbox/simapi"
)

// recMode is how a job's multiRecruiter property is served.
type recMode uint8

const (
	recList    recMode = iota // a list (possibly with blank e-mails)
	recMissing                // the property is left out
	recNull                   // null
	recEmpty                  // []
)

// team is a job's hiring team as the API shows it.
type team struct {
	hmEmail, hmName string
	mode            recMode
	recs            []wireRecruiter // only with recList; never modified in place
}

// multiRecruiter returns the raw JSON of the multiRecruiter property (nil: left out).
func (t team) multiRecruiter() json.RawMessage {
	switch t.mode {
	case recMissing:
		return nil
	case recNull:
		return json.RawMessage("null")
	case recEmpty:
		return json.RawMessage("[]")
	}
	if len(t.recs) == 0 {
		return json.RawMessage("[]")
	}
	return simapi.MustMarshal(t.recs)
}

// job is one job of the simulated tenant; the listing shows one item per
// locale in locales (in that order) while the job is listed.
type job struct {
	id, reqID                                     string
	title, description, category, department, typ string
	status, site                                  string
	city, state, country, postal                  string
	created, posted                               time.Time
	team                                          team
	locales                                       []string        // copies in list order
	alt                                           map[string]team // the hiring team of a copy that differs from team
	pinned                                        bool            // carries a quirk: never changed by epochs
	deleted                                       bool            // gone from the tenant (still named by applications)
}

// listed reports whether the job is returned under site type site.
func (j *job) listed(site string) bool {
	return !j.deleted && j.site == site && j.status != statusClosed
}

// wire returns the item of the copy in locale.
func (j *job) wire(locale string) wireJob {
	tm := j.team
	if t, ok := j.alt[locale]; ok {
		tm = t
	}
	title, desc := localize(j.title, j.description, j.city, locale)
	loc := make([]string, 0, 3)
	for _, p := range []string{j.city, j.state, j.country} {
		if p != "" {
			loc = append(loc, p)
		}
	}
	lang, region, _ := strings.Cut(locale, "_")
	return wireJob{
		JobID:              j.id,
		ReqID:              j.reqID,
		Title:              title,
		Description:        desc,
		Category:           j.category,
		Department:         j.department,
		Type:               j.typ,
		Status:             j.status,
		Locale:             locale,
		SiteType:           j.site,
		ApplyURL:           careersURL + "/" + strings.ToLower(region) + "/" + lang + "/job/" + j.id + "/" + slug(title),
		City:               j.city,
		State:              j.state,
		Country:            j.country,
		PostalCode:         j.postal,
		Location:           strings.Join(loc, ", "),
		PostedDate:         formatTime(j.posted),
		DateCreated:        formatTime(j.created),
		HiringManagerEmail: tm.hmEmail,
		HiringManagerName:  tm.hmName,
		MultiRecruiter:     tm.multiRecruiter(),
	}
}

// localize returns the title and description of a job's copy in locale.
func localize(title, desc, city, locale string) (string, string) {
	switch {
	case strings.HasPrefix(locale, "de_"):
		return title + " (m/w/d)", "<p>Werde Teil unseres Teams in " + city + "!</p>" + desc
	case strings.HasPrefix(locale, "fr_"):
		return title + " (H/F)", "<p>Rejoignez notre équipe à " + city + " !</p>" + desc
	case strings.HasPrefix(locale, "es_"):
		return title + " (H/M)", "<p>Únete a nuestro equipo en " + city + ".</p>" + desc
	case strings.HasPrefix(locale, "ja_"):
		return "【募集】" + title, "<p>" + city + "で一緒に働きませんか？</p>" + desc
	}
	return title, desc
}

// app is one application of the simulated tenant.
type app struct {
	w      wireApp
	pinned bool // carries a quirk: never changed or deleted by epochs
}

// cand is a candidate's current details (applications carry snapshots).
type cand struct {
	id     string
	data   candidateData
	pinned bool // a quirk candidate: gets no new applications
}

// person is a member of the tenant's staff (a possible hiring manager or recruiter).
type person struct {
	email, name string
}

// state is the whole simulated tenant at one epoch.
type state struct {
	seed  int64
	scale int
	t0    time.Time // the "now" of epoch 0; every epoch-0 timestamp is before it

	people []person // staff hiring teams are drawn from
	jobs   []*job   // in list order (deleted ones included, not listed)
	apps   []*app   // in list order
	cands  []*cand  // in creation order

	nextJob, nextApp, nextCand int
}

// listJobs returns the items of the jobs listing for site type site.
func (s *state) listJobs(site string) []wireJob {
	var out []wireJob
	for _, j := range s.jobs {
		if !j.listed(site) {
			continue
		}
		for _, l := range j.locales {
			out = append(out, j.wire(l))
		}
	}
	return out
}

// formatTime writes t as Phenom does: 2024-05-17T22:00:00.000+0000 (UTC).
func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

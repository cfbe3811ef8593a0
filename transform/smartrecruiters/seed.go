package smartrecruiters

import (
	"strings"

	sr "github.com/atslake/atslake/extract/smartrecruiters"
	"github.com/atslake/atslake/transform"
)

// Seeds for incremental runs. An incremental run re-reads only the jobs and
// candidates changed since the watermark, so some results that depend on the
// whole tenant would differ from a full run's. Before the first Map, the
// pipeline hands the mapper what the lake's current state knows:
//
//   - SeedStage: every live application stage, so stages seen only on
//     applications that are not re-read keep their place and the global
//     order (global_index) does not churn.
//   - SeedTag: every live tag, so a known tag is not emitted again with the
//     spelling of its first occurrence among the re-read candidates (it keeps
//     its stored name); only new tags are emitted.
//   - SeedAd: the job ads of the jobs not re-read (job_postings), so a
//     posting of such a job's ad still links its screening questions to the
//     job (job_screening_questions is checked against every run).
//
// Seeds are never needed in a full run, and a seeded mapper given a full
// run's documents maps them as a full run would, except that seeded stages
// and tags nobody uses any more are kept.

// seeded is the state handed to a mapper by its Seed* methods.
type seeded struct {
	ads      map[string]adRef    // job ad id -> its job, from the lake
	readJobs map[string]struct{} // jobs read in this run: their seeded ads are stale
}

// SeedStage records an application stage (its remote id, `STATUS` or
// `STATUS/sub-status`) of the lake's current state: it takes its place in
// the global order as a stage seen on an application. Call before Map.
func (m *Mapper) SeedStage(remoteID string) {
	status, sub, _ := strings.Cut(remoteID, "/")
	m.stages.noteApplication(status, sub)
}

// SeedTag records a tag (its remote id: the lower-cased trimmed text) of the
// lake's current state: it is not emitted again, so it keeps its stored
// name. Call before Map.
func (m *Mapper) SeedTag(remoteID string) {
	m.tags[remoteID] = struct{}{}
}

// SeedAd records a job ad (J4 id) of the lake's current state with the
// remote id of its job and whether it is the job's default ad, for the
// postings of jobs not re-read in this run. A job that is re-read replaces
// all of its seeded ads with its J4 reply. Call before Map.
func (m *Mapper) SeedAd(adID, jobRemoteID string, isDefault bool) {
	if m.seeds == nil {
		m.seeds = &seeded{ads: map[string]adRef{}, readJobs: map[string]struct{}{}}
	}
	m.seeds.ads[adID] = adRef{jobID: jobRemoteID, isDefault: isDefault}
}

// noteJobRead records that a job's ads come from this run.
func (m *Mapper) noteJobRead(jobID string) {
	if m.seeds != nil {
		m.seeds.readJobs[jobID] = struct{}{}
	}
}

// adOf returns the job of a job ad: read in this run, else seeded (unless its
// job was read in this run without that ad).
func (m *Mapper) adOf(adID string) (adRef, bool) {
	if ref, ok := m.ads[adID]; ok {
		return ref, true
	}
	if m.seeds == nil {
		return adRef{}, false
	}
	ref, ok := m.seeds.ads[adID]
	if !ok {
		return adRef{}, false
	}
	if _, read := m.seeds.readJobs[ref.jobID]; read {
		return adRef{}, false
	}
	return ref, true
}

// DefaultAd reports whether a job_postings row's remote_data (the J4 item
// under its path template) marks the job's default ad, for SeedAd.
func DefaultAd(remoteData []byte) bool {
	return string(transform.Member(transform.Member(remoteData, sr.PathJobAds), "default")) == "true"
}

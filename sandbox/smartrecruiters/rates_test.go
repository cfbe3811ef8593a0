package smartrecruiters

import (
	"testing"
	"time"
)

// One round of change moves the updatedOn of a few percent of the candidates
// (sandbox.md: each round "updates a few percent of records"), and renames
// at most one job, not in every round. The incremental benchmarks follow the
// share of candidates a round touches, so it must not drift silently: at
// scale 2,000 it stays between 2% and 8% (about 4.5% today) in every round,
// those that rename a job included.
func TestRoundTouchesAFewPercentOfCandidates(t *testing.T) {
	t.Parallel()
	for _, seed := range []int64{1, 2} {
		clock := newClock()
		s := newServer(t, cfgOf(seed, 2000, 0, clock))
		c := newCrawler(t, s)
		titles := func() map[string]string {
			out := map[string]string{}
			for _, j := range pages[struct{ ID, Title string }](c, "/jobs?sort=job_id", 100) {
				out[j.ID] = j.Title
			}
			return out
		}
		before := titles()
		for epoch := 1; epoch <= 4; epoch++ {
			clock.Add(time.Hour)
			if got := s.Advance(); got != epoch {
				t.Fatalf("seed %d: advanced to epoch %d, want %d", seed, got, epoch)
			}
			at := ts(clock.Now())
			cands := pages[struct{ ID, UpdatedOn string }](c, "/candidates", 100)
			moved := 0
			for _, cs := range cands {
				if cs.UpdatedOn == at {
					moved++
				}
			}
			share := float64(moved) / float64(len(cands))
			t.Logf("seed %d epoch %d: %d of %d candidates moved (%.1f%%)", seed, epoch, moved, len(cands), 100*share)
			if share < 0.02 || share > 0.08 {
				t.Errorf("seed %d epoch %d: %d of %d candidates moved (%.1f%%), want 2-8%%", seed, epoch, moved, len(cands), 100*share)
			}
			after := titles()
			renamed := 0
			for id, title := range after {
				if old, ok := before[id]; ok && old != title {
					renamed++
				}
			}
			want := 0
			if retitleRound(epoch) {
				want = 1
			}
			if renamed != want {
				t.Errorf("seed %d epoch %d: %d jobs renamed, want %d", seed, epoch, renamed, want)
			}
			before = after
		}
	}
}

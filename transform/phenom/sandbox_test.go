package phenom

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	phenomx "github.com/atslake/atslake/extract/phenom"
	sandbox "github.com/atslake/atslake/sandbox/phenom"
	"github.com/atslake/atslake/transform"
)

// TestSandboxEndToEnd extracts the Phenom sandbox over HTTP, maps it and
// compares the remote ids of every table (the last row written per id, as
// the loader keeps it) with the sandbox's truth.
func TestSandboxEndToEnd(t *testing.T) {
	for _, epoch := range []int{0, 3} {
		t.Run("epoch"+string(rune('0'+epoch)), func(t *testing.T) {
			cfg := sandbox.DefaultConfig()
			cfg.Scale, cfg.Epoch = 400, epoch
			s, err := sandbox.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(s)
			defer hs.Close()
			ex, err := phenomx.New(phenomx.Config{BaseURL: hs.URL, TokenURL: hs.URL,
				ClientID: sandbox.DefaultClientID, ClientSecret: sandbox.DefaultClientSecret, BatchRows: 97})
			if err != nil {
				t.Fatal(err)
			}

			alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer alloc.AssertSize(t, 0)
			out, skip := newCollector(t), &skipRecorder{}
			m := New("sandbox-phenom", WithAllocator(alloc), WithBatchRows(128))
			defer m.Release()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for rec, err := range ex.Extract(ctx, extract.Request{Mode: extract.Full, Alloc: alloc}) {
				if err != nil {
					t.Fatal(err)
				}
				err = m.Map(ctx, rec, out, skip)
				rec.Release()
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := m.Finish(ctx, out, skip); err != nil {
				t.Fatal(err)
			}
			if len(skip.list) > 0 {
				t.Fatalf("skipped %d records, first %+v", len(skip.list), skip.list[0])
			}

			truth := s.Truth()
			for table, want := range truth.Tables {
				if got := out.remoteIDs(table); !slices.Equal(got, want) {
					t.Errorf("%s: %d remote ids, truth %d; first difference %s", table, len(got), len(want), firstDiff(got, want))
				}
			}
			if len(truth.Tables) != 7 {
				t.Errorf("truth has tables %v", truth.Tables)
			}

			// Relations: hiring teams point at written rows; applications
			// point at written candidates; job_ids dangle only for jobs the
			// listing does not show (JOBID, internal, deleted), which occur.
			ids := func(table string) map[any]bool {
				set := map[any]bool{}
				for _, r := range out.last(table) {
					set[r["id"]] = true
				}
				return set
			}
			jobs, users, members, cands := ids(tableJobs), ids(tableUsers), ids(tableMembers), ids(tableCandidates)
			for _, r := range out.last(tableMembers) {
				if !jobs[r["job_id"]] || !users[r["user_id"]] {
					t.Errorf("member %v points nowhere", r["remote_id"])
				}
			}
			for _, r := range out.last(tableAssignments) {
				if !members[r["job_user_id"]] {
					t.Errorf("assignment %v points nowhere", r["remote_id"])
				}
			}
			dangling := map[any]bool{}
			for _, r := range out.last(tableApplications) {
				if !cands[r["candidate_id"]] {
					t.Errorf("application %v: candidate_id dangles", r["remote_id"])
				}
				if !jobs[r["job_id"]] {
					dangling[r["job_id"]] = true
				}
			}
			if !dangling[transform.ID("sandbox-phenom", tableJobs, "JOBID")] || len(dangling) < 3 {
				t.Errorf("dangling job ids %d, want JOBID, an internal and a deleted job", len(dangling))
			}
			both := 0
			for _, r := range out.last(tableMembers) {
				if len(r["roles"].([]any)) == 2 {
					both++
				}
			}
			if both == 0 {
				t.Error("no member is both hiring manager and recruiter (a sandbox quirk)")
			}
		})
	}
}

func firstDiff(got, want []string) string {
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return "missing " + want[i]
		case i >= len(want):
			return "extra " + got[i]
		case got[i] != want[i]:
			return got[i] + " vs truth " + want[i]
		}
	}
	return "none"
}

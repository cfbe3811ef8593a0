package pipeline

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkIncrementalRequests measures how many requests an incremental
// SmartRecruiters run makes compared with a full run: a full sync at epoch
// 0, one epoch of change, then an incremental sync (sandbox without rate
// limit). The metric inc/full is the goal of the change-tracking issue
// (below 0.10); re-read/cands is the share of candidates the epoch touched
// (each re-read candidate costs its details and 6 calls per application);
// floor-requests is what an incremental run costs when nothing changed.
//
//	go test ./pipeline -run '^$' -bench BenchmarkIncrementalRequests -benchtime 1x -timeout 30m
func BenchmarkIncrementalRequests(b *testing.B) {
	for _, scale := range []int{2000, 20000} {
		b.Run(fmt.Sprintf("scale=%d", scale), func(b *testing.B) {
			for range b.N {
				sb, url := srSandbox(b, scale, nil)
				l := newTestLake(b, "lake")
				conn := srConnection(url, time.Millisecond)
				full := l.sync(b, conn, RunOptions{}, "full")
				cands := len(sb.Truth().Tables["candidates"])
				advance(b, url)
				inc := l.sync(b, conn, RunOptions{}, "incremental")
				var rereadCands, rereadJobs int64
				for _, s := range inc.Tables {
					switch s.Table {
					case "candidates":
						rereadCands = s.RowsSeen
					case "jobs":
						rereadJobs = s.RowsSeen
					}
				}
				// An incremental run right after reads no job or candidate:
				// the floor (users, configuration, postings and their questions).
				floor := l.sync(b, conn, RunOptions{}, "incremental")
				b.ReportMetric(float64(floor.Record.Requests), "floor-requests")
				b.ReportMetric(float64(full.Record.Requests), "full-requests")
				b.ReportMetric(float64(inc.Record.Requests), "inc-requests")
				b.ReportMetric(float64(inc.Record.Requests)/float64(full.Record.Requests), "inc/full")
				b.ReportMetric(float64(rereadCands)/float64(cands), "re-read/cands")
				b.ReportMetric(float64(rereadJobs), "re-read-jobs")
				b.ReportMetric(full.Record.FinishedAt.Sub(full.Record.StartedAt).Seconds(), "full-s")
				b.ReportMetric(inc.Record.FinishedAt.Sub(inc.Record.StartedAt).Seconds(), "inc-s")
			}
		})
	}
}

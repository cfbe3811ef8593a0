//go:build linux

package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// Phases a killed sync can be in, told apart by what it left in the lake
// while it was stopped (SIGSTOP) just before the SIGKILL.
const (
	phaseExtract       = "extract"        // nothing of the run in the lake folders yet
	phaseBeforeJournal = "before-journal" // commit under way: temporary files, no journal
	phaseAfterJournal  = "after-journal"  // the journal is written: renames under way
	phaseAfterCommit   = "after-commit"   // the run's records are in place (catalog step)
	phaseFinished      = "finished"       // the process ended before the moment came
)

// moment is when to kill a sync: after a delay, or as soon as a file event
// in the lake matches.
type moment struct {
	name  string
	after time.Duration                           // > 0: a timer
	match func(lake, conn, dir, name string) bool // else: the first matching file event
	first bool                                    // kill the first sync of an empty lake (else the second)
	want  string                                  // the phase it must land in
	check func(t *testing.T, lake, conn string)   // extra checks of the killed state
}

// TestKillAndRerun kills a sync with SIGKILL at five moments (twice during
// extraction, while the commit writes its data files, while it writes its
// journal, and after the journal; plus once while the first run builds the
// catalog), checks that the lake is still readable and intact (the previous
// state, or, after the journal, tables of either state), then runs the sync
// again: the lake must equal the truth, with no duplicate id and no
// temporary file left. Phenom, whose sandbox has no request limit, keeps it
// quick; -e2e.long adds SmartRecruiters.
func TestKillAndRerun(t *testing.T) {
	t.Parallel()
	moments := []moment{
		{name: "extract-0.2s", after: 200 * time.Millisecond, want: phaseExtract},
		{name: "extract-0.5s", after: 500 * time.Millisecond, want: phaseExtract},
		{name: "commit-data-files", match: func(lake, conn, dir, name string) bool {
			return isTemp(name) && strings.HasSuffix(dir, string(filepath.Separator)+"connection="+conn) && !strings.Contains(dir, "_history") && !strings.Contains(dir, "_runs")
		}, want: phaseBeforeJournal},
		{name: "commit-journal-write", match: func(lake, conn, dir, name string) bool {
			return dir == filepath.Join(lake, "_state", conn) && strings.HasPrefix(name, ".commit.json.") && isTemp(name)
		}, want: phaseBeforeJournal},
		{name: "commit-after-journal", match: func(lake, conn, dir, name string) bool {
			return dir == filepath.Join(lake, "_state", conn) && name == "commit.json"
		}, want: phaseAfterJournal},
		{name: "first-run-catalog", first: true, match: func(lake, conn, dir, name string) bool {
			return dir == lake && strings.HasPrefix(name, ".catalog.duckdb.") && isTemp(name)
		}, want: phaseAfterCommit},
	}
	type source struct{ connector, scale, latency string }
	sources := []source{{"phenom", phScale(), "100ms"}}
	if *long {
		sources = append(sources, source{"smartrecruiters", "10", "20ms"})
	}
	for _, src := range sources {
		t.Run(src.connector, func(t *testing.T) {
			t.Parallel()
			// Epoch 0 quickly for the first sync; epoch 1, slowed down, for
			// the sync that is killed and the one that completes the work.
			fast := startSandbox(t, src.connector, "--scale", src.scale, "--rate-limit", "0")
			slow := startSandbox(t, src.connector, "--scale", src.scale, "--epoch", "1", "--latency", src.latency, "--rate-limit", "0")
			tr0, tr1 := fast.truth(t), slow.truth(t)
			if equalTruth(tr0, tr1) {
				t.Fatal("epoch 1 changed nothing")
			}
			for _, m := range moments {
				t.Run(m.name, func(t *testing.T) {
					t.Parallel()
					for attempt := 1; ; attempt++ {
						phase := killAndRerun(t, m, fast, slow, tr0, tr1)
						if phase == m.want || t.Failed() {
							return
						}
						if attempt == 4 {
							t.Fatalf("the kill never landed in phase %s (last: %s)", m.want, phase)
						}
						t.Logf("attempt %d landed in phase %s, want %s: again", attempt, phase, m.want)
					}
				})
			}
		})
	}
}

// killAndRerun runs one kill: a first sync (unless m.first), the sync killed
// at m, checks of the killed state, the sync again and checks of the
// result. It returns the phase the kill landed in.
func killAndRerun(t *testing.T, m moment, fast, slow *sandbox, tr0, tr1 truth) string {
	t.Helper()
	const id = "killed"
	dir := t.TempDir()
	lake := filepath.Join(dir, "lake")
	prev := truth{}
	if !m.first {
		mustSync(t, writeConfig(t, dir, conn{id: id, sb: fast}))
		prev = tr0
	} else if err := os.MkdirAll(lake, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, dir, conn{id: id, sb: slow})
	runsBefore := countFiles(filepath.Join(lake, "_runs", "connection="+id), ".parquet")

	w := newWatcher(t, lake)
	cmd := command("sync", "--config", cfg, "--full")
	var stdout, stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stopped := make(chan string, 1)
	stop := func(why string) {
		if syscall.Kill(pid, syscall.SIGSTOP) == nil {
			select {
			case stopped <- why:
			default:
			}
		}
	}
	if m.after > 0 {
		timer := time.AfterFunc(m.after, func() { stop(m.after.String()) })
		defer timer.Stop()
	} else {
		go w.watch(func(d, name string) bool {
			if m.match(lake, id, d, name) {
				stop(filepath.Join(d, name))
				return true
			}
			return false
		})
	}
	var phase, why string
	select {
	case why = <-stopped:
		phase = phaseOf(lake, id, runsBefore)
		_ = syscall.Kill(pid, syscall.SIGKILL)
		<-exited
	case <-exited:
		phase = phaseFinished
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		<-exited
		t.Fatalf("the sync hung\nstderr:\n%s", tail(stderr.String(), 3000))
	}
	w.close()
	res := finished(cmd, &stdout, &stderr, start)
	t.Logf("%s: stopped at %v (%s) in phase %s; signaled %v", m.name, res.elapsed.Round(time.Millisecond), why, phase, res.signaled)
	if phase != m.want {
		return phase
	}
	if !res.signaled {
		t.Fatalf("the sync was not killed: %v", res)
	}

	// The lake is readable right away, through the files alone: no visible
	// half-written file, no duplicate id, every table in a state of its own.
	killed := globState(t, lake, id)
	switch phase {
	case phaseExtract, phaseBeforeJournal:
		if m.first {
			for table, rows := range killed {
				if len(rows) > 0 {
					t.Errorf("%s: %d rows after a first run killed before its commit", table, len(rows))
				}
			}
		} else {
			killed.equalsTruth(t, "the lake killed before the journal", id, prev)
		}
	case phaseAfterJournal:
		// Renames under way: each table holds the previous or the new state.
		for table := range tr1.Tables {
			got := killed.liveIDs(table)
			if !equalStrings(got, prev.Tables[table]) && !equalStrings(got, tr1.Tables[table]) {
				t.Errorf("%s: %d live rows, neither the previous state (%d) nor the new one (%d)", table, len(got), len(prev.Tables[table]), len(tr1.Tables[table]))
			}
		}
		for _, p := range killed.problems(id, tr1) {
			if strings.Contains(p, "duplicate") {
				t.Error(p)
			}
		}
	case phaseAfterCommit:
		killed.equalsTruth(t, "the lake killed after its commit", id, tr1)
	}
	if m.check != nil {
		m.check(t, lake, id)
	}

	// The next run completes the work.
	res = mustSync(t, cfg, "--full")
	checkLake(t, lake, id, tr1)
	if run := lastRun(t, lake, id); run.status != "succeeded" {
		t.Errorf("rerun: %+v", run)
	}
	return phase
}

// phaseOf tells where a stopped sync is from what the lake holds.
func phaseOf(lake, conn string, runsBefore int) string {
	state := filepath.Join(lake, "_state", conn)
	if exists(filepath.Join(state, "commit.json")) {
		return phaseAfterJournal
	}
	temps := false
	_ = filepath.WalkDir(lake, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == "_locks" || strings.HasPrefix(d.Name(), "tmp-")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && isTemp(d.Name()) && filepath.Dir(path) != lake {
			temps = true
		}
		return nil
	})
	switch {
	case temps:
		return phaseBeforeJournal
	case countFiles(filepath.Join(lake, "_runs", "connection="+conn), ".parquet") > runsBefore:
		return phaseAfterCommit
	}
	return phaseExtract
}

func countFiles(dir, suffix string) int {
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), suffix) && !isTemp(e.Name()) {
			n++
		}
	}
	return n
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------- inotify

// watcher reports files created or renamed into any folder under a root
// (folders created later included), through Linux inotify.
type watcher struct {
	f    *os.File
	fd   int
	mu   sync.Mutex
	dirs map[int32]string
}

func newWatcher(t *testing.T, root string) *watcher {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		t.Fatalf("inotify: %v", err)
	}
	w := &watcher{f: os.NewFile(uintptr(fd), "inotify"), fd: fd, dirs: map[int32]string{}}
	if err := w.addTree(root); err != nil {
		w.close()
		t.Fatal(err)
	}
	return w
}

func (w *watcher) add(dir string) error {
	wd, err := syscall.InotifyAddWatch(w.fd, dir, syscall.IN_CREATE|syscall.IN_MOVED_TO)
	if err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	w.mu.Lock()
	w.dirs[int32(wd)] = dir
	w.mu.Unlock()
	return nil
}

func (w *watcher) addTree(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if d.Name() == "_locks" {
			return filepath.SkipDir
		}
		return w.add(path)
	})
}

// watch calls fn for every file event until fn returns true or the watcher
// is closed. A folder created under a watched one is watched too (files made
// in it before that are reported from a listing).
func (w *watcher) watch(fn func(dir, name string) bool) {
	buf := make([]byte, 64<<10)
	for {
		n, err := w.f.Read(buf)
		if err != nil {
			return
		}
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := string(bytes.TrimRight(buf[off+syscall.SizeofInotifyEvent:off+syscall.SizeofInotifyEvent+int(ev.Len)], "\x00"))
			off += syscall.SizeofInotifyEvent + int(ev.Len)
			w.mu.Lock()
			dir := w.dirs[ev.Wd]
			w.mu.Unlock()
			if dir == "" {
				continue
			}
			if fn(dir, name) {
				return
			}
			if ev.Mask&syscall.IN_ISDIR != 0 {
				sub := filepath.Join(dir, name)
				if w.addTree(sub) == nil {
					entries, _ := os.ReadDir(sub)
					for _, e := range entries {
						if !e.IsDir() && fn(sub, e.Name()) {
							return
						}
					}
				}
			}
		}
	}
}

func (w *watcher) close() { _ = w.f.Close() }

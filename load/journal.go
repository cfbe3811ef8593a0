package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// journal is the list of file operations that make a commit visible. It is
// written (atomically) before any of them happens, so a commit interrupted
// at any point after it can be completed by replaying it: every step is
// idempotent. Paths are relative to the lake folder.
type journal struct {
	Connection string   `json:"connection"`
	RunID      string   `json:"run_id"`
	Renames    []rename `json:"renames"` // in order: data, history, run_tables, runs
	Removes    []string `json:"removes"` // old files no longer part of the state
}

type rename struct {
	From string `json:"from"`
	To   string `json:"to"`
}

func (l *Lake) journalPath(conn string) string { return filepath.Join(l.stateDir(conn), journalFile) }

// writeJournal writes j durably: temp file, fsync, rename, fsync folder.
func (l *Lake) writeJournal(j *journal) error {
	dir := l.stateDir(j.Connection)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	path := l.journalPath(j.Connection)
	tmp := tempName(path, j.RunID)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write journal: %w", err)
	}
	return syncDir(dir)
}

// applyJournal performs the journal's renames and removals and deletes it.
// Renames whose temporary file is gone were done before.
func (l *Lake) applyJournal(j *journal) error {
	dirs := map[string]bool{}
	for i, r := range j.Renames {
		if l.crash != nil && i == 1 && l.crash("after-first-rename") {
			return errSimulatedCrash
		}
		from, to := filepath.Join(l.dir, r.From), filepath.Join(l.dir, r.To)
		if err := os.Rename(from, to); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				if _, serr := os.Stat(from); errors.Is(serr, os.ErrNotExist) {
					continue // done by an earlier attempt
				}
			}
			return fmt.Errorf("commit rename %s: %w", r.To, err)
		}
		// The folder and its parents up to the lake: a folder made by this
		// commit must be durable for the file in it to be.
		for d := filepath.Dir(to); len(d) >= len(l.dir) && !dirs[d]; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	for _, rel := range j.Removes {
		path := filepath.Join(l.dir, rel)
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("commit remove %s: %w", rel, err)
		}
		dirs[filepath.Dir(path)] = true
	}
	if err := syncDirs(dirs); err != nil {
		return err
	}
	if err := os.Remove(l.journalPath(j.Connection)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("commit remove journal: %w", err)
	}
	return syncDir(l.stateDir(j.Connection))
}

// rollForward completes a commit of conn that was interrupted after its
// journal was written. The caller holds the connection's lock.
func (l *Lake) rollForward(conn string) error {
	b, err := os.ReadFile(l.journalPath(conn))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read journal of %s: %w", conn, err)
	}
	var j journal
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("read journal of %s: %w", conn, err)
	}
	if j.Connection != conn {
		return fmt.Errorf("journal of %s names connection %q", conn, j.Connection)
	}
	l.log.Info("completing interrupted commit", "connection", conn, "run_id", j.RunID, "renames", len(j.Renames))
	if err := l.applyJournal(&j); err != nil {
		return fmt.Errorf("complete interrupted commit %s of %s: %w", j.RunID, conn, err)
	}
	return nil
}

// errSimulatedCrash stops a commit at a test's crash point.
var errSimulatedCrash = errors.New("simulated crash")

package load

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// syncParallel bounds the fsyncs in flight at once. Syncing files in
// parallel lets the file system commit them together, which matters when a
// run writes dozens of small files.
const syncParallel = 8

// parallel runs f on every item, at most syncParallel at once, and returns
// the first error.
func parallel(items []string, f func(string) error) error {
	sem := make(chan struct{}, syncParallel)
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for _, it := range items {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := f(it); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

// syncFiles fsyncs files.
func syncFiles(paths []string) error {
	return parallel(paths, func(p string) error {
		if err := syncFile(p); err != nil {
			return fmt.Errorf("sync %s: %w", p, err)
		}
		return nil
	})
}

// syncDirs fsyncs folders.
func syncDirs(dirs map[string]bool) error {
	list := make([]string, 0, len(dirs))
	for d := range dirs {
		list = append(list, d)
	}
	return parallel(list, syncDir)
}

// fsync is off only in tests that do not exercise durability (a power cut
// cannot be simulated; fsync dominates their time on slow disks).
var fsync = true

func syncFile(path string) error {
	if !fsync {
		_, err := os.Stat(path)
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir fsyncs a folder so renames and removals in it are durable.
func syncDir(dir string) error {
	if !fsync {
		_, err := os.Stat(dir)
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// pageBufferMemLimit is how much of a column chunk's encoded pages a lake
// file writer keeps in memory before moving them to a temporary file (a
// variable so tests can lower it).
var pageBufferMemLimit = 256 << 10

// pagePool is parquet-go's page buffer pool for lake files: a buffer stays
// in memory while small (most tables) and moves to a temporary file in dir
// once it passes limit, so a 128 MiB row group never sits in memory.
type pagePool struct {
	dir   string
	limit int
}

func (p *pagePool) GetBuffer() io.ReadWriteSeeker { return &pageBuffer{pool: p} }

func (p *pagePool) PutBuffer(b io.ReadWriteSeeker) {
	if pb, ok := b.(*pageBuffer); ok {
		pb.drop()
	}
}

// pageBuffer is an in-memory buffer that turns into a temporary file.
type pageBuffer struct {
	pool *pagePool
	mem  []byte
	pos  int64
	f    *os.File
}

func (b *pageBuffer) Write(p []byte) (int, error) {
	if b.f == nil && int(b.pos)+len(p) > b.pool.limit {
		f, err := os.CreateTemp(b.pool.dir, "page-*"+tmpSuffix)
		if err != nil {
			return 0, fmt.Errorf("page buffer: %w", err)
		}
		if _, err := f.Write(b.mem); err == nil {
			_, err = f.Seek(b.pos, io.SeekStart)
		}
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			return 0, fmt.Errorf("page buffer: %w", err)
		}
		b.f, b.mem = f, nil
	}
	if b.f != nil {
		return b.f.Write(p)
	}
	end := int(b.pos) + len(p)
	if end > len(b.mem) {
		b.mem = append(b.mem, make([]byte, end-len(b.mem))...)
	}
	copy(b.mem[b.pos:], p)
	b.pos = int64(end)
	return len(p), nil
}

func (b *pageBuffer) Read(p []byte) (int, error) {
	if b.f != nil {
		return b.f.Read(p)
	}
	if b.pos >= int64(len(b.mem)) {
		return 0, io.EOF
	}
	n := copy(p, b.mem[b.pos:])
	b.pos += int64(n)
	return n, nil
}

func (b *pageBuffer) Seek(offset int64, whence int) (int64, error) {
	if b.f != nil {
		return b.f.Seek(offset, whence)
	}
	switch whence {
	case io.SeekCurrent:
		offset += b.pos
	case io.SeekEnd:
		offset += int64(len(b.mem))
	}
	if offset < 0 {
		return 0, errors.New("page buffer: negative position")
	}
	b.pos = offset
	return offset, nil
}

func (b *pageBuffer) drop() {
	if b.f != nil {
		b.f.Close()
		os.Remove(b.f.Name())
		b.f = nil
	}
	b.mem, b.pos = nil, 0
}

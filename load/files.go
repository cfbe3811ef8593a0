package load

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/snappy"
)

// Row group limits of lake files (product.md "The lake on disk"); variables
// so tests can lower them.
var (
	maxRowGroupRows  int64 = 1_000_000
	maxRowGroupBytes int64 = 128 << 20
)

const (
	writeBatchRows = 64 // rows handed to parquet-go per WriteRows call
	readBatchRows  = 64 // rows read per ReadRows call
)

// lakePageSize is the page size of lake files: zstd compresses a page at a
// time, and 512 KiB pages compress JSON and id columns about 6% better than
// parquet-go's default 256 KiB (1 MiB, pqarrow's size, gains 4% more but
// every open column holds a page: a writer then needs twice the memory).
const lakePageSize = 512 << 10

// zstdCodec is shared by every writer, so its pool of encoders (each with
// its history window) is reused across files.
var zstdCodec = &lakeZstd{}

// fileKind selects the writer settings of a file.
type fileKind int

const (
	lakeFile  fileKind = iota // a visible lake file: zstd, sorted by id, page buffers on disk
	spillFile                 // a temporary sorted run: snappy, small pages, small row groups
	plainFile                 // a small visible file (run records, schema files): zstd
)

// fileWriter writes Parquet rows to a file under a temporary name, closing
// row groups at the lake's limits, and syncs the file on close.
type fileWriter struct {
	path     string
	f        *os.File
	w        *parquet.GenericWriter[any]
	batch    []parquet.Row
	n        int
	rgRows   int64
	rgBytes  int64
	maxRows  int64
	maxBytes int64
	rows     int64
}

// createFile creates path (which must not exist) and a Parquet writer on it.
// tmpDir holds page buffers of lake files.
func createFile(path string, schema *parquet.Schema, kind fileKind, tmpDir string) (*fileWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	opts := []parquet.WriterOption{
		schema,
		parquet.CreatedBy("atslake", "1", ""),
	}
	fw := &fileWriter{path: path, f: f, maxRows: maxRowGroupRows, maxBytes: maxRowGroupBytes}
	switch kind {
	case lakeFile:
		opts = append(opts,
			parquet.Compression(zstdCodec),
			parquet.PageBufferSize(lakePageSize),
			parquet.SortingWriterConfig(parquet.SortingColumns(parquet.Ascending("id"))),
			parquet.ColumnPageBuffers(&pagePool{dir: tmpDir, limit: pageBufferMemLimit}),
		)
	case spillFile:
		opts = append(opts,
			parquet.Compression(&snappy.Codec{}),
			parquet.PageBufferSize(64<<10),
			parquet.SortingWriterConfig(parquet.SortingColumns(parquet.Ascending("id"))),
		)
		fw.maxBytes = 8 << 20
	default:
		opts = append(opts, parquet.Compression(zstdCodec))
	}
	fw.w = parquet.NewGenericWriter[any](f, opts...)
	fw.batch = make([]parquet.Row, writeBatchRows)
	return fw, nil
}

// write adds a row (its values are copied, byte arrays are referenced until
// the next flush of the batch).
func (fw *fileWriter) write(row parquet.Row) error {
	fw.batch[fw.n] = append(fw.batch[fw.n][:0], row...)
	fw.n++
	fw.rows++
	fw.rgRows++
	fw.rgBytes += rowSize(row)
	if fw.rgRows >= fw.maxRows || fw.rgBytes >= fw.maxBytes {
		if err := fw.flushBatch(); err != nil {
			return err
		}
		fw.rgRows, fw.rgBytes = 0, 0
		if err := fw.w.Flush(); err != nil {
			return fmt.Errorf("write %s: close row group: %w", filepath.Base(fw.path), err)
		}
		return nil
	}
	if fw.n == len(fw.batch) {
		return fw.flushBatch()
	}
	return nil
}

func (fw *fileWriter) flushBatch() error {
	if fw.n == 0 {
		return nil
	}
	_, err := fw.w.WriteRows(fw.batch[:fw.n])
	for i := range fw.batch[:fw.n] {
		clear(fw.batch[i]) // drop references to the source buffers
	}
	fw.n = 0
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(fw.path), err)
	}
	return nil
}

// close finishes the file (without syncing it: see syncFiles).
func (fw *fileWriter) close() error {
	err := fw.flushBatch()
	if err == nil {
		err = fw.w.Close()
	}
	if cerr := fw.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(fw.path), err)
	}
	return nil
}

// discard abandons the file and removes it.
func (fw *fileWriter) discard() {
	fw.f.Close()
	os.Remove(fw.path)
}

// rowSource yields rows sorted by id, each id once. A row stays valid until
// the next call of next.
type rowSource interface {
	next() (parquet.Row, error) // io.EOF at the end
	close() error
}

// fileSource reads the rows of a Parquet file in order, converted to the
// wanted schema when the file was written with another one (columns added later).
type fileSource struct {
	path string
	f    *os.File
	pf   *parquet.File
	want *parquet.Schema
	rgs  []parquet.RowGroup
	rg   int
	rows parquet.Rows
	buf  []parquet.Row
	n, i int
}

func openSource(path string, want *parquet.Schema) (*fileSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &fileSource{path: path, f: f, pf: pf, want: want, rgs: pf.RowGroups(), buf: make([]parquet.Row, readBatchRows)}
	if want != nil && !parquet.EqualNodes(pf.Schema(), want) {
		conv, err := parquet.Convert(want, pf.Schema())
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("open %s: convert schema: %w", path, err)
		}
		for i, rg := range s.rgs {
			s.rgs[i] = parquet.ConvertRowGroup(rg, conv)
		}
	}
	return s, nil
}

func (s *fileSource) next() (parquet.Row, error) {
	for s.i >= s.n {
		if s.rows == nil {
			if s.rg >= len(s.rgs) {
				return nil, io.EOF
			}
			s.rows = s.rgs[s.rg].Rows()
			s.rg++
		}
		n, err := s.rows.ReadRows(s.buf)
		s.n, s.i = n, 0
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read %s: %w", s.path, err)
		}
		if err != nil || n == 0 {
			// The row group is done. Rows already read stay valid: their
			// values do not point into the reader's pages.
			s.rows.Close()
			s.rows = nil
		}
	}
	s.i++
	return s.buf[s.i-1], nil
}

func (s *fileSource) close() error {
	if s.rows != nil {
		s.rows.Close()
		s.rows = nil
	}
	return s.f.Close()
}

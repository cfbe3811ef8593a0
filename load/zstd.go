package load

import (
	"sync"

	kzstd "github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/parquet-go/parquet-go/format"
)

// zstdWindow bounds the history window of the zstd encoders. parquet-go
// compresses one page at a time and pages stay near the 256 KiB page buffer,
// so a 1 MiB window compresses them exactly as the default (8 MiB) window
// does, while an encoder holds about 3 MiB instead of 18 MiB: it matters
// because a pool of encoders lives through every commit and is refilled
// after each garbage collection.
const zstdWindow = 1 << 20

// lakeZstd is the zstd codec of lake and run files: parquet-go's codec at
// zstd.SpeedDefault with the encoder window above. Decoding is parquet-go's.
type lakeZstd struct {
	encoders sync.Pool // *kzstd.Encoder
	dec      zstd.Codec
}

func (c *lakeZstd) String() string { return "ZSTD" }

func (c *lakeZstd) CompressionCodec() format.CompressionCodec { return format.Zstd }

func (c *lakeZstd) Encode(dst, src []byte) ([]byte, error) {
	e, _ := c.encoders.Get().(*kzstd.Encoder)
	if e == nil {
		var err error
		e, err = kzstd.NewWriter(nil,
			kzstd.WithEncoderConcurrency(1),
			kzstd.WithEncoderLevel(kzstd.SpeedDefault),
			kzstd.WithZeroFrames(true),
			kzstd.WithEncoderCRC(false),
			kzstd.WithWindowSize(zstdWindow),
			// Entropy-code literals however few: ids and JSON text are mostly
			// literals (pqarrow sets this too).
			kzstd.WithAllLitEntropyCompression(true),
		)
		if err != nil {
			return nil, err
		}
	}
	out := e.EncodeAll(src, dst[:0])
	c.encoders.Put(e)
	return out, nil
}

func (c *lakeZstd) Decode(dst, src []byte) ([]byte, error) { return c.dec.Decode(dst, src) }

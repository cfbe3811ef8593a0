//go:build !unix

package load

import (
	"errors"
	"fmt"
	"os"
)

// lockFile is not implemented outside Unix: atslake writes lakes on Linux and macOS.
func lockFile(path, connection string) (*os.File, error) {
	return nil, fmt.Errorf("lock connection %s: %w", connection, errors.ErrUnsupported)
}

func unlockFile(f *os.File) error { return f.Close() }

package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/values"
)

// stdinOnce hands out standard input to the one argument that names it ("-").
type stdinOnce struct {
	r    io.Reader
	used bool
}

// readInput reads a values input: a file, or standard input for "-". It reads
// one byte past the size limit, so the parser reports an over-large file
// without it ever being held whole in memory.
func readInput(name string, stdin *stdinOnce) (check.Input, error) {
	if name == "-" {
		if stdin.used {
			return check.Input{}, errors.New(`standard input ("-") can be read only once`)
		}
		stdin.used = true
		data, err := io.ReadAll(io.LimitReader(stdin.r, values.MaxFileSize+1))
		if err != nil {
			return check.Input{}, fmt.Errorf("reading standard input: %w", err)
		}
		return check.Input{Name: "<stdin>", Data: data}, nil
	}
	data, err := readLimited(name)
	if err != nil {
		return check.Input{}, err
	}
	return check.Input{Name: name, Data: data}, nil
}

// readLimited reads a values file or a --set-file file, at most one byte past the
// values size limit (the parser, or --set-file, reports a larger one).
func readLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a values file", name)
	}
	return io.ReadAll(io.LimitReader(f, values.MaxFileSize+1))
}

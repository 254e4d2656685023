package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "deepcopy-gen: %v\n", err)
		os.Exit(1)
	}
}

// errStale is returned in -check mode when the file on disk differs from what would be written.
var errStale = errors.New("generated file is out of date; run go generate")

// run parses the flags and generates, or checks, the output file of one package.
func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("deepcopy-gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", ".", "directory of the package to generate for")
	output := fs.String("o", "zz_generated.deepcopy.go", "name of the generated file, in the package directory")
	check := fs.Bool("check", false, "write nothing; fail if the generated file is missing or out of date")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: deepcopy-gen [-dir DIR] [-o FILE] [-check]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if filepath.Base(*output) != *output {
		return fmt.Errorf("-o %q: want a file name, not a path", *output)
	}
	src, err := generate(*dir, *output)
	if err != nil {
		return err
	}
	path := filepath.Join(*dir, *output)
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	exists := err == nil
	if *check {
		if !bytes.Equal(old, src) || (src == nil && exists) {
			return fmt.Errorf("%s: %w", path, errStale)
		}
		return nil
	}
	if src == nil {
		// Nothing to generate: remove a previous output, but only one this tool wrote.
		if exists && bytes.HasPrefix(old, []byte(header)) {
			return os.Remove(path)
		}
		return nil
	}
	if exists && bytes.Equal(old, src) {
		return nil
	}
	return os.WriteFile(path, src, 0o644)
}

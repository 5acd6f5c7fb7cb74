// Package repofiles checks what the repository tracks: no built
// executables (a binary belongs in a release, not in git), and ignore
// rules that keep the ones go build writes at the top out of it.
package repofiles

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Tracked lists the files git tracks under root, with their git modes
// (100644, 100755, 120000 for symlinks).
func Tracked(ctx context.Context, git, root string) (map[string]string, error) {
	out, err := exec.CommandContext(ctx, git, "-C", root, "ls-files", "-s", "-z").Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files in %s: %w", root, err)
	}
	files := map[string]string{}
	for _, entry := range bytes.Split(out, []byte{0}) {
		// "<mode> <object> <stage>\t<path>"
		meta, path, ok := bytes.Cut(entry, []byte{'\t'})
		if !ok {
			continue
		}
		mode, _, _ := bytes.Cut(meta, []byte{' '})
		files[string(path)] = string(mode)
	}
	return files, nil
}

// Executables lists the tracked files that are built executables: ELF,
// Mach-O or PE by their first bytes, or marked executable without being a
// script (a #! line).
func Executables(ctx context.Context, git, root string) ([]string, error) {
	files, err := Tracked(ctx, git, root)
	if err != nil {
		return nil, err
	}
	var out []string
	for path, mode := range files {
		if mode == "120000" {
			continue // a symlink's content is its target's name
		}
		head, err := readHead(filepath.Join(root, filepath.FromSlash(path)))
		if err != nil {
			return nil, err
		}
		if kind := executableFormat(head); kind != "" {
			out = append(out, path+" ("+kind+")")
		} else if mode == "100755" && !bytes.HasPrefix(head, []byte("#!")) {
			out = append(out, path+" (mode 755 without a #! line)")
		}
	}
	return out, nil
}

func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return buf[:n], nil
}

// executableFormat names the executable format head starts with, or "".
func executableFormat(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return "ELF"
	case len(head) >= 4 && machO(head):
		return "Mach-O"
	case len(head) >= 0x40 && bytes.HasPrefix(head, []byte("MZ")):
		// A PE file's DOS header points at its "PE\0\0" signature.
		off := int(binary.LittleEndian.Uint32(head[0x3c:]))
		if off+4 <= len(head) && bytes.Equal(head[off:off+4], []byte("PE\x00\x00")) {
			return "PE"
		}
	}
	return ""
}

func machO(head []byte) bool {
	switch binary.BigEndian.Uint32(head) {
	case 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabf:
		return true
	case 0xcafebabe:
		// Also a Java class file's magic; a universal binary follows it
		// with a small architecture count where a class file has its
		// version (45 and up).
		return len(head) >= 8 && binary.BigEndian.Uint32(head[4:]) < 45
	}
	return false
}

// Unignored lists which of names (paths relative to root) git would not
// ignore.
func Unignored(ctx context.Context, git, root string, names []string) ([]string, error) {
	cmd := exec.CommandContext(ctx, git, "-C", root, "check-ignore", "--no-index", "--stdin", "-z")
	cmd.Stdin = strings.NewReader(strings.Join(names, "\x00") + "\x00")
	out, err := cmd.Output()
	// Exit status 1: none of them is ignored.
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
		return nil, fmt.Errorf("git check-ignore: %w", err)
	}
	ignored := map[string]bool{}
	for _, p := range strings.Split(string(out), "\x00") {
		ignored[p] = true
	}
	var not []string
	for _, n := range names {
		if !ignored[n] {
			not = append(not, n)
		}
	}
	return not, nil
}

// Package release_test checks the release artifacts .goreleaser.yaml makes
// with the pinned goreleaser: its own config check, a snapshot build of every
// binary for this platform, and the archives and checksums of a snapshot
// release, installed by plugin/install.sh (the Helm plugin's install hook and
// the GitHub Action) from a local HTTP server.
package release_test

import (
	"debug/elf"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

var repoRoot = testtools.RepoRoot()

// config is the part of .goreleaser.yaml these tests check.
type config struct {
	Builds []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		ID  string   `yaml:"id"`
		IDs []string `yaml:"ids"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
}

func readConfig(t *testing.T) config {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, ".goreleaser.yaml"))
	require.NoError(t, err)
	var c config
	require.NoError(t, yaml.Unmarshal(data, &c))
	return c
}

// TestConfig: every command of the module is released, static, for
// linux/darwin/windows on amd64/arm64, in its own archive, with its version
// stamped into a `var version` that its main package declares (-X on a
// missing variable does nothing, silently).
func TestConfig(t *testing.T) {
	c := readConfig(t)
	commands, err := filepath.Glob(filepath.Join(repoRoot, "cmd", "*"))
	require.NoError(t, err)
	var want, got, archived []string
	for _, dir := range commands {
		want = append(want, filepath.Base(dir))
	}
	for _, a := range c.Archives {
		archived = append(archived, a.IDs...)
	}
	for _, b := range c.Builds {
		got = append(got, b.ID)
		assert.Equal(t, "./cmd/"+b.ID, b.Main, "build %s", b.ID)
		assert.Equal(t, b.ID, b.Binary, "build %s", b.ID)
		assert.Contains(t, b.Env, "CGO_ENABLED=0", "build %s: static", b.ID)
		assert.Contains(t, b.Flags, "-trimpath", "build %s", b.ID)
		assert.Equal(t, []string{"linux", "darwin", "windows"}, b.Goos, "build %s", b.ID)
		assert.Equal(t, []string{"amd64", "arm64"}, b.Goarch, "build %s", b.ID)
		assert.Contains(t, strings.Join(b.Ldflags, " "), "-X main.version={{ .Version }}", "build %s", b.ID)
		assert.True(t, declaresVersion(t, filepath.Join(repoRoot, b.Main)),
			"%s declares no package-level `var version string`: goreleaser's -X main.version would do nothing; declare it and print it for --version, as cmd/valuescheck does", b.Main)
	}
	slices.Sort(got)
	slices.Sort(archived)
	assert.Equal(t, want, got, "every command under cmd/ is built")
	assert.Equal(t, want, archived, "every build is in an archive")
	assert.Equal(t, "checksums.txt", c.Checksum.NameTemplate, "plugin/install.sh downloads checksums.txt")
	assert.Equal(t, "sha256", c.Checksum.Algorithm, "plugin/install.sh verifies SHA-256")
}

// declaresVersion reports whether the Go package in dir declares a
// package-level variable named version.
func declaresVersion(t *testing.T, dir string) bool {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), dir, func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	require.NoError(t, err)
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, decl := range f.Decls {
				gen, ok := decl.(*ast.GenDecl)
				if !ok || gen.Tok != token.VAR {
					continue
				}
				for _, spec := range gen.Specs {
					for _, name := range spec.(*ast.ValueSpec).Names {
						if name.Name == "version" {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// TestCheck runs goreleaser's own validation of .goreleaser.yaml.
func TestCheck(t *testing.T) {
	got := run(t, env(), repoRoot, testtools.GoReleaser(t), "check")
	assert.Equal(t, 0, got.Code, "goreleaser check:\n%s%s", got.Stdout, got.Stderr)
}

// run runs a command for this package's tests, bounded by a timeout.
func run(t *testing.T, env []string, dir, name string, args ...string) testtools.Result {
	t.Helper()
	return testtools.Run(t, 15*time.Minute, env, dir, name, args...)
}

// env is the environment without what would change goreleaser's or the
// install script's target (GOOS, GOARCH, a token, a release mirror), and with
// a git of its own.
func env(extra ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "GOOS", name == "GOARCH", name == "TARGET", strings.HasSuffix(name, "_TOKEN"), strings.HasPrefix(name, "VALUESCHECK_"), strings.HasPrefix(name, "GIT_"):
			continue
		}
		out = append(out, kv)
	}
	return append(out, append([]string{"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}, extra...)...)
}

// snapshotRepo is a git repository of a copy of the working tree, with the
// remote a release has, made once: goreleaser reads the commit and the tag
// from git.
var snapshotRepo = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "milvus-coord-release-")
	if err != nil {
		return "", err
	}
	tree := filepath.Join(dir, "milvus-coord")
	if err := testtools.CopyTree(repoRoot, tree, ".git", ".tools", "bin", "plugin/bin", "dist"); err != nil {
		return dir, err
	}
	for _, args := range [][]string{
		{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "working tree"},
		{"remote", "add", "origin", "https://github.com/milvus-coord/milvus-coord.git"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = tree, env()
		if out, err := cmd.CombinedOutput(); err != nil {
			return dir, errors.New("git " + strings.Join(args, " ") + ": " + err.Error() + "\n" + string(out))
		}
	}
	return tree, nil
})

func TestMain(m *testing.M) {
	code := m.Run()
	if tree, _ := snapshotRepo(); tree != "" {
		os.RemoveAll(filepath.Dir(tree))
	}
	os.Exit(code)
}

// artifact is one entry of goreleaser's dist/artifacts.json.
type artifact struct {
	Name, Path, Goos, Goarch, Type string
	Extra                          map[string]any
}

func artifacts(t *testing.T, dist string) []artifact {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dist, "artifacts.json"))
	require.NoError(t, err)
	var out []artifact
	require.NoError(t, json.Unmarshal(data, &out))
	return out
}

// distVersion is the version goreleaser stamped, from dist/metadata.json.
func distVersion(t *testing.T, dist string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dist, "metadata.json"))
	require.NoError(t, err)
	var md struct{ Version string }
	require.NoError(t, json.Unmarshal(data, &md))
	require.NotEmpty(t, md.Version)
	return md.Version
}

// TestSnapshotBuild builds every binary for this platform as a release would
// (goreleaser build --snapshot --single-target) and runs it: --version prints
// the stamped version, and on Linux the binary is static.
func TestSnapshotBuild(t *testing.T) {
	goreleaser := testtools.GoReleaser(t)
	tree, err := snapshotRepo()
	require.NoError(t, err)
	dist := filepath.Join(t.TempDir(), "dist")
	got := run(t, env(), tree, goreleaser, "build", "--snapshot", "--clean", "--single-target", "--config", filepath.Join(tree, ".goreleaser.yaml"), "--parallelism", "2")
	require.Equal(t, 0, got.Code, "goreleaser build:\n%s%s", got.Stdout, got.Stderr)
	require.NoError(t, os.Rename(filepath.Join(tree, "dist"), dist))
	version := distVersion(t, dist)
	assert.Contains(t, version, "-snapshot+", "the snapshot version_template")

	built := map[string]bool{}
	for _, a := range artifacts(t, dist) {
		if a.Type != "Binary" {
			continue
		}
		built[a.Name] = true
		assert.Equal(t, runtime.GOOS+"/"+runtime.GOARCH, a.Goos+"/"+a.Goarch, a.Name)
		bin := filepath.Join(dist, strings.TrimPrefix(filepath.ToSlash(a.Path), "dist/"))
		out := run(t, env(), tree, bin, "--version")
		assert.Equal(t, 0, out.Code, "%s --version: %s", a.Name, out.Stderr)
		assert.Equal(t, strings.TrimSuffix(a.Name, ".exe")+" "+version+"\n", out.Stdout, "%s --version prints the stamped version", a.Name)
		if runtime.GOOS == "linux" {
			f, err := elf.Open(bin)
			require.NoError(t, err)
			for _, p := range f.Progs {
				assert.NotEqual(t, elf.PT_INTERP, p.Type, "%s is linked dynamically (CGO_ENABLED=0 makes it static)", a.Name)
			}
			f.Close()
		}
	}
	var ids []string
	for _, b := range readConfig(t).Builds {
		ids = append(ids, b.Binary)
		assert.True(t, built[b.Binary], "goreleaser built no %s", b.Binary)
	}
	assert.Len(t, built, len(ids))
}

// TestReleaseInstall makes a snapshot release for this platform (the archives
// and checksums.txt of .goreleaser.yaml, its builds narrowed to this
// platform), serves it from 127.0.0.1 and installs valuescheck from it with
// plugin/install.sh: the download path of the Helm plugin and the GitHub
// Action. A checksum that does not match, or none, is refused.
func TestReleaseInstall(t *testing.T) {
	goreleaser := testtools.GoReleaser(t)
	tree, err := snapshotRepo()
	require.NoError(t, err)

	// The repository's config with every build narrowed to this platform.
	data, err := os.ReadFile(filepath.Join(tree, ".goreleaser.yaml"))
	require.NoError(t, err)
	var cfg map[string]any
	require.NoError(t, yaml.Unmarshal(data, &cfg))
	builds, ok := cfg["builds"].([]any)
	require.True(t, ok, "builds is a list")
	for _, b := range builds {
		b.(map[string]any)["goos"] = []string{runtime.GOOS}
		b.(map[string]any)["goarch"] = []string{runtime.GOARCH}
	}
	narrowed, err := yaml.Marshal(cfg)
	require.NoError(t, err)
	config := filepath.Join(t.TempDir(), "goreleaser.yaml")
	require.NoError(t, os.WriteFile(config, narrowed, 0o644))

	got := run(t, env(), tree, goreleaser, "release", "--snapshot", "--clean", "--config", config, "--parallelism", "2")
	require.Equal(t, 0, got.Code, "goreleaser release --snapshot:\n%s%s", got.Stdout, got.Stderr)
	dist := filepath.Join(t.TempDir(), "dist")
	require.NoError(t, os.Rename(filepath.Join(tree, "dist"), dist))
	version := distVersion(t, dist)
	checksums, err := os.ReadFile(filepath.Join(dist, "checksums.txt"))
	require.NoError(t, err)
	archive := "valuescheck_" + version + "_" + runtime.GOOS + "_" + runtime.GOARCH + ".tar.gz"
	require.Contains(t, string(checksums), "  "+archive+"\n", "checksums.txt lists the archive install.sh downloads")

	// The check the README tells users to run on a download.
	sums := run(t, env(), dist, "sh", "-c", "sha256sum --ignore-missing -c checksums.txt")
	assert.Equal(t, 0, sums.Code, "%s%s", sums.Stdout, sums.Stderr)
	assert.Contains(t, sums.Stdout, archive+": OK")

	// serve serves dist, with checksums.txt replaced by sums.
	serve := func(sums string) string {
		files := http.FileServer(http.Dir(dist))
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/checksums.txt" {
				_, _ = w.Write([]byte(sums))
				return
			}
			files.ServeHTTP(w, r)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	install := func(url string) (testtools.Result, string) {
		dest := filepath.Join(t.TempDir(), "bin")
		return run(t, env("VALUESCHECK_RELEASE_URL="+url, "VALUESCHECK_VERSION="+version), tree,
			"sh", filepath.Join(repoRoot, "plugin", "install.sh"), dest), dest
	}

	t.Run("verified", func(t *testing.T) {
		got, dest := install(serve(string(checksums)))
		require.Equal(t, 0, got.Code, "%s%s", got.Stdout, got.Stderr)
		assert.Contains(t, got.Stdout, archive+" from ")
		assert.Contains(t, got.Stdout, " verified\n")
		assert.NotContains(t, got.Stderr, "building from source")
		assert.True(t, strings.HasSuffix(got.Stdout, "valuescheck "+version+"\n"), "the release binary is installed:\n%s", got.Stdout)
		out := run(t, env(), tree, filepath.Join(dest, "valuescheck"), "examples/production-ha.yaml")
		assert.Equal(t, 0, out.Code, out.Stdout)
	})

	t.Run("checksum mismatch", func(t *testing.T) {
		var forged []string
		for _, line := range strings.Split(strings.TrimSpace(string(checksums)), "\n") {
			if strings.HasSuffix(line, "  "+archive) {
				line = strings.Repeat("0", 64) + "  " + archive
			}
			forged = append(forged, line)
		}
		got, dest := install(serve(strings.Join(forged, "\n") + "\n"))
		assert.Equal(t, 1, got.Code, "%s%s", got.Stdout, got.Stderr)
		assert.Contains(t, got.Stderr, "checksum mismatch for ")
		assert.Contains(t, got.Stderr, "checksums.txt says "+strings.Repeat("0", 64)+", the download is ")
		assert.NotContains(t, got.Stderr, "building from source", "a bad download is refused, not replaced")
		assert.NoFileExists(t, filepath.Join(dest, "valuescheck"))
	})

	t.Run("no checksum", func(t *testing.T) {
		got, dest := install(serve("0000  some-other-file.tar.gz\n"))
		assert.Equal(t, 1, got.Code, "%s%s", got.Stdout, got.Stderr)
		assert.Contains(t, got.Stderr, "/checksums.txt has no checksum for "+archive+": not installing it")
		assert.NoFileExists(t, filepath.Join(dest, "valuescheck"))
	})
}

// Package plugin_test installs the Helm plugin (plugin.yaml, plugin/) from a
// copy of the working tree into a throwaway HELM_PLUGINS with the pinned Helm,
// the way `helm plugin install <clone>` does, and runs it on the examples.
// No release is reachable here, so the install hook builds valuescheck from
// source; tests/release covers the download of release archives.
package plugin_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

var repoRoot = testtools.RepoRoot()

// pluginMetadata is the part of plugin.yaml this plugin uses, as Helm v3.22
// reads it (pkg/plugin.Metadata); the install in TestPlugin runs Helm's own
// strict loader on the file.
type pluginMetadata struct {
	Name            string                       `yaml:"name"`
	Version         string                       `yaml:"version"`
	Usage           string                       `yaml:"usage"`
	Description     string                       `yaml:"description"`
	IgnoreFlags     bool                         `yaml:"ignoreFlags"`
	PlatformCommand []platformCommand            `yaml:"platformCommand"`
	PlatformHooks   map[string][]platformCommand `yaml:"platformHooks"`
}

type platformCommand struct {
	OS      string   `yaml:"os"`
	Arch    string   `yaml:"arch"`
	Command string   `yaml:"command"`
	Args    []string `yaml:"args"`
}

// TestPluginYAML: plugin.yaml names the plugin valuescheck, and its command and
// its install and update hooks run the scripts in plugin/ with sh on Linux and
// macOS (Helm runs them without a shell, so a path with spaces stays one
// argument).
func TestPluginYAML(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "plugin.yaml"))
	require.NoError(t, err)
	var md pluginMetadata
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&md))
	assert.Equal(t, "valuescheck", md.Name, "the plugin is `helm valuescheck`")
	assert.Regexp(t, `^\d+\.\d+\.\d+$`, md.Version, "the release the install hook downloads (v<version>)")
	assert.NotEmpty(t, md.Usage)
	assert.False(t, md.IgnoreFlags, "flags go on to valuescheck")

	scripts := map[string]bool{}
	for _, c := range md.PlatformCommand {
		scripts[c.OS+"/"+c.Arch+" command: "+c.Command+" "+strings.Join(c.Args, " ")] = true
	}
	for event, cmds := range md.PlatformHooks {
		for _, c := range cmds {
			scripts[c.OS+"/"+c.Arch+" "+event+": "+c.Command+" "+strings.Join(c.Args, " ")] = true
		}
	}
	assert.Equal(t, map[string]bool{
		"linux/ command: sh $HELM_PLUGIN_DIR/plugin/valuescheck.sh":                          true,
		"darwin/ command: sh $HELM_PLUGIN_DIR/plugin/valuescheck.sh":                         true,
		"linux/ install: sh $HELM_PLUGIN_DIR/plugin/install.sh $HELM_PLUGIN_DIR/plugin/bin":  true,
		"darwin/ install: sh $HELM_PLUGIN_DIR/plugin/install.sh $HELM_PLUGIN_DIR/plugin/bin": true,
		"linux/ update: sh $HELM_PLUGIN_DIR/plugin/install.sh $HELM_PLUGIN_DIR/plugin/bin":   true,
		"darwin/ update: sh $HELM_PLUGIN_DIR/plugin/install.sh $HELM_PLUGIN_DIR/plugin/bin":  true,
	}, scripts)
	for _, script := range []string{"plugin/valuescheck.sh", "plugin/install.sh"} {
		assert.FileExists(t, filepath.Join(repoRoot, script))
	}
}

// helmEnv is a Helm of its own: plugins, config, data and cache in dir, no
// kubeconfig, nothing inherited from the caller's Helm or valuescheck setup.
type helmEnv struct {
	helm, dir string
	env       []string
}

func newHelmEnv(t *testing.T, extra ...string) *helmEnv {
	t.Helper()
	dir := t.TempDir()
	env := append(cleanEnv(),
		"HELM_PLUGINS="+filepath.Join(dir, "plugins"),
		"HELM_CONFIG_HOME="+filepath.Join(dir, "config"),
		"HELM_DATA_HOME="+filepath.Join(dir, "data"),
		"HELM_CACHE_HOME="+filepath.Join(dir, "cache"),
		"KUBECONFIG="+filepath.Join(dir, "no-kubeconfig"),
	)
	return &helmEnv{helm: testtools.Helm(t), dir: dir, env: append(env, extra...)}
}

// cleanEnv is the environment without the caller's Helm, kubeconfig and
// valuescheck install settings.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "HELM_") || strings.HasPrefix(name, "VALUESCHECK_") || name == "KUBECONFIG" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// run runs a command for this package's tests, bounded by a timeout.
func run(t *testing.T, env []string, dir, name string, args ...string) testtools.Result {
	t.Helper()
	return testtools.Run(t, 5*time.Minute, env, dir, name, args...)
}

func (h *helmEnv) run(t *testing.T, dir string, args ...string) testtools.Result {
	t.Helper()
	return run(t, h.env, dir, h.helm, args...)
}

// noRelease serves 404 for everything: a release that does not exist, so
// that the install hook builds from source whatever the network offers.
func noRelease(t *testing.T) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	return srv.URL + "/no-release"
}

// TestPlugin installs the plugin from a copy of the working tree and runs it
// as users do: on the examples, with Helm's -n and kubeconfig namespace, and
// with every subcommand valuescheck has.
func TestPlugin(t *testing.T) {
	tree := filepath.Join(t.TempDir(), "milvus-coord")
	require.NoError(t, testtools.CopyTree(repoRoot, tree, ".git", ".tools", "bin", "plugin/bin", "dist"))
	h := newHelmEnv(t, "VALUESCHECK_RELEASE_URL="+noRelease(t))

	install := h.run(t, h.dir, "plugin", "install", tree)
	require.Equal(t, 0, install.Code, "helm plugin install:\n%s%s", install.Stdout, install.Stderr)
	assert.Contains(t, install.Stderr, "no release 0.1.0 to download", "the hook says why it builds")
	assert.Contains(t, install.Stderr, "building from source in ")
	assert.Contains(t, install.Stdout, "Installed plugin: valuescheck")
	bin := filepath.Join(tree, "plugin", "bin", "valuescheck")
	require.FileExists(t, bin, "a local install links the plugin directory: the hook builds into the tree")

	list := h.run(t, h.dir, "plugin", "list")
	require.Equal(t, 0, list.Code, list.Stderr)
	assert.Regexp(t, `(?m)^valuescheck\s+0\.1\.0\s`, list.Stdout)

	// direct runs the installed binary itself, from the top of the tree.
	direct := func(args ...string) testtools.Result { return run(t, h.env, tree, bin, args...) }

	t.Run("examples", func(t *testing.T) {
		examples, err := filepath.Glob(filepath.Join(tree, "examples", "*.yaml"))
		require.NoError(t, err)
		require.NotEmpty(t, examples)
		cases := [][]string{{"examples/broken/common-mistakes.yaml"}, {"-o", "github", "examples/broken/common-mistakes.yaml"}, {"no-such-file.yaml"},
			{"-f", "examples/overlays/base.yaml", "examples/overlays/staging.yaml", "examples/overlays/prod.yaml"}}
		for _, e := range examples {
			cases = append(cases, []string{"examples/" + filepath.Base(e)})
		}
		for _, args := range cases {
			got := h.run(t, tree, append([]string{"valuescheck"}, args...)...)
			want := direct(append([]string{"--namespace", "default"}, args...)...)
			assert.Equal(t, want.Code, got.Code, "helm valuescheck %v: the exit code of valuescheck", args)
			assert.Equal(t, want.Stdout, got.Stdout, "helm valuescheck %v", args)
			assert.Contains(t, got.Stderr, want.Stderr, "helm valuescheck %v: valuescheck's errors, then Helm's own line", args)
			if strings.HasPrefix(args[0], "examples/") && !strings.Contains(args[0], "broken") {
				assert.Equal(t, 0, got.Code, "%v: every example passes\n%s", args, got.Stdout)
			}
		}
		assert.Equal(t, 1, h.run(t, tree, "valuescheck", "examples/broken/common-mistakes.yaml").Code, "findings fail")
		assert.Equal(t, 2, h.run(t, tree, "valuescheck", "no-such-file.yaml").Code, "I/O errors are exit code 2")
	})

	t.Run("namespace from -n", func(t *testing.T) {
		got := h.run(t, tree, "-n", "milvus", "valuescheck", "render", "examples/dev.yaml")
		require.Equal(t, 0, got.Code, got.Stderr)
		want := direct("render", "--namespace", "milvus", "examples/dev.yaml")
		assert.Equal(t, want.Stdout, got.Stdout)
		assert.Contains(t, got.Stdout, "namespace: milvus")
	})

	t.Run("namespace like helm template", func(t *testing.T) {
		// Without -n, Helm takes the namespace of the kubeconfig's context:
		// the plugin renders in it, as `helm template` does.
		kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
		require.NoError(t, os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {}}]
contexts: [{name: ctx, context: {cluster: c, user: u, namespace: from-kubeconfig}}]
current-context: ctx
`), 0o600))
		got := h.run(t, tree, "--kubeconfig", kubeconfig, "valuescheck", "render", "examples/production-ha.yaml")
		require.Equal(t, 0, got.Code, got.Stderr)
		// Helm passes plugins no Kubernetes version: valuescheck renders for
		// its default, v1.37.0, what a released Helm v3.22.0 defaults to (the
		// version of its client-go). The pinned Helm is built with `go
		// install`, without the release's -ldflags, and defaults to v1.20.0.
		template := h.run(t, tree, "--kubeconfig", kubeconfig, "template", "release-name", "./charts/milvus-coord", "-f", "examples/production-ha.yaml", "--kube-version", "v1.37.0")
		require.Equal(t, 0, template.Code, template.Stderr)
		assert.Equal(t, template.Stdout, got.Stdout, "helm valuescheck render == helm template, namespace included")
		assert.Contains(t, got.Stdout, "namespace: from-kubeconfig")
	})

	t.Run("subcommands", func(t *testing.T) {
		// Every subcommand valuescheck lists reaches it unchanged, and gets
		// Helm's namespace exactly when it has a --namespace flag. A new
		// subcommand without --namespace must be in plugin/valuescheck.sh's
		// pass-through list.
		usage := direct("--help")
		require.Equal(t, 0, usage.Code)
		subs := []string{""}
		for _, m := range regexp.MustCompile(`(?m)^\s+valuescheck ([a-z][a-z-]*)\b`).FindAllStringSubmatch(usage.Stdout, -1) {
			subs = append(subs, m[1])
		}
		require.Greater(t, len(subs), 2, "valuescheck --help lists its subcommands as `  valuescheck NAME ...`:\n%s", usage.Stdout)
		for _, sub := range subs {
			args := []string{"--help"}
			if sub != "" {
				args = []string{sub, "--help"}
			}
			want := direct(args...)
			require.Equal(t, 0, want.Code, "valuescheck %v", args)
			got := h.run(t, tree, append([]string{"--debug", "-n", "probe", "valuescheck"}, args...)...)
			assert.Equal(t, 0, got.Code, "helm valuescheck %v:\n%s", args, got.Stderr)
			assert.Equal(t, want.Stdout, got.Stdout, "helm valuescheck %v: add %q to the pass-through subcommands of plugin/valuescheck.sh", args, sub)
			line := regexp.MustCompile(`(?m)^helm valuescheck: .*$`).FindString(got.Stderr)
			require.NotEmpty(t, line, "helm --debug valuescheck prints the command line it runs:\n%s", got.Stderr)
			takesNamespace := strings.Contains(want.Stdout, "--namespace")
			assert.Equal(t, takesNamespace, strings.Contains(line, " --namespace probe"), "helm valuescheck %v: %s", args, line)
		}
	})
}

// TestPluginFromGit installs the plugin the way `helm plugin install
// https://github.com/milvus-coord/milvus-coord` does (Helm's VCS installer
// clones the repository into HELM_PLUGINS), from a git repository of a copy of
// the working tree, then updates it: the update hook installs valuescheck
// again.
func TestPluginFromGit(t *testing.T) {
	repo := filepath.Join(t.TempDir(), "milvus-coord")
	require.NoError(t, testtools.CopyTree(repoRoot, repo, ".git", ".tools", "bin", "plugin/bin", "dist"))
	gitEnv := cleanEnv("GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "working tree"}} {
		got := run(t, gitEnv, repo, "git", args...)
		require.Equal(t, 0, got.Code, "git %v: %s", args, got.Stderr)
	}
	h := newHelmEnv(t, "VALUESCHECK_RELEASE_URL="+noRelease(t))
	install := h.run(t, h.dir, "plugin", "install", "file://"+repo)
	require.Equal(t, 0, install.Code, "%s%s", install.Stdout, install.Stderr)
	bin := filepath.Join(h.dir, "plugins", "milvus-coord", "plugin", "bin", "valuescheck")
	require.FileExists(t, bin, "the hook builds into the clone in HELM_PLUGINS")
	got := h.run(t, repo, "valuescheck", "examples/production-ha.yaml")
	assert.Equal(t, 0, got.Code, "%s%s", got.Stdout, got.Stderr)

	require.NoError(t, os.Remove(bin))
	update := h.run(t, h.dir, "plugin", "update", "valuescheck")
	require.Equal(t, 0, update.Code, "%s%s", update.Stdout, update.Stderr)
	assert.Contains(t, update.Stdout, "Updated plugin: valuescheck")
	assert.FileExists(t, bin, "the update hook installs valuescheck again")
}

// TestPluginWithoutBinary: the plugin says what to do when its install hook
// did not leave a binary (it failed, or the directory was copied without it).
func TestPluginWithoutBinary(t *testing.T) {
	dir := t.TempDir()
	got := run(t, cleanEnv("HELM_PLUGIN_DIR="+dir, "HELM_NAMESPACE=default"), dir, "sh", filepath.Join(repoRoot, "plugin", "valuescheck.sh"), "values.yaml")
	assert.Equal(t, 2, got.Code)
	assert.Equal(t, "helm valuescheck: "+filepath.Join(dir, "plugin", "bin", "valuescheck")+
		" is missing (its install hook failed?): run `helm plugin update valuescheck`, or uninstall the plugin and install it again\n", got.Stderr)
}

// TestInstallWithoutGo: with no release to download and no Go to build with,
// the hook fails and says both.
func TestInstallWithoutGo(t *testing.T) {
	// A PATH with the tools the script needs, but no go.
	path := t.TempDir()
	for _, tool := range []string{"sh", "uname", "tr", "sed", "mktemp", "rm", "mkdir", "tail", "dirname", "curl"} {
		p, err := exec.LookPath(tool)
		require.NoError(t, err, "the install script needs %s", tool)
		require.NoError(t, os.Symlink(p, filepath.Join(path, tool)))
	}
	env := cleanEnv("VALUESCHECK_RELEASE_URL="+noRelease(t), "PATH="+path)
	dest := filepath.Join(t.TempDir(), "bin")
	got := run(t, env, repoRoot, filepath.Join(path, "sh"), filepath.Join(repoRoot, "plugin", "install.sh"), dest)
	assert.Equal(t, 1, got.Code, got.Stderr)
	assert.Contains(t, got.Stderr, "no release 0.1.0 to download (")
	assert.Contains(t, got.Stderr, "404")
	assert.True(t, strings.HasSuffix(got.Stderr, "valuescheck install: go is not on PATH: install the Go version go.mod names, or download a release binary\n"), got.Stderr)
	assert.NoFileExists(t, filepath.Join(dest, "valuescheck"))
}

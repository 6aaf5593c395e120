package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// expect is what the tests do with one command of the READMEs: run it from
// the top of the repository and expect its exit code, or leave it to what
// covered names (a non-empty reason).
type expect struct {
	exit    int
	covered string
}

// readmeCommands lists every command in the READMEs' ```sh blocks and in the
// run steps of the workflow snippet. A command missing here fails
// TestReadmeCommands: run it, or say what covers it and why it is not run here.
var readmeCommands = map[string]expect{
	// coordctl and the page's local experiment.
	"go build -o bin/coordctl ./cmd/coordctl     # or: make build":                                       {exit: 0},
	"kubectl -n milvus port-forward svc/milvus-etcd 2379:2379 &":                                         {covered: "needs a cluster: cmd/coordctl tests run status and watch against the pinned etcd on 127.0.0.1"},
	"coordctl status --etcd 127.0.0.1:2379       # the default --etcd":                                   {covered: "needs the cluster's etcd: cmd/coordctl (TestStatus) runs it against the pinned etcd with sessions written as Milvus writes them"},
	"valuescheck render --format local --output-dir ha my-local-values.yaml":                             {covered: "needs the reader's values file: internal/localrun (TestBuild) and cmd/valuescheck cover --format local"},
	"export MINIO_ACCESS_KEY_ID=minioadmin MINIO_SECRET_ACCESS_KEY=minioadmin":                           {covered: "sets the shell environment of the walk-through; internal/localrun tests run.sh with it"},
	"MILVUS=/path/to/milvus ./ha/run.sh start   # every replica, logs in ha/<name>/milvus.log":           {covered: "needs a Milvus binary: internal/localrun runs run.sh start with a stand-in that records how it was started"},
	"coordctl status                            # which replica is ACTIVE, with its standbys":            {covered: "needs a running Milvus: cmd/coordctl (TestStatus) against the pinned etcd"},
	"coordctl watch --count 1 &                 # measure the takeover":                                  {covered: "needs a running Milvus: cmd/coordctl (TestWatchCrash, TestWatchGracefulStop) against the pinned etcd"},
	"./ha/run.sh kill rootcoord-1               # SIGKILL the ACTIVE (see the HOST and ADDRESS columns)": {covered: "needs a Milvus binary: internal/localrun runs run.sh kill with a stand-in"},
	"./ha/run.sh stop                           # SIGTERM the rest: each revokes its lease":              {covered: "needs a Milvus binary: internal/localrun runs run.sh stop with a stand-in"},

	// Two commands.
	"go run ./cmd/valuescheck charts/milvus-coord/values.yaml": {exit: 0},
	"make test": {covered: "the whole suite, this test included; .ci/run runs it in CI"},

	// Install.
	"helm plugin install https://github.com/milvus-coord/milvus-coord":       {covered: "needs the network: tests/plugin (TestPluginFromGit) installs the plugin with the same Helm installer from a git repository of the working tree, and (TestPlugin) from a directory"},
	"helm valuescheck examples/production-ha.yaml":                           {covered: "needs the plugin installed: tests/plugin (TestPlugin) runs every example through the installed plugin with the pinned Helm"},
	"helm -n milvus valuescheck render examples/production-ha.yaml":          {covered: "needs the plugin installed: tests/plugin (TestPlugin) renders with -n and with a kubeconfig namespace, and compares with helm template"},
	"sha256sum --ignore-missing -c checksums.txt":                            {covered: "needs a downloaded release: tests/release (TestReleaseInstall) runs it on the archives and checksums.txt of a goreleaser snapshot release"},
	"sh plugin/install.sh bin":                                               {exit: 0},
	"go install github.com/milvus-coord/milvus-coord/cmd/valuescheck@latest": {covered: "@latest needs the module published: TestGoInstall runs `go install ./...` (also what the valuescheck-source pre-commit hook runs) into a temporary GOBIN"},
	"make build":                {covered: "TestMakeBuild checks its recipe (`go build -trimpath` of ./cmd/valuescheck into bin/) and TestGoInstall builds and runs that package; running it here would compile every dependency again with -trimpath, minutes on a 2-core machine"},
	"bin/valuescheck --version": {covered: "TestGoInstall runs `valuescheck --version` on the binary it installs"},

	// Next to the upstream chart.
	"helm repo add milvus https://zilliztech.github.io/milvus-helm/":                                                     {covered: "the upstream chart's repository: needs the network, and nothing here depends on it"},
	"helm install milvus milvus/milvus -f milvus-values.yaml":                                                            {covered: "installs the upstream chart: needs its repository and a cluster"},
	"helm pull milvus --repo https://zilliztech.github.io/milvus-helm --version 4.2.24 --untar --untardir milvus-4.2.24": {covered: "needs the network: tests/upstream runs valuescheck --chart on unmodified copies of 4.2.24 and 5.0.19 from MILVUS_COORD_UPSTREAM_CHARTS"},
	"valuescheck --chart milvus-4.2.24/milvus values.yaml":                                                               {covered: "needs the pulled chart: tests/upstream (TestMistakesFoundAtTheirLine, TestInputHandling) runs --chart on it"},
	"valuescheck examples/production-ha.yaml":                                                                            {exit: 0},
	"helm install milvus-coord ./charts/milvus-coord -f examples/production-ha.yaml":                                     {covered: "needs a cluster: tests/e2e installs the chart with the pinned Helm against a real kube-apiserver, and tests/examples checks and renders every example"},

	// Examples.
	"valuescheck examples/dev.yaml examples/production-ha.yaml examples/mixcoord-ha.yaml examples/kafka.yaml examples/milvus-docs-coordinator-ha.yaml": {exit: 0},
	"valuescheck -f examples/overlays/base.yaml examples/overlays/staging.yaml examples/overlays/prod.yaml":                                            {exit: 0},

	// Reading the output, exit codes, formats.
	"valuescheck examples/broken/common-mistakes.yaml":                                       {exit: 1},
	"valuescheck --set mixCoordinator.activeStandby.enabled=false examples/mixcoord-ha.yaml": {exit: 1},
	"valuescheck no-such-file.yaml":                                                          {exit: 2},
	// valuescheck manifests.
	"kubectl get deploy,sts,cm,pdb -n milvus -l app.kubernetes.io/instance=my-release -o yaml | valuescheck manifests -":                                        {covered: "needs a cluster: internal/manifests and cmd/valuescheck check operator objects as kubectl prints them (a List)"},
	"valuescheck manifests - < internal/manifests/testdata/input/operator-cluster.yaml":                                                                         {exit: 1},
	"valuescheck render examples/production-ha.yaml | valuescheck manifests -":                                                                                  {exit: 0},
	"helm template m ./milvus-4.2.24 --kube-version 1.37.2 --set mixCoordinator.replicas=2,mixCoordinator.activeStandby.enabled=true | valuescheck manifests -": {covered: "needs zilliztech's chart: cmd/valuescheck (TestManifestsOfTheUpstreamCharts) runs it with the pinned Helm on MILVUS_COORD_UPSTREAM_CHARTS"},
	"valuescheck -o json examples/broken/common-mistakes.yaml":                                                                                                  {exit: 1},
	"valuescheck -o github examples/broken/common-mistakes.yaml":                                                                                                {exit: 1},
	"valuescheck -o sarif examples/broken/common-mistakes.yaml > valuescheck.sarif":                                                                             {exit: 1},

	// Render.
	"valuescheck render examples/production-ha.yaml":                                                                          {exit: 0},
	"helm template release-name ./charts/milvus-coord -f examples/production-ha.yaml":                                         {covered: "tests/helm (TestRenderIdenticalToHelmTemplate) runs the pinned Helm and compares its output with valuescheck render, byte for byte"},
	"valuescheck render --release milvus-coord --namespace milvus -f examples/overlays/base.yaml examples/overlays/prod.yaml": {exit: 0},
	"valuescheck render --output-dir rendered examples/dev.yaml":                                                              {exit: 0},
	"valuescheck render --format compose examples/dev.yaml > coordinators.yaml":                                               {exit: 0},
	"docker compose -f milvus.yaml -f coordinators.yaml up -d":                                                                {covered: "needs Docker; tests/chart (TestComposeMergesIntoMilvus) merges the two files with compose-go, the loader docker compose uses, and TestComposeLoadsVerbatim loads every scenario and example"},

	// Rules.
	"valuescheck rules": {exit: 0},

	// Troubleshooting.
	"etcdctl get --prefix by-dev/meta/session/ --keys-only": {covered: "needs a running Milvus, whose coordinators write these session keys; the chart's NOTES.txt prints the same commands with the release's root path"},
	"etcdctl get by-dev/meta/session/rootcoord":             {covered: "needs a running Milvus, as above"},
	"etcdctl get by-dev/meta/session/mixcoord":              {covered: "needs a running Milvus 2.6, as above"},
	`kubectl logs -l app.kubernetes.io/instance=milvus-coord,app.kubernetes.io/component=rootcoord --prefix --tail=-1 | grep "quit STANDBY mode"`: {covered: "needs a running Milvus; the labels are the chart's selector labels (milvus-coord.selectorLabels) for the release milvus-coord installed above"},

	// Development.
	"make help": {exit: 0},
	"make docs": {covered: "it is TestDocs with -update: running it here would rewrite the README under test"},
}

// readmes are the documents whose commands are checked, from the repository root.
var readmes = []string{"README.md", "charts/milvus-coord/README.md"}

// command is one command found in a README.
type command struct {
	file string
	line int // of the block
	text string
}

// readmeCommandsIn returns the commands of the ```sh blocks of a Markdown
// document and the run steps of any workflow in its ```yaml blocks.
func readmeCommandsIn(t *testing.T, file string) []command {
	t.Helper()
	md, err := os.ReadFile(filepath.Join(repoRoot, file))
	require.NoError(t, err)
	blocks, err := Blocks(string(md))
	require.NoError(t, err, file)
	var out []command
	for _, b := range blocks {
		switch b.Lang {
		case "sh":
			for _, c := range Commands(b.Body) {
				out = append(out, command{file, b.Line, c})
			}
		case "yaml":
			var workflow struct {
				Jobs map[string]struct {
					Steps []struct {
						Run string `yaml:"run"`
					} `yaml:"steps"`
				} `yaml:"jobs"`
			}
			if yaml.Unmarshal([]byte(b.Body), &workflow) != nil {
				continue // TestReadmeYAMLBlocks reports it
			}
			for _, job := range workflow.Jobs {
				for _, step := range job.Steps {
					for _, c := range Commands(step.Run) {
						out = append(out, command{file, b.Line, c})
					}
				}
			}
		}
	}
	return out
}

// TestReadmeCommands runs every command of the READMEs that can run here, in
// document order, and fails on a command the table does not know.
func TestReadmeCommands(t *testing.T) {
	box := newSandbox(t)
	seen := map[string]bool{}
	for _, file := range readmes {
		for _, c := range readmeCommandsIn(t, file) {
			seen[c.text] = true
			exp, ok := readmeCommands[c.text]
			if !ok {
				t.Errorf("%s (block at line %d): command %q is not in readmeCommands: add it with its exit code, or with what covers it", c.file, c.line, c.text)
				continue
			}
			if exp.covered != "" {
				t.Logf("%s: not run here: %s", c.text, exp.covered)
				continue
			}
			out, code := box.run(t, c.text)
			t.Logf("%s: ran, exit %d", c.text, code)
			assert.Equal(t, exp.exit, code, "%s (block at line %d): %s\n%s", c.file, c.line, c.text, out)
		}
	}
	for text := range readmeCommands {
		assert.True(t, seen[text], "readmeCommands lists %q, which no README has any more: remove it", text)
	}
}

// TestReadmeFirstCommand keeps the README's fresh-machine commands as they are.
func TestReadmeFirstCommand(t *testing.T) {
	md, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	require.NoError(t, err)
	blocks, err := Blocks(string(md))
	require.NoError(t, err)
	for _, b := range blocks {
		if b.Lang == "sh" {
			assert.Equal(t, []string{"go run ./cmd/valuescheck charts/milvus-coord/values.yaml", "make test"}, Commands(b.Body),
				"the README's first commands are what a new user runs first")
			return
		}
	}
	t.Fatal("README.md has no ```sh block")
}

// TestGoInstall installs the module's commands the way `go install ...@latest`
// and pre-commit's golang hooks do (`go install ./...`: every main package of
// the module must build, or the hook cannot install), into a temporary GOBIN,
// and runs the result.
func TestGoInstall(t *testing.T) {
	gobin := t.TempDir()
	box := &sandbox{dir: repoRoot, bin: gobin}
	out, code := box.run(t, "GOBIN="+gobin+" go install ./...")
	require.Equal(t, 0, code, out)
	entries, err := os.ReadDir(gobin)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	require.Contains(t, names, "valuescheck", "go install ./... must install valuescheck, the pre-commit hook's entry")
	t.Logf("go install ./... installs %v", names)
	out, code = box.run(t, "valuescheck --version")
	assert.Equal(t, 0, code, out)
	assert.True(t, strings.HasPrefix(out, "valuescheck "), out)
	out, code = box.run(t, "valuescheck charts/milvus-coord/values.yaml")
	assert.Equal(t, 0, code, out)
}

// TestReadmeYAMLBlocks: every ```yaml block of the READMEs parses.
func TestReadmeYAMLBlocks(t *testing.T) {
	for _, file := range readmes {
		md, err := os.ReadFile(filepath.Join(repoRoot, file))
		require.NoError(t, err)
		blocks, err := Blocks(string(md))
		require.NoError(t, err)
		for _, b := range blocks {
			if b.Lang != "yaml" {
				continue
			}
			var v any
			assert.NoError(t, yaml.Unmarshal([]byte(b.Body), &v), "%s: yaml block at line %d", file, b.Line)
		}
	}
}

// TestReadmeLinks: relative links of the READMEs point at files that exist.
func TestReadmeLinks(t *testing.T) {
	link := regexp.MustCompile(`\]\(([^)#]+)(#[^)]*)?\)`)
	for _, file := range readmes {
		md, err := os.ReadFile(filepath.Join(repoRoot, file))
		require.NoError(t, err)
		for _, m := range link.FindAllStringSubmatch(string(md), -1) {
			target := m[1]
			if strings.Contains(target, "://") {
				continue
			}
			_, err := os.Stat(filepath.Join(repoRoot, filepath.Dir(file), target))
			assert.NoError(t, err, "%s links to %s", file, target)
		}
	}
}

func ExampleCommands() {
	for _, c := range Commands("# a comment\nvaluescheck \\\n  -f base.yaml prod.yaml\n\nmake test\n") {
		fmt.Println(c)
	}
	// Output:
	// valuescheck -f base.yaml prod.yaml
	// make test
}

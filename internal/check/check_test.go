package check

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	milvuscoord "github.com/milvus-coord/milvus-coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/render"
	"github.com/milvus-coord/milvus-coord/internal/values"
)

var (
	embeddedOnce  sync.Once
	embeddedChart *Chart
	embeddedErr   error
)

// embedded loads the embedded chart once; Check shares it read-only.
func embedded(t testing.TB) *Chart {
	t.Helper()
	embeddedOnce.Do(func() {
		embeddedChart, embeddedErr = LoadChart(milvuscoord.Chart(), milvuscoord.ChartDir)
	})
	require.NoError(t, embeddedErr)
	return embeddedChart
}

func input(name, data string) *Input { return &Input{Name: name, Data: []byte(data)} }

// brief is a finding reduced to what the tests compare.
type brief struct {
	Rule     string
	Severity finding.Severity
	Path     string
	Origin   string
}

func briefs(fs []finding.Finding) []brief {
	out := make([]brief, len(fs))
	for i, f := range fs {
		out[i] = brief{f.Rule, f.Severity, f.Path, f.Origin.String()}
	}
	return out
}

func TestLoadChart(t *testing.T) {
	ch := embedded(t)
	assert.Equal(t, milvuscoord.ChartDir, ch.Dir)
	assert.Contains(t, string(ch.Schema()), `"rootCoordinator"`)

	_, err := LoadChart(os.DirFS("testdata/nosuchchart"), "testdata/nosuchchart")
	assert.ErrorContains(t, err, "loading chart testdata/nosuchchart")
}

func TestCheckDefaults(t *testing.T) {
	ch := embedded(t)
	t.Run("layers alone, none given", func(t *testing.T) {
		res := ch.Check(nil, Options{})
		assert.Empty(t, res.Findings)
		require.NotNil(t, res.Rendered)
		assert.NotEmpty(t, res.Rendered.Manifests)
		assert.Contains(t, res.Rendered.String(), "kind: Deployment")
	})
	t.Run("the chart's own values.yaml", func(t *testing.T) {
		raw, err := os.ReadFile("../../charts/milvus-coord/values.yaml")
		require.NoError(t, err)
		res := ch.Check(&Input{Name: "charts/milvus-coord/values.yaml", Data: raw}, Options{})
		assert.Empty(t, res.Findings)
		assert.NotNil(t, res.Rendered)
	})
	t.Run("CI scenarios", func(t *testing.T) {
		files, err := os.ReadDir("../../charts/milvus-coord/ci")
		require.NoError(t, err)
		require.NotEmpty(t, files)
		for _, f := range files {
			raw, err := os.ReadFile("../../charts/milvus-coord/ci/" + f.Name())
			require.NoError(t, err)
			res := ch.Check(&Input{Name: f.Name(), Data: raw}, Options{})
			assert.Empty(t, res.Findings, f.Name())
			assert.NotNil(t, res.Rendered, f.Name())
		}
	})
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		layers   []Input
		sets     values.Sets
		want     []brief
		rendered bool
	}{
		{
			name:     "empty file: a warning, and the defaults render",
			file:     "# nothing yet\n",
			want:     []brief{{"parse-empty", finding.Warning, "", "my.yaml"}},
			rendered: true,
		},
		{
			name: "a file Helm refuses stops at the parse",
			file: "a: 1\n---\nb: 2\n",
			want: []brief{{"parse-multiple-documents", finding.Error, "", "my.yaml:2:1"}},
		},
		{
			name: "unknown key at the key's position",
			file: "rootCoordinator:\n  replica: 3\n",
			want: []brief{{"schema-unknown-key", finding.Error, "rootCoordinator.replica", "my.yaml:2:3"}},
		},
		{
			name: "wrong type at the value's position",
			file: "rootCoordinator:\n  replicas: \"3\"\n",
			want: []brief{{"schema-type", finding.Error, "rootCoordinator.replicas", "my.yaml:2:13"}},
		},
		{
			name: "error in the second layer is reported at the second file's line",
			layers: []Input{
				{Name: "base.yaml", Data: []byte("rootCoordinator:\n  replicas: 2\n")},
				{Name: "prod.yaml", Data: []byte("# production\nqueryCoordinator:\n  replicas: 2\n  stratgy:\n    type: Recreate\n")},
			},
			want: []brief{{"schema-unknown-key", finding.Error, "queryCoordinator.stratgy", "prod.yaml:4:3"}},
		},
		{
			name: "error in a layer under the checked file",
			layers: []Input{
				{Name: "base.yaml", Data: []byte("podAntiAffinity:\n  mode: never\n")},
			},
			file: "rootCoordinator:\n  replicas: 3\n",
			want: []brief{{"schema-value", finding.Error, "podAntiAffinity.mode", "base.yaml:2:9"}},
		},
		{
			name: "the checked file overrides the layer's mistake",
			layers: []Input{
				{Name: "base.yaml", Data: []byte("podAntiAffinity:\n  mode: never\n")},
			},
			file:     "podAntiAffinity:\n  mode: hard\n",
			rendered: true,
		},
		{
			name: "a finding from --set carries the flag",
			file: "rootCoordinator:\n  replicas: 3\n",
			sets: values.Sets{Values: []string{"queryCoordinator.replicas=500"}},
			want: []brief{{"schema-value", finding.Error, "queryCoordinator.replicas", "--set queryCoordinator.replicas=500"}},
		},
		{
			name: "--set-string of a number",
			sets: values.Sets{Strings: []string{"dataCoordinator.replicas=2"}},
			want: []brief{{"schema-type", finding.Error, "dataCoordinator.replicas", "--set-string dataCoordinator.replicas=2"}},
		},
		{
			name: "a rule blames the value the user set",
			file: "rootCoordinator:\n  replicas: 2\n",
			sets: values.Sets{Values: []string{"rootCoordinator.activeStandby.enabled=false"}},
			want: []brief{{"ha-replicas-need-standby", finding.Error, "rootCoordinator.activeStandby.enabled", "--set rootCoordinator.activeStandby.enabled=false"}},
		},
		{
			// the rule's finding explains the schema's if/then at the same path
			name: "a rule finding suppresses the schema finding at the same path",
			file: "rootCoordinator:\n  replicas: 2\n  activeStandby:\n    enabled: false\n",
			want: []brief{{"ha-replicas-need-standby", finding.Error, "rootCoordinator.activeStandby.enabled", "my.yaml:4:14"}},
		},
		{
			name:     "strategy Recreate with HA: one warning, rule and render deduplicated",
			file:     "rootCoordinator:\n  strategy:\n    type: Recreate\n",
			want:     []brief{{"ha-rollout-strategy", finding.Warning, "rootCoordinator.strategy.type", "my.yaml:3:11"}},
			rendered: true,
		},
		{
			name:     "empty podAntiAffinity with 3 replicas: one warning across stages",
			file:     "rootCoordinator:\n  replicas: 3\n  affinity:\n    podAntiAffinity: {}\n",
			want:     []brief{{"ha-spread", finding.Warning, "rootCoordinator.affinity.podAntiAffinity", "my.yaml:4:5"}},
			rendered: true,
		},
		{
			name: "YAML 1.1 booleans read as Helm reads them",
			file: "rootCoordinator:\n  activeStandby:\n    enabled: yes\n",
			// `yes` is true for Helm: nothing to report
			rendered: true,
		},
		{
			name: "a value Helm renders but the API refuses",
			file: "rootCoordinator:\n  resources:\n    requests:\n      cpu: lots\n",
			want: []brief{{"schema-value", finding.Error, "rootCoordinator.resources.requests.cpu", "my.yaml:4:12"}},
		},
		{
			name: "quoted keys: a dotted annotation key of the wrong type",
			file: "rootCoordinator:\n  annotations:\n    prometheus.io/scrape: true\n",
			want: []brief{{"schema-type", finding.Error, `rootCoordinator.annotations["prometheus.io/scrape"]`, "my.yaml:3:27"}},
		},
		{
			name: "list item field",
			file: "rootCoordinator:\n  tolerations:\n    - key: a\n      effect: 1\n",
			want: []brief{{"schema-type", finding.Error, "rootCoordinator.tolerations[0].effect", "my.yaml:4:15"}},
		},
	}
	ch := embedded(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			layers, problems := ParseLayers(tt.layers)
			require.Empty(t, problems)
			var file *Input
			if tt.file != "" {
				file = input("my.yaml", tt.file)
			}
			res := ch.Check(file, Options{Layers: layers, Sets: prepare(t, tt.sets)})
			assert.Equal(t, tt.want, nilIfEmpty(briefs(res.Findings)))
			assert.Equal(t, tt.rendered, res.Rendered != nil, "rendered")
			for _, f := range res.Findings {
				assert.NotEmpty(t, f.Message)
				assert.NotEmpty(t, f.Fix)
			}
		})
	}
}

func nilIfEmpty(b []brief) []brief {
	if len(b) == 0 {
		return nil
	}
	return b
}

// prepare parses value flags once, as valuescheck does for a run.
func prepare(t testing.TB, sets values.Sets) *values.Prepared {
	t.Helper()
	p, err := values.Prepare(sets, func(name string) ([]byte, error) { return nil, fmt.Errorf("open %s: no such file", name) })
	require.NoError(t, err)
	return p
}

// TestCheckFlagsAndVersions: a flag Helm cannot apply to the values is a
// finding at the flag; an invalid kube version one at the render.
func TestCheckFlagsAndVersions(t *testing.T) {
	ch := embedded(t)
	res := ch.Check(input("my.yaml", "rootCoordinator:\n  extraEnv:\n    - {name: A, value: b}\n"),
		Options{Sets: prepare(t, values.Sets{Values: []string{"rootCoordinator.extraEnv.name=x"}})})
	require.NotEmpty(t, res.Findings)
	assert.Equal(t, "--set rootCoordinator.extraEnv.name=x", res.Findings[0].Origin.Flag)

	res = ch.Check(input("my.yaml", "rootCoordinator:\n  replicas: 3\n"), Options{Render: render.Options{KubeVersion: "not-a-version"}})
	require.NotEmpty(t, res.Findings)
	assert.Equal(t, render.RuleTemplate, res.Findings[len(res.Findings)-1].Rule)
	assert.Nil(t, res.Rendered)
}

func TestCheckFindingsSorted(t *testing.T) {
	ch := embedded(t)
	layers, problems := ParseLayers([]Input{
		{Name: "a.yaml", Data: []byte("queryCoordinator:\n  replica: 3\ndataCoordinator:\n  replicas: \"2\"\n")},
		{Name: "b.yaml", Data: []byte("rootCoordinator:\n  enableActiveStandby: true\n")},
	})
	require.Empty(t, problems)
	res := ch.Check(input("c.yaml", "podAntiAffinity:\n  mode: never\nmilvus:\n  session:\n    ttl: 0\nrootCoordinator:\n  strategy: {type: Recreate}\n"),
		Options{Layers: layers, Sets: prepare(t, values.Sets{Values: []string{"mixCoordinator.replicas=101"}, Strings: []string{"queryCoordinator.service.port=1"}})})
	require.GreaterOrEqual(t, len(res.Findings), 6, "%v", briefs(res.Findings))
	assert.True(t, slices.IsSortedFunc(res.Findings, finding.Compare), "%v", briefs(res.Findings))
	var files []string
	for _, f := range res.Findings {
		files = append(files, f.Origin.File+f.Origin.Flag)
	}
	assert.Subset(t, files, []string{"a.yaml", "b.yaml", "c.yaml", "--set mixCoordinator.replicas=101", "--set-string queryCoordinator.service.port=1"})
	// files come before flags
	last := res.Findings[len(res.Findings)-1]
	assert.NotEmpty(t, last.Origin.Flag)
}

// TestCheckLeavesLayersAlone: the -f layers are parsed once and shared by every
// check of a run; a check must not change them.
func TestCheckLeavesLayersAlone(t *testing.T) {
	ch := embedded(t)
	const base = "rootCoordinator:\n  replicas: 3\n  annotations:\n    a: b\n"
	layers, problems := ParseLayers([]Input{{Name: "base.yaml", Data: []byte(base)}})
	require.Empty(t, problems)
	fresh, _ := ParseLayers([]Input{{Name: "base.yaml", Data: []byte(base)}})
	opts := Options{Layers: layers, Sets: prepare(t, values.Sets{Values: []string{"rootCoordinator.annotations.x=y", "rootCoordinator.replicas=1"}})}
	ch.Check(input("f.yaml", "queryCoordinator:\n  replicas: 1\n"), opts)
	assert.Equal(t, fresh[0].Values, layers[0].Values, "the check changed the shared layer")
}

// TestCheckConcurrent runs checks on one Chart from 8 goroutines, as
// valuescheck does with several files (run with -race).
func TestCheckConcurrent(t *testing.T) {
	ch := embedded(t)
	files := []struct {
		data string
		want []brief
	}{
		{"rootCoordinator:\n  replicas: 3\n", nil},
		{"rootCoordinator:\n  replica: 3\n", []brief{{"schema-unknown-key", finding.Error, "rootCoordinator.replica", "f.yaml:2:3"}}},
		{"rootCoordinator:\n  strategy:\n    type: Recreate\n", []brief{{"ha-rollout-strategy", finding.Warning, "rootCoordinator.strategy.type", "f.yaml:3:11"}}},
		{"rootCoordinator:\n  replicas: 2\n  activeStandby:\n    enabled: false\n", []brief{{"ha-replicas-need-standby", finding.Error, "rootCoordinator.activeStandby.enabled", "f.yaml:4:14"}}},
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 4 {
				f := files[(g+i)%len(files)]
				res := ch.Check(input("f.yaml", f.data), Options{})
				assert.Equal(t, f.want, nilIfEmpty(briefs(res.Findings)), f.data)
			}
		}()
	}
	wg.Wait()
}

// TestCheckConcurrentSharedOptions is TestCheckConcurrent the way valuescheck
// runs it: every goroutine shares the same Options, -f layers and --set flags
// included (run with -race).
func TestCheckConcurrentSharedOptions(t *testing.T) {
	ch := embedded(t)
	layers, problems := ParseLayers([]Input{{Name: "base.yaml", Data: []byte("rootCoordinator:\n  replicas: 3\n  annotations:\n    team: search\n")}})
	require.Empty(t, problems)
	opts := Options{Layers: layers, Sets: prepare(t, values.Sets{Values: []string{"rootCoordinator.annotations.owner=db"}, Strings: []string{"rootCoordinator.annotations.tier=1"}})}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 2 {
				res := ch.Check(input(fmt.Sprintf("f%d.yaml", g), "queryCoordinator:\n  replicas: 3\n"), opts)
				assert.Empty(t, res.Findings)
				if assert.NotNil(t, res.Rendered) {
					assert.Contains(t, res.Rendered.String(), "owner: db")
				}
			}
		}()
	}
	wg.Wait()
}

// TestBrokenChart checks a chart whose templates render objects the
// Kubernetes API refuses: each is a render-typed finding at the template, not
// a crash, and stops the render.
func TestBrokenChart(t *testing.T) {
	const dir = "testdata/brokenchart"
	ch, err := LoadChart(os.DirFS(dir), dir)
	require.NoError(t, err)
	const deployment = dir + "/templates/deployment.yaml"
	tests := []struct {
		name    string
		values  string
		message []string
	}{
		{"invalid quantity", "port: \"80\"\n", []string{"Deployment release-name-broken", "apps/v1 Deployment", "quantities must match"}},
		{"string containerPort", "cpu: \"1\"\n", []string{"containerPort", "cannot unmarshal string", "int32"}},
		{"misspelled field", "cpu: \"1\"\nport: \"80\"\n", []string{`unknown field "spec.template.spec.containers[0].ports[0].contanerPort"`}},
		{"all three at once", "", []string{"Deployment release-name-broken does not decode"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ch.Check(input("v.yaml", tt.values), Options{})
			assert.Nil(t, res.Rendered, "a render-typed error stops the render")
			var typed, unchecked []finding.Finding
			for _, f := range res.Findings {
				switch f.Rule {
				case render.RuleTyped:
					typed = append(typed, f)
				case render.RuleUncheckedKind:
					unchecked = append(unchecked, f)
				case "parse-empty":
				default:
					t.Errorf("unexpected finding %s", f.Text())
				}
			}
			require.Len(t, typed, 1, "one finding for the Deployment, none for the Service: %v", briefs(res.Findings))
			f := typed[0]
			assert.Equal(t, finding.Error, f.Severity)
			assert.Equal(t, finding.Origin{File: deployment}, f.Origin)
			for _, m := range tt.message {
				assert.Contains(t, f.Message, m)
			}
			assert.True(t, strings.HasPrefix(f.Text(), deployment+": error: "), f.Text())
			// the ServiceMonitor is a kind the scheme does not know: a warning
			require.Len(t, unchecked, 1)
			assert.Equal(t, finding.Warning, unchecked[0].Severity)
			assert.Equal(t, dir+"/templates/servicemonitor.yaml", unchecked[0].Origin.File)
		})
	}
	t.Run("values still checked against its schema first", func(t *testing.T) {
		res := ch.Check(input("v.yaml", "servicePort: 0\n"), Options{})
		assert.Equal(t, []brief{{"schema-value", finding.Error, "servicePort", "v.yaml:1:14"}}, briefs(res.Findings))
	})
}

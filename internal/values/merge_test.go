package values

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

func mustParse(t *testing.T, name, data string) *Document {
	t.Helper()
	doc, found := Parse(name, []byte(data))
	require.NotNil(t, doc, "parsing %s: %v", name, found)
	return doc
}

// noFiles is a --set-file reader for tests that set no file.
func noFiles(name string) ([]byte, error) { return nil, fmt.Errorf("no file %s", name) }

func TestMergeLayersAndFlags(t *testing.T) {
	defaults := NewDefaults("values.yaml", []byte("a: {x: 1}\n"))
	tests := []struct {
		name  string
		files []string
		sets  Sets
		read  map[string]string // files --set-file reads
		want  map[string]any
	}{
		{
			name:  "later file wins",
			files: []string{"k: 1\n", "k: 2\n"},
			want:  map[string]any{"k": float64(2)},
		},
		{
			name:  "mappings merge",
			files: []string{"m: {a: 1, b: {c: 1, d: 1}}\n", "m: {b: {d: 2, e: 2}, f: 2}\n"},
			want:  map[string]any{"m": map[string]any{"a": float64(1), "b": map[string]any{"c": float64(1), "d": float64(2), "e": float64(2)}, "f": float64(2)}},
		},
		{
			name:  "lists are replaced",
			files: []string{"l: [1, 2, 3]\n", "l: [4]\n"},
			want:  map[string]any{"l": []any{float64(4)}},
		},
		{
			name:  "a scalar replaces a mapping and the other way round",
			files: []string{"a: {b: 1}\nc: 1\n", "a: x\nc: {d: 1}\n"},
			want:  map[string]any{"a": "x", "c": map[string]any{"d": float64(1)}},
		},
		{
			name:  "null in a later file is kept for Helm to delete the key",
			files: []string{"a: 1\n", "a: null\n"},
			want:  map[string]any{"a": nil},
		},
		{
			name:  "an empty file changes nothing",
			files: []string{"a: 1\n", ""},
			want:  map[string]any{"a": float64(1)},
		},
		{
			name:  "--set after the files",
			files: []string{"a: {b: 1, c: 1}\n"},
			sets:  Sets{Values: []string{"a.b=2"}},
			want:  map[string]any{"a": map[string]any{"b": int64(2), "c": float64(1)}},
		},
		{
			name: "kinds apply in Helm's order whatever their order in Sets",
			sets: Sets{
				Literals: []string{"lit=literal"},
				Files:    []string{"lit=f.txt", "file=f.txt"},
				Strings:  []string{"lit=string", "file=string", "str=string"},
				Values:   []string{"lit=set", "file=set", "str=set", "set=set"},
				JSON:     []string{`lit="json"`, `file="json"`, `str="json"`, `set="json"`, `json="json"`},
			},
			read: map[string]string{"f.txt": "file"},
			want: map[string]any{"lit": "literal", "file": "file", "str": "string", "set": "set", "json": "json"},
		},
		{
			name: "within a kind, later flags win",
			sets: Sets{Values: []string{"a=1", "a=2"}},
			want: map[string]any{"a": int64(2)},
		},
		{
			name: "--set types, --set-string strings",
			sets: Sets{Values: []string{"i=1,b=true,n=null,s=x"}, Strings: []string{"si=1,sb=true"}},
			want: map[string]any{"i": int64(1), "b": true, "n": nil, "s": "x", "si": "1", "sb": "true"},
		},
		{
			name:  "--set list index on a file's list",
			files: []string{"l: [a, b, c]\n"},
			sets:  Sets{Values: []string{"l[1]=x"}},
			want:  map[string]any{"l": []any{"a", "x", "c"}},
		},
		{
			name:  "--set-json replaces a mapping",
			files: []string{"m: {a: 1}\n"},
			sets:  Sets{JSON: []string{`m={"b":[1,2]}`}},
			want:  map[string]any{"m": map[string]any{"b": []any{float64(1), float64(2)}}},
		},
		{
			name: "--set-literal keeps commas and equal signs",
			sets: Sets{Literals: []string{"a.b=x,y=z"}},
			want: map[string]any{"a": map[string]any{"b": "x,y=z"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var docs []*Document
			for i, f := range tt.files {
				docs = append(docs, mustParse(t, fmt.Sprintf("f%d.yaml", i), f))
			}
			read := func(name string) ([]byte, error) {
				if s, ok := tt.read[name]; ok {
					return []byte(s), nil
				}
				return noFiles(name)
			}
			user, prov, err := merge(defaults, docs, tt.sets, read)
			require.NoError(t, err)
			require.NotNil(t, prov)
			assert.Equal(t, tt.want, user)
		})
	}
}

// merge is Prepare then Merge, with a flag Merge cannot apply as an error.
func merge(defaults *Defaults, docs []*Document, sets Sets, read func(string) ([]byte, error)) (map[string]any, *Provenance, error) {
	prepared, err := Prepare(sets, read)
	if err != nil {
		return nil, nil, err
	}
	user, prov, problems := Merge(defaults, docs, prepared)
	if len(problems) > 0 {
		return nil, nil, errors.New(problems[0].Origin.Flag + ": " + problems[0].Message)
	}
	return user, prov, nil
}

// TestPrepareReadsEachFileOnce: --set-file files are read once per run, and
// a file over the size limit is an error that says Helm has none.
func TestPrepareReadsEachFileOnce(t *testing.T) {
	reads := 0
	read := func(string) ([]byte, error) { reads++; return []byte("x"), nil }
	p, err := Prepare(Sets{Files: []string{"a=f.txt", "b=f.txt"}}, read)
	require.NoError(t, err)
	for range 3 {
		_, _, problems := Merge(NewDefaults("values.yaml", nil), nil, p)
		require.Empty(t, problems)
	}
	assert.Equal(t, 1, reads)

	big := func(string) ([]byte, error) { return make([]byte, MaxFileSize+1), nil }
	_, err = Prepare(Sets{Files: []string{"a=big.bin"}}, big)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "larger than the 4 MiB valuescheck reads (Helm reads any size)")
}

func TestMergeErrors(t *testing.T) {
	defaults := NewDefaults("values.yaml", []byte("a: 1\n"))
	tests := []struct {
		name string
		sets Sets
		want string
	}{
		{"malformed --set", Sets{Values: []string{"a[=1"}}, "--set a[=1"},
		{"malformed --set-json", Sets{JSON: []string{"a={"}}, "--set-json a={"},
		{"--set-file that cannot be read", Sets{Files: []string{"a=missing.txt"}}, "--set-file a=missing.txt"},
		{"list index too large", Sets{Values: []string{"a[1000000]=1"}}, "--set a[1000000]=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := merge(defaults, nil, tt.sets, noFiles)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestMergeLeavesDocumentsAlone: the -f layers are parsed once and shared by
// every check (valuescheck checks its files concurrently), so merging the flags
// must not write into them.
func TestMergeLeavesDocumentsAlone(t *testing.T) {
	defaults := NewDefaults("values.yaml", []byte("a: 1\n"))
	tests := []struct {
		name  string
		layer string
		sets  Sets
	}{
		{"--set into a layer's mapping", "m: {b: 1}\n", Sets{Values: []string{"m.c=2"}}},
		{"--set deleting a layer's key", "m: {b: 1, c: 1}\n", Sets{Values: []string{"m.c=null"}}},
		{"--set into a layer's list", "l: [{k: 1}]\n", Sets{Values: []string{"l[0].k=2"}}},
		{"--set-string into a layer's mapping", "m: {b: 1}\n", Sets{Strings: []string{"m.b=x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			layer := mustParse(t, "layer.yaml", tt.layer)
			before := mustParse(t, "layer.yaml", tt.layer).Values
			_, _, err := merge(defaults, []*Document{layer}, tt.sets, noFiles)
			require.NoError(t, err)
			assert.Equal(t, before, layer.Values, "Merge changed the layer's values")
		})
	}
}

// helmParity runs Helm's own values.Options.MergeValues (in the helmparity
// module under testdata, kept out of this module's dependencies) and returns
// its result as a typed tree.
type helmParity struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

var parity helmParity

func TestMain(m *testing.M) {
	code := m.Run()
	if parity.dir != "" {
		os.RemoveAll(parity.dir)
	}
	os.Exit(code)
}

func (h *helmParity) merge(t *testing.T, args []string) any {
	t.Helper()
	h.once.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			h.err = err
			return
		}
		h.dir, err = os.MkdirTemp("", "helmparity")
		if err != nil {
			h.err = err
			return
		}
		h.bin = filepath.Join(h.dir, "helmparity")
		cmd := exec.Command(goTool, "build", "-o", h.bin, ".")
		cmd.Dir = filepath.Join("testdata", "helmparity")
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly", "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			h.err = fmt.Errorf("building testdata/helmparity: %w\n%s", err, out)
		}
	})
	require.NoError(t, h.err)
	out, err := exec.Command(h.bin, args...).Output()
	require.NoError(t, err, "helmparity %v", args)
	var tree any
	require.NoError(t, json.Unmarshal(out, &tree))
	return tree
}

// typed is testdata/helmparity's Typed: a tree that keeps every scalar's Go
// type, so int64 from --set and float64 from YAML are told apart.
func typed(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for _, k := range slices.Sorted(maps.Keys(v)) {
			m[k] = typed(v[k])
		}
		return map[string]any{"map": m}
	case []any:
		l := make([]any, len(v))
		for i, c := range v {
			l[i] = typed(c)
		}
		return map[string]any{"list": l}
	case nil:
		return map[string]any{"type": "nil"}
	}
	return map[string]any{"type": fmt.Sprintf("%T", v), "value": fmt.Sprintf("%v", v)}
}

// TestMergeHelmParity is the parity proof: the user values Merge computes are
// exactly those of `helm template -f ... --set ...`, computed by Helm's own
// helm.sh/helm/v3/pkg/cli/values on the same files and flags.
func TestMergeHelmParity(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Helm's CLI values package")
	}
	defaults := NewDefaults("values.yaml", []byte("a: 1\n"))
	tests := []struct {
		name  string
		files []string
		sets  Sets
		extra map[string]string // other files, for --set-file
	}{
		{name: "one file", files: []string{"a: 1\nb: {c: [1, 2]}\n"}},
		{name: "layers", files: []string{
			"m: {a: 1, b: {c: 1, d: 1}, l: [1, 2]}\nx: 1\n",
			"m: {b: {d: 2, e: 2}, l: [3]}\nx: {y: 1}\n",
			"m: {b: x}\ny: [a, b]\n",
		}},
		{name: "YAML 1.1 booleans and numbers", files: []string{
			"a: on\nb: yes\nc: off\nd: no\ne: y\nf: 0x10\ng: 010\nh: 1e3\ni: 12345678901234567890\nj: 1.5\n",
		}},
		{name: "null document and empty file", files: []string{"a: 1\n", "~\n", "", "# only a comment\n"}},
		{name: "null values", files: []string{"a: {b: 1, c: 2}\n", "a: {b: null}\n"}},
		{name: "merge keys and aliases", files: []string{
			"base: &b {x: 1, y: [1, 2]}\nc:\n  <<: *b\n  y: [3]\nd: *b\n",
		}},
		{name: "quoted and dotted keys", files: []string{
			"annotations:\n  prometheus.io/scrape: \"true\"\n  \"a[0]\": x\n  1: one\n",
		}},
		{
			name:  "every flag kind in Helm's order",
			files: []string{"lit: f\nfile: f\nstr: f\nset: f\njson: f\nkeep: f\n"},
			sets: Sets{
				Literals: []string{"lit=literal,with=comma"},
				Files:    []string{"lit=FILE", "file=FILE"},
				Strings:  []string{"lit=1", "file=1", "str=1"},
				Values:   []string{"lit=2", "file=2", "str=2", "set=2"},
				JSON:     []string{`lit=[1]`, `file={"a":1}`, `str=true`, `set=null`, `json={"x":{"y":[1,"2"]}}`},
			},
			extra: map[string]string{"FILE": "file contents\nline 2\n"},
		},
		{
			name:  "--set types, lists and escapes",
			files: []string{"l: [a, b, c]\nm: {k: 1}\n"},
			sets: Sets{Values: []string{
				"l[1]=x", "n=null", "i=12", "b=false", "f=1.5", "big=12345678901234567890",
				`dotted\.key=1`, "m.k2={a,b}", "new[2]=z", "s=0x10",
			}},
		},
		{
			name:  "--set into nested mappings of a file",
			files: []string{"rootCoordinator: {replicas: 2, activeStandby: {enabled: true}}\n"},
			sets:  Sets{Values: []string{"rootCoordinator.activeStandby.enabled=false"}, Strings: []string{"rootCoordinator.replicas=3"}},
		},
		{
			name:  "--set deletes a file's key",
			files: []string{"m: {a: 1, b: 2}\n"},
			sets:  Sets{Values: []string{"m.a=null"}},
		},
		{
			name:  "--set-json types",
			sets:  Sets{JSON: []string{`a=1`, `b=1.5`, `c="s"`, `d=[1,{"e":null}]`, `f.g=true`}},
			files: []string{"f: {h: 1}\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var args []string
			var docs []*Document
			for i, content := range tt.files {
				name := filepath.Join(dir, fmt.Sprintf("values%d.yaml", i))
				require.NoError(t, os.WriteFile(name, []byte(content), 0o600))
				args = append(args, "-f", name)
				docs = append(docs, mustParse(t, name, content))
			}
			// --set-file names are made absolute, for both Helm and Merge
			extra := map[string]string{}
			for name, content := range tt.extra {
				extra[name] = filepath.Join(dir, name)
				require.NoError(t, os.WriteFile(extra[name], []byte(content), 0o600))
			}
			sets := tt.sets
			sets.Files = nil
			for _, f := range tt.sets.Files {
				k, v, _ := strings.Cut(f, "=")
				sets.Files = append(sets.Files, k+"="+extra[v])
			}
			// Helm's flags in the reverse of its order: it must not matter
			for _, kind := range []struct {
				flag    string
				entries []string
			}{{"set-literal", sets.Literals}, {"set-file", sets.Files}, {"set-string", sets.Strings}, {"set", sets.Values}, {"set-json", sets.JSON}} {
				for _, e := range kind.entries {
					args = append(args, "-"+kind.flag, e)
				}
			}

			user, _, err := merge(defaults, docs, sets, os.ReadFile)
			require.NoError(t, err)
			got, err := json.Marshal(typed(user))
			require.NoError(t, err)
			want, err := json.Marshal(parity.merge(t, args))
			require.NoError(t, err)
			assert.JSONEq(t, string(want), string(got))
		})
	}
}

func TestProvenance(t *testing.T) {
	const defaults = `image:
  tag: v2.4.17
podDisruptionBudget:
  enabled: true
rootCoordinator:
  replicas: 2
  activeStandby:
    enabled: true
  annotations: {}
  tolerations: []
`
	const first = `rootCoordinator:
  replicas: 3
  annotations:
    prometheus.io/scrape: "true"
  tolerations:
    - key: dedicated
      effect: NoSchedule
`
	const second = `# second layer
rootCoordinator:
  activeStandby:
    enabled: false
`
	def := NewDefaults("charts/milvus-coord/values.yaml", []byte(defaults))
	a := mustParse(t, "a.yaml", first)
	b := mustParse(t, "b.yaml", second)
	_, prov, err := merge(def, []*Document{a, b}, Sets{Values: []string{"image.tag=v2.5.0"}}, noFiles)
	require.NoError(t, err)

	at := func(file string, line, col int) finding.Origin {
		return finding.Origin{File: file, Line: line, Col: col}
	}
	flag := finding.Origin{Flag: "--set image.tag=v2.5.0"}
	tests := []struct {
		name      string
		path      string
		origin    finding.Origin
		keyOrigin finding.Origin
		byUser    bool
	}{
		{"scalar: the value's position", "rootCoordinator.replicas", at("a.yaml", 2, 13), at("a.yaml", 2, 3), true},
		{"mapping: its key's position, in the last layer that has it", "rootCoordinator", at("b.yaml", 2, 1), at("b.yaml", 2, 1), true},
		{"mapping set in the second layer", "rootCoordinator.activeStandby", at("b.yaml", 3, 3), at("b.yaml", 3, 3), true},
		{"value from the second layer", "rootCoordinator.activeStandby.enabled", at("b.yaml", 4, 14), at("b.yaml", 4, 5), true},
		{"missing key: the enclosing mapping", "rootCoordinator.activeStandby.nope", at("b.yaml", 3, 3), at("b.yaml", 3, 3), true},
		{"missing nested keys: the closest enclosing mapping", "rootCoordinator.service.port", at("b.yaml", 2, 1), at("b.yaml", 2, 1), true},
		{"value from --set", "image.tag", flag, flag, true},
		{"mapping made by --set", "image", flag, flag, true},
		{"chart default", "podDisruptionBudget.enabled", at("charts/milvus-coord/values.yaml", 4, 12), at("charts/milvus-coord/values.yaml", 4, 3), false},
		{"chart default mapping", "podDisruptionBudget", at("charts/milvus-coord/values.yaml", 3, 1), at("charts/milvus-coord/values.yaml", 3, 1), false},
		{"missing key under a chart default", "podDisruptionBudget.minAvailable", at("charts/milvus-coord/values.yaml", 3, 1), at("charts/milvus-coord/values.yaml", 3, 1), false},
		{"quoted key", `rootCoordinator.annotations["prometheus.io/scrape"]`, at("a.yaml", 4, 27), at("a.yaml", 4, 5), true},
		{"list replacing the default", "rootCoordinator.tolerations", at("a.yaml", 5, 3), at("a.yaml", 5, 3), true},
		{"list item", "rootCoordinator.tolerations[0]", at("a.yaml", 6, 7), at("a.yaml", 6, 7), true},
		{"list item field", "rootCoordinator.tolerations[0].effect", at("a.yaml", 7, 15), at("a.yaml", 7, 7), true},
		{"missing list item: the list", "rootCoordinator.tolerations[3].key", at("a.yaml", 5, 3), at("a.yaml", 5, 3), true},
		// the top level is the last input's: here the flag
		{"top level", "", flag, flag, true},
		{"unknown top-level key: the top level", "nope", flag, flag, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.origin, prov.Origin(tt.path), "Origin")
			assert.Equal(t, tt.keyOrigin, prov.KeyOrigin(tt.path), "KeyOrigin")
			assert.Equal(t, tt.byUser, prov.SetByUser(tt.path), "SetByUser")
		})
	}
}

func TestProvenanceOfFlags(t *testing.T) {
	def := NewDefaults("values.yaml", []byte("a: {b: 1}\nl: [x]\n"))
	layer := mustParse(t, "l.yaml", "t:\n  - key: k\n    effect: NoSchedule\n")
	sets := Sets{
		JSON:     []string{`j={"k":[1,{"m":2}]}`},
		Values:   []string{"a.b=2", "t[0].key=other"},
		Strings:  []string{"s=1"},
		Files:    []string{"f=x.txt"},
		Literals: []string{"lit=a,b"},
	}
	_, prov, err := merge(def, []*Document{layer}, sets, func(string) ([]byte, error) { return []byte("x"), nil })
	require.NoError(t, err)
	tests := []struct {
		path string
		want finding.Origin
	}{
		{"a.b", finding.Origin{Flag: "--set a.b=2"}},
		{"a", finding.Origin{Flag: "--set a.b=2"}},
		{"a.c", finding.Origin{Flag: "--set a.b=2"}},
		{"j.k[1].m", finding.Origin{Flag: `--set-json j={"k":[1,{"m":2}]}`}},
		{"s", finding.Origin{Flag: "--set-string s=1"}},
		{"f", finding.Origin{Flag: "--set-file f=x.txt"}},
		{"lit", finding.Origin{Flag: "--set-literal lit=a,b"}},
		{"l[0]", finding.Origin{File: "values.yaml", Line: 2, Col: 5}},
		{"t[0].key", finding.Origin{Flag: "--set t[0].key=other"}},
		// --set t[0].key changes one field of the layer's list item; the
		// others are still the layer's
		{"t[0].effect", finding.Origin{File: "l.yaml", Line: 3, Col: 13}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			assert.Equal(t, tt.want, prov.Origin(tt.path))
			assert.True(t, prov.SetByUser(tt.path) || tt.want.File == "values.yaml")
		})
	}
	assert.False(t, prov.SetByUser("l"))
}

// TestProvenanceMergeKeys: a value that comes in through a YAML merge key
// (`<<: *base`) is reported where the base writes it; the mapping's own keys
// override merged ones, and among several merged mappings the first wins.
func TestProvenanceMergeKeys(t *testing.T) {
	def := NewDefaults("values.yaml", []byte("x: 1\n"))
	const data = `base: &base
  replicas: 1
  activeStandby:
    enabled: true
other: &other
  replicas: 5
  strategy: {}
rootCoordinator:
  <<: *base
  replicas: 3
queryCoordinator:
  <<: [*base, *other]
dataCoordinator: {<<: *other, strategy: {type: Recreate}}
`
	doc := mustParse(t, "m.yaml", data)
	_, prov, err := merge(def, []*Document{doc}, Sets{}, noFiles)
	require.NoError(t, err)
	qc, _ := Lookup(doc.Values, "queryCoordinator", "replicas")
	require.Equal(t, float64(1), qc, "the first merged mapping wins")
	at := func(line, col int) finding.Origin { return finding.Origin{File: "m.yaml", Line: line, Col: col} }
	tests := []struct {
		path string
		want finding.Origin
	}{
		{"rootCoordinator.replicas", at(10, 13)},
		{"rootCoordinator.activeStandby", at(3, 3)},
		{"rootCoordinator.activeStandby.enabled", at(4, 14)},
		{"queryCoordinator.replicas", at(2, 13)},
		{"queryCoordinator.strategy", at(7, 3)},
		{"dataCoordinator.replicas", at(6, 13)},
		{"dataCoordinator.strategy.type", at(13, 48)},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			assert.Equal(t, tt.want, prov.Origin(tt.path))
		})
	}
}

func TestPath(t *testing.T) {
	tests := []struct {
		name   string
		build  func() string
		want   string
		parent string
	}{
		{"top-level key", func() string { return Join("", "rootCoordinator") }, "rootCoordinator", ""},
		{"nested key", func() string { return Join("rootCoordinator", "replicas") }, "rootCoordinator.replicas", "rootCoordinator"},
		{"key with a dot", func() string { return Join("rootCoordinator.annotations", "prometheus.io/scrape") },
			`rootCoordinator.annotations["prometheus.io/scrape"]`, "rootCoordinator.annotations"},
		{"top-level key with a dot", func() string { return Join("", "a.b") }, `["a.b"]`, ""},
		{"empty key", func() string { return Join("a", "") }, `a[""]`, "a"},
		{"key with brackets", func() string { return Join("a", "x[0]") }, `a["x[0]"]`, "a"},
		{"key with a quote", func() string { return Join("a", `say "hi"`) }, `a["say \"hi\""]`, "a"},
		{"key ending in a bracket and quote", func() string { return Join("a", `b"]`) }, `a["b\"]"]`, "a"},
		{"list index", func() string { return Index("rootCoordinator.tolerations", 0) }, "rootCoordinator.tolerations[0]", "rootCoordinator.tolerations"},
		{"key in a list item", func() string { return Join(Index("t", 12), "effect") }, "t[12].effect", "t[12]"},
		{"nested lists", func() string { return Index(Index("l", 1), 2) }, "l[1][2]", "l[1]"},
		{"quoted key after an index", func() string { return Join(Index("l", 0), "a.b") }, `l[0]["a.b"]`, "l[0]"},
		{"index after a quoted key", func() string { return Index(Join("m", "a.b"), 3) }, `m["a.b"][3]`, `m["a.b"]`},
		{"key holding [\" inside quotes", func() string { return Join("m", `x["y`) }, `m["x[\"y"]`, "m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.build()
			assert.Equal(t, tt.want, got)
			parent, ok := Parent(got)
			assert.True(t, ok)
			assert.Equal(t, tt.parent, parent)
		})
	}
	_, ok := Parent("")
	assert.False(t, ok, "the top level has no parent")
}

// TestPathRoundTrip walks real values and checks that every path built with
// Join and Index leads back, through Parent, to the path it was built from.
func TestPathRoundTrip(t *testing.T) {
	doc := mustParse(t, "v.yaml", `a:
  b: [1, {c: 2, "d.e": [3, {"f[0]": 4}]}]
  "": {"x]": 1, "y\"": 2, "[\"z": 3}
"top.level": {"a b": 1}
`)
	var paths int
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				p := Join(path, k)
				parent, ok := Parent(p)
				assert.True(t, ok)
				assert.Equal(t, path, parent, "Parent(Join(%q, %q))", path, k)
				paths++
				walk(p, c)
			}
		case []any:
			for i, c := range v {
				p := Index(path, i)
				parent, ok := Parent(p)
				assert.True(t, ok)
				assert.Equal(t, path, parent, "Parent(Index(%q, %d))", path, i)
				paths++
				walk(p, c)
			}
		}
	}
	walk("", doc.Values)
	assert.Equal(t, 15, paths)
}

func TestLookup(t *testing.T) {
	vals := map[string]any{"a": map[string]any{"b": 1, "n": nil}, "l": []any{1}}
	tests := []struct {
		keys []string
		want any
		ok   bool
	}{
		{[]string{"a", "b"}, 1, true},
		{[]string{"a", "n"}, nil, true},
		{[]string{"a", "x"}, nil, false},
		{[]string{"a", "b", "c"}, nil, false},
		{[]string{"l", "0"}, nil, false},
		{nil, vals, true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, "."), func(t *testing.T) {
			got, ok := Lookup(vals, tt.keys...)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

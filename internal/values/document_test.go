package values

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// aliasBomb is a "billion laughs" document: levels levels of nine aliases each
// of the level below, 9^levels strings once expanded (9 levels: 387 million).
func aliasBomb(levels int) string {
	var b strings.Builder
	b.WriteString(`l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i := 1; i < levels; i++ {
		prev := "*l" + itoa(i-1)
		b.WriteString("l" + itoa(i) + ": &l" + itoa(i) + " [" + strings.Repeat(prev+",", 8) + prev + "]\n")
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

// want is one expected finding of Parse.
type want struct {
	rule      string
	severity  finding.Severity
	line, col int
	message   string // a substring of the message; "" for any
}

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		wantDoc  bool
		values   map[string]any // checked when wantDoc
		findings []want
	}{
		{
			name:    "valid mapping",
			data:    "rootCoordinator:\n  replicas: 3\n  activeStandby:\n    enabled: true\n",
			wantDoc: true,
			values:  map[string]any{"rootCoordinator": map[string]any{"replicas": float64(3), "activeStandby": map[string]any{"enabled": true}}},
		},
		{
			name:     "empty file",
			data:     "",
			wantDoc:  true,
			values:   map[string]any{},
			findings: []want{{RuleEmpty, finding.Warning, 0, 0, "empty or only comments"}},
		},
		{
			name:     "only comments",
			data:     "# nothing to see\n   # here either\n",
			wantDoc:  true,
			values:   map[string]any{},
			findings: []want{{RuleEmpty, finding.Warning, 0, 0, ""}},
		},
		{
			name:     "null document",
			data:     "~\n",
			wantDoc:  true,
			values:   map[string]any{},
			findings: []want{{RuleEmpty, finding.Warning, 0, 0, ""}},
		},
		{
			name:     "explicit null",
			data:     "# values\nnull\n",
			wantDoc:  true,
			values:   map[string]any{},
			findings: []want{{RuleEmpty, finding.Warning, 0, 0, ""}},
		},
		{
			name:     "document marker only",
			data:     "---\n",
			wantDoc:  true,
			values:   map[string]any{},
			findings: []want{{RuleEmpty, finding.Warning, 0, 0, ""}},
		},
		{
			// Helm (sigs.k8s.io/yaml) reports line 2, where the `[` is.
			name:     "syntax error: unclosed flow sequence",
			data:     "a: 1\nb: [1, 2\n",
			findings: []want{{RuleSyntax, finding.Error, 2, 0, "invalid YAML"}},
		},
		{
			// Helm (sigs.k8s.io/yaml) reads a lone non-specific tag as the
			// string "" and refuses the file; it is no empty file
			name:     "lone tag is a scalar, not an empty file",
			data:     "!\n",
			findings: []want{{RuleNotMapping, finding.Error, 1, 1, "top level is a scalar"}},
		},
		{
			// Helm: cannot decode !!str `x` as a !!null
			name:     "null tag on a value is no empty file",
			data:     "!!null x\n",
			findings: []want{{RuleNotMapping, finding.Error, 1, 1, "the top level is a scalar"}},
		},
		{
			name:     "syntax error: bad indentation",
			data:     "rootCoordinator:\n  replicas: 2\nqueryCoordinator: 1\n replicas: 3\n",
			findings: []want{{RuleSyntax, finding.Error, 4, 0, "mapping values are not allowed"}},
		},
		{
			name:     "syntax error: unexpected character",
			data:     "a: 1\n\nb: @x\n",
			findings: []want{{RuleSyntax, finding.Error, 3, 0, "cannot start any token"}},
		},
		{
			name:     "syntax error: unknown anchor",
			data:     "a: *nowhere\n",
			findings: []want{{RuleSyntax, finding.Error, 0, 0, "unknown anchor 'nowhere'"}},
		},
		{
			name:     "syntax error: tab indentation",
			data:     "a:\n\tb: 1\n",
			findings: []want{{RuleSyntax, finding.Error, 2, 0, "invalid YAML"}},
		},
		{
			name:     "duplicate top-level key",
			data:     "a: 1\nb: 2\na: 3\n",
			findings: []want{{RuleDuplicateKey, finding.Error, 3, 1, `key "a" is set twice in this mapping (first at line 1)`}},
		},
		{
			name:     "duplicate key in nested mapping",
			data:     "rootCoordinator:\n  replicas: 1\n  activeStandby: {enabled: true}\n  replicas: 3\n",
			findings: []want{{RuleDuplicateKey, finding.Error, 4, 3, `key "replicas" is set twice in this mapping (first at line 2)`}},
		},
		{
			name:     "duplicate key in flow mapping",
			data:     "a: {x: 1, y: 2, x: 3}\n",
			findings: []want{{RuleDuplicateKey, finding.Error, 1, 17, `key "x" is set twice in this mapping (first at line 1)`}},
		},
		{
			name:     "duplicate key inside a list item",
			data:     "tolerations:\n  - key: a\n    effect: NoSchedule\n    key: b\n",
			findings: []want{{RuleDuplicateKey, finding.Error, 4, 5, `key "key" is set twice`}},
		},
		{
			// The base mapping is walked once where it stands and once more
			// where it is merged; its duplicate is one problem, reported once.
			name:     "duplicate key inside a merge-key base",
			data:     "base: &base\n  replicas: 1\n  replicas: 2\nrootCoordinator:\n  <<: *base\n",
			findings: []want{{RuleDuplicateKey, finding.Error, 3, 3, `key "replicas" is set twice in this mapping (first at line 2)`}},
		},
		{
			name:     "overriding a merged key is not a duplicate",
			data:     "base: &base\n  replicas: 1\nrootCoordinator:\n  <<: *base\n  replicas: 2\n",
			wantDoc:  true,
			values:   map[string]any{"base": map[string]any{"replicas": float64(1)}, "rootCoordinator": map[string]any{"replicas": float64(2)}},
			findings: nil,
		},
		{
			// the second document starts at its `---` marker
			name:     "two documents",
			data:     "a: 1\n---\nb: 2\n",
			findings: []want{{RuleMultipleDocs, finding.Error, 2, 1, "more than one YAML document"}},
		},
		{
			name:     "two documents after a leading marker",
			data:     "---\na: 1\n---\n# second\nb: 2\n",
			findings: []want{{RuleMultipleDocs, finding.Error, 3, 1, "more than one YAML document"}},
		},
		{
			name:     "leading document marker",
			data:     "---\na: 1\n",
			wantDoc:  true,
			values:   map[string]any{"a": float64(1)},
			findings: nil,
		},
		{
			name:     "top-level list",
			data:     "# a list\n- a\n- b\n",
			findings: []want{{RuleNotMapping, finding.Error, 2, 1, "top level is a list"}},
		},
		{
			name:     "top-level scalar",
			data:     "\n\n  replicas\n",
			findings: []want{{RuleNotMapping, finding.Error, 3, 3, "top level is a scalar"}},
		},
		{
			name:     "top-level number",
			data:     "42\n",
			findings: []want{{RuleNotMapping, finding.Error, 1, 1, "top level is a scalar"}},
		},
		{
			name:     "NUL byte",
			data:     "a: 1\nb: 2\nc: \x00\x01\x02\n",
			findings: []want{{RuleNotText, finding.Error, 3, 0, "not UTF-8 text"}},
		},
		{
			name:     "NUL byte on the first line",
			data:     "\x00ELF\x02\x01\x01\n\nstuff\n",
			findings: []want{{RuleNotText, finding.Error, 1, 0, ""}},
		},
		{
			name:     "invalid UTF-8",
			data:     "a: 1\nb: caf\xe9\nc: 3\n",
			findings: []want{{RuleNotText, finding.Error, 2, 0, "binary data"}},
		},
		{
			name:     "truncated UTF-8 sequence at the end",
			data:     "a: 1\n\n\nb: \xe2\x82",
			findings: []want{{RuleNotText, finding.Error, 4, 0, ""}},
		},
		{
			name:     "invalid UTF-8 before a NUL: the line of the first bad byte",
			data:     "a: \xff\nb: 1\nc: \x00\n",
			findings: []want{{RuleNotText, finding.Error, 1, 0, ""}},
		},
		{
			name:     "alias bomb",
			data:     aliasBomb(9),
			findings: []want{{RuleAliasBomb, finding.Error, 0, 0, "more than 200000 values"}},
		},
		{
			name:    "a few aliases are fine",
			data:    "a: &x [1, 2]\nb: *x\nc: *x\n",
			wantDoc: true,
			values:  map[string]any{"a": []any{float64(1), float64(2)}, "b": []any{float64(1), float64(2)}, "c": []any{float64(1), float64(2)}},
		},
		{
			name:    "YAML 1.1 booleans as Helm reads them",
			data:    "a: on\nb: yes\nc: off\nd: no\ne: y\nf: \"on\"\ng: True\nh: N\n",
			wantDoc: true,
			values:  map[string]any{"a": true, "b": true, "c": false, "d": false, "e": true, "f": "on", "g": true, "h": false},
		},
		{
			name:    "numbers are float64 as Helm reads them",
			data:    "a: 1\nb: 0x10\nc: 1e3\nd: 010\ne: 1.5\n",
			wantDoc: true,
			values:  map[string]any{"a": float64(1), "b": float64(16), "c": float64(1000), "d": float64(8), "e": 1.5},
		},
		{
			name:    "non-string keys become strings",
			data:    "1: one\ntrue: yes\n",
			wantDoc: true,
			values:  map[string]any{"1": "one", "true": true},
		},
		{
			name:    "byte order mark is accepted",
			data:    "\ufeffa: 1\n",
			wantDoc: true,
			values:  map[string]any{"a": float64(1)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, found := Parse("values/my.yaml", []byte(tt.data))
			if tt.wantDoc {
				require.NotNil(t, doc, "findings: %v", found)
				assert.Equal(t, "values/my.yaml", doc.Name)
				assert.Equal(t, tt.values, doc.Values)
			} else {
				assert.Nil(t, doc)
			}
			require.Len(t, found, len(tt.findings), "findings: %v", found)
			for i, w := range tt.findings {
				f := found[i]
				assert.Equal(t, w.rule, f.Rule)
				assert.Equal(t, w.severity, f.Severity)
				assert.Equal(t, "values/my.yaml", f.Origin.File)
				assert.Empty(t, f.Origin.Flag)
				if w.rule != RuleAliasBomb { // where the limit is reached is an implementation detail
					assert.Equal(t, w.line, f.Origin.Line, "line of %v", f)
					assert.Equal(t, w.col, f.Origin.Col, "column of %v", f)
				} else {
					assert.Positive(t, f.Origin.Line, "the bomb is reported at a line")
				}
				assert.Contains(t, f.Message, w.message)
				assert.NotEmpty(t, f.Fix)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	tests := []struct {
		name string
		size int
		ok   bool
	}{
		{"at the limit", MaxFileSize, true},
		{"one byte over", MaxFileSize + 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// a valid mapping padded with a comment to the size wanted
			data := append([]byte("a: 1\n#"), bytes.Repeat([]byte("x"), tt.size-6)...)
			require.Len(t, data, tt.size)
			doc, found := Parse("big.yaml", data)
			if tt.ok {
				require.NotNil(t, doc)
				assert.Empty(t, found)
				return
			}
			assert.Nil(t, doc)
			require.Len(t, found, 1)
			assert.Equal(t, RuleTooLarge, found[0].Rule)
			assert.Equal(t, finding.Error, found[0].Severity)
			assert.Equal(t, finding.Origin{File: "big.yaml"}, found[0].Origin)
			assert.Contains(t, found[0].Message, "4194304", "the message names the limit")
		})
	}
}

// TestParseAliasBombFailsFast shows the bound works by construction: each
// bomb below expands to more values than any machine could hold (9^9 strings
// for the 9-level one), so Parse returning at all, here and in the fuzz seed
// corpus, proves it stops counting before expanding.
func TestParseAliasBombFailsFast(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{"9 levels of 9 (387M values)", aliasBomb(9)},
		{"mapping bomb", "a: &a {x: 1, y: 1, z: 1, w: 1, v: 1, u: 1, t: 1, s: 1, r: 1, q: 1}\n" +
			"b: &b {a: *a, b: *a, c: *a, d: *a, e: *a, f: *a, g: *a, h: *a, i: *a, j: *a}\n" +
			"c: &c {a: *b, b: *b, c: *b, d: *b, e: *b, f: *b, g: *b, h: *b, i: *b, j: *b}\n" +
			"d: &d {a: *c, b: *c, c: *c, d: *c, e: *c, f: *c, g: *c, h: *c, i: *c, j: *c}\n" +
			"e: &e {a: *d, b: *d, c: *d, d: *d, e: *d, f: *d, g: *d, h: *d, i: *d, j: *d}\n" +
			"f: &f {a: *e, b: *e, c: *e, d: *e, e: *e, f: *e, g: *e, h: *e, i: *e, j: *e}\n" +
			"g: &g {a: *f, b: *f, c: *f, d: *f, e: *f, f: *f, g: *f, h: *f, i: *f, j: *f}\n" +
			"h: &h {a: *g, b: *g, c: *g, d: *g, e: *g, f: *g, g: *g, h: *g, i: *g, j: *g}\n" +
			"i: &i {a: *h, b: *h, c: *h, d: *h, e: *h, f: *h, g: *h, h: *h, i: *h, j: *h}\n"},
		{"bomb through merge keys", "a: &a {x: 1, y: 2}\n" +
			"b: &b {a: *a, b: *a, c: *a, d: *a, e: *a, f: *a, g: *a, h: *a, i: *a, j: *a}\n" +
			"c: &c {a: *b, b: *b, c: *b, d: *b, e: *b, f: *b, g: *b, h: *b, i: *b, j: *b}\n" +
			"d: &d {a: *c, b: *c, c: *c, d: *c, e: *c, f: *c, g: *c, h: *c, i: *c, j: *c}\n" +
			"e: &e {a: *d, b: *d, c: *d, d: *d, e: *d, f: *d, g: *d, h: *d, i: *d, j: *d}\n" +
			"f: &f {a: *e, b: *e, c: *e, d: *e, e: *e, f: *e, g: *e, h: *e, i: *e, j: *e}\n" +
			"g: &g {a: *f, b: *f, c: *f, d: *f, e: *f, f: *f, g: *f, h: *f, i: *f, j: *f}\n" +
			"h: &h {a: *g, b: *g, c: *g, d: *g, e: *g, f: *g, g: *g, h: *g, i: *g, j: *g}\n" +
			"top:\n  <<: [*h, *g, *f]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, found := Parse("bomb.yaml", []byte(tt.data))
			assert.Nil(t, doc)
			require.NotEmpty(t, found)
			assert.Equal(t, RuleAliasBomb, found[0].Rule)
			assert.Equal(t, finding.Error, found[0].Severity)
		})
	}
}

// TestParseValuesAreHelms compares Document.Values with what Helm's parser,
// sigs.k8s.io/yaml, makes of the same bytes.
func TestParseValuesAreHelms(t *testing.T) {
	inputs := []string{
		"a: 1\n",
		"a: on\nb: off\nc: yes\nd: no\ne: Y\nf: n\ng: ON\nh: Off\ni: TRUE\n",
		"a: 1.0\nb: 1e10\nc: -0\nf: 0o17\ng: 0b101\nh: 1_000\n",
		"a: .inf\n",
		"a: .nan\n",
		"a: 12345678901234567890\nb: -9223372036854775808\n",
		"a: ~\nb: null\nc: Null\nd:\n",
		"a: \"1\"\nb: '2'\nc: !!str 3\nd: !!int \"4\"\n",
		"a: 2024-01-02\nb: 2024-01-02T03:04:05Z\n",
		"a: |\n  line1\n  line2\nb: >\n  folded\n  text\n",
		"base: &b {x: 1, y: [1, 2]}\nc:\n  <<: *b\n  y: [3]\n",
		"a: &a {k: 1}\nb: &b {k: 2, j: 2}\nc: {<<: [*a, *b]}\n",
		"annotations:\n  prometheus.io/scrape: \"true\"\n  a.b.c: x\n",
		"list:\n  - a: 1\n    b: [x, y]\n  - - nested\n  - 3\n",
		"? complex\n: value\n",
		"1: a\n2.5: b\ntrue: c\n",
		"null: d\n",
		"a: !!binary aGVsbG8=\n",
		"a: 0x1F\nb: 0777\nc: +12\n",
		"\ufeffa: 1\n",
		"a:\r\n  b: 1\r\n",
		"{a: 1, b: {c: [1, 2, {d: e}]}}\n",
		"a: \"\\u00e9\\t\"\n",
	}
	for _, in := range inputs {
		t.Run(strings.SplitN(in, "\n", 2)[0], func(t *testing.T) {
			doc, found := Parse("x.yaml", []byte(in))
			var helm map[string]any
			if err := sigsyaml.Unmarshal([]byte(in), &helm); err != nil {
				// Helm refuses it too (.inf has no JSON form, a null key no string)
				assert.Nil(t, doc)
				require.Len(t, found, 1)
				assert.Equal(t, RuleSyntax, found[0].Rule)
				return
			}
			require.NotNil(t, doc, "findings: %v", found)
			assert.Equal(t, helm, doc.Values)
		})
	}
}

func TestParseDuplicateKeysAll(t *testing.T) {
	// every duplicate is reported, each at its own position
	doc, found := Parse("d.yaml", []byte("a: 1\na: 2\nb:\n  c: 1\n  c: 2\na: 3\n"))
	assert.Nil(t, doc)
	var got []string
	for _, f := range found {
		require.Equal(t, RuleDuplicateKey, f.Rule)
		got = append(got, f.Origin.String())
	}
	assert.ElementsMatch(t, []string{"d.yaml:2:1", "d.yaml:5:3", "d.yaml:6:1"}, got)
}

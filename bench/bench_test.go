// Package bench holds valuescheck's Go benchmarks, one per pipeline stage and
// one for the whole check, on realistic generated values files. `make bench`
// runs them with -count for benchstat; compare/ measures whole processes
// against Helm. Benchmarks are the record: no test here asserts a time.
package bench

import (
	"fmt"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	milvuscoord "github.com/milvus-coord/milvus-coord"
	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/coord"
	_ "github.com/milvus-coord/milvus-coord/internal/golden" // defines -update, which `go test ./... -update` passes to every package
	"github.com/milvus-coord/milvus-coord/internal/render"
	"github.com/milvus-coord/milvus-coord/internal/rules"
	"github.com/milvus-coord/milvus-coord/internal/schema"
	"github.com/milvus-coord/milvus-coord/internal/values"
	"github.com/milvus-coord/milvus-coord/internal/valuesgen"
)

// fixture is one generated values file taken through the stages once, so
// each benchmark measures its own stage only.
type fixture struct {
	chart     *chart.Chart
	defaults  *values.Defaults
	validator *schema.Validator
	data      []byte
	doc       *values.Document
	vals      chartutil.Values
	prov      *values.Provenance
}

func newFixture(b *testing.B) *fixture {
	b.Helper()
	ch, err := render.LoadChart(milvuscoord.Chart())
	if err != nil {
		b.Fatal(err)
	}
	f := &fixture{chart: ch, data: []byte(valuesgen.Generate(1, 1)[0])}
	for _, raw := range ch.Raw {
		if raw.Name == chartutil.ValuesfileName {
			f.defaults = values.NewDefaults("values.yaml", raw.Data)
		}
	}
	if f.validator, err = schema.Compile(ch.Schema); err != nil {
		b.Fatal(err)
	}
	f.doc, _ = values.Parse("generated.yaml", f.data)
	user, prov, problems := values.Merge(f.defaults, []*values.Document{f.doc}, nil)
	if len(problems) > 0 {
		b.Fatal(problems[0].Message)
	}
	f.prov = prov
	if f.vals, err = chartutil.CoalesceValues(ch, user); err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkStartup is what every process pays once: the embedded chart parsed
// and its schema compiled.
func BenchmarkStartup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := check.LoadChart(milvuscoord.Chart(), milvuscoord.ChartDir); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(f.data)))
	for b.Loop() {
		if doc, _ := values.Parse("generated.yaml", f.data); doc == nil {
			b.Fatal("parse failed")
		}
	}
}

func BenchmarkMerge(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		user, _, _ := values.Merge(f.defaults, []*values.Document{f.doc}, nil)
		if _, err := chartutil.CoalesceValues(f.chart, user); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSchema(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		if found := f.validator.Validate(f.vals, f.prov.Scalar); len(found) > 0 {
			b.Fatal(found[0].Message)
		}
	}
}

// BenchmarkRules builds the coordinator model from the values and runs every rule.
func BenchmarkRules(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		m := coord.FromValues(f.vals)
		m.UserSet = f.prov.SetByUser
		rules.Run(m)
	}
}

func BenchmarkSchemaAndRules(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		f.validator.ValidateAll(f.vals, f.prov.Scalar)
		m := coord.FromValues(f.vals)
		m.UserSet = f.prov.SetByUser
		rules.Run(m)
	}
}

func BenchmarkRender(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		res, err := render.Render(f.chart, f.vals, render.Options{})
		if err != nil {
			b.Fatal(err)
		}
		objs, _ := render.Decode(res.Manifests)
		rules.Run(coord.FromObjects(render.ModelObjects(objs)))
	}
}

// BenchmarkCheck is the whole check of one file as valuescheck runs it: parse,
// merge, schema, the model and its rules, Helm's guards, render, typed decode
// and the rules again on the rendered objects.
func BenchmarkCheck(b *testing.B) {
	ch, err := check.LoadChart(milvuscoord.Chart(), milvuscoord.ChartDir)
	if err != nil {
		b.Fatal(err)
	}
	files := valuesgen.Generate(1, 16)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in := &check.Input{Name: fmt.Sprintf("generated-%d.yaml", i%len(files)), Data: []byte(files[i%len(files)])}
		ch.Check(in, check.Options{Render: render.Options{Unordered: true}})
		i++
	}
}

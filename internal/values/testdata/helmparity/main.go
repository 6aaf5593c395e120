// Command helmparity prints the user values that Helm's own
// helm.sh/helm/v3/pkg/cli/values.Options.MergeValues computes for the value
// flags given, as a typed JSON tree (every scalar with its Go type), so that
// the values package's tests can compare values.Merge with Helm itself.
//
// It is a separate module so that the main module does not depend on Helm's
// CLI packages (and their Kubernetes client dependencies).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/cli"
	"helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/getter"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

func main() {
	var opts values.Options
	fs := flag.NewFlagSet("helmparity", flag.ExitOnError)
	fs.Var((*list)(&opts.ValueFiles), "f", "values file")
	fs.Var((*list)(&opts.JSONValues), "set-json", "")
	fs.Var((*list)(&opts.Values), "set", "")
	fs.Var((*list)(&opts.StringValues), "set-string", "")
	fs.Var((*list)(&opts.FileValues), "set-file", "")
	fs.Var((*list)(&opts.LiteralValues), "set-literal", "")
	_ = fs.Parse(os.Args[1:])
	merged, err := opts.MergeValues(getter.All(cli.New()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := json.Marshal(Typed(merged))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(string(out))
}

// Typed returns v as a tree that keeps every scalar's Go type. The tests hold
// a copy of this function: keep them in step.
func Typed(v any) any {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		m := make(map[string]any, len(v))
		for _, k := range keys {
			m[k] = Typed(v[k])
		}
		return map[string]any{"map": m}
	case []any:
		l := make([]any, len(v))
		for i, c := range v {
			l[i] = Typed(c)
		}
		return map[string]any{"list": l}
	case nil:
		return map[string]any{"type": "nil"}
	}
	return map[string]any{"type": fmt.Sprintf("%T", v), "value": fmt.Sprintf("%v", v)}
}

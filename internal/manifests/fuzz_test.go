package manifests

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzCheck: no stream makes the check panic, and every finding has a rule,
// a message and a file.
func FuzzCheck(f *testing.F) {
	files, _ := filepath.Glob("testdata/input/*.yaml")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{"", "---", "--- |\n x", "a: &a [*a]", "kind: List\napiVersion: v1\nitems: [1, {kind: List, apiVersion: v1, items: [[]]}]",
		"apiVersion: apps/v1\nkind: Deployment\nspec: {template: {spec: {containers: [{args: [milvus, run, mixcoord]}]}}}", "\xff\xfe-\x00", "a: 1\n...\n--- b\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fd := range Check("f.yaml", data) {
			if fd.Rule == "" || fd.Message == "" || fd.Origin.File != "f.yaml" {
				t.Fatalf("incomplete finding %+v", fd)
			}
		}
	})
}

// FuzzLocate: any path, on any object, gives a position inside the stream.
func FuzzLocate(f *testing.F) {
	data, _ := os.ReadFile("testdata/input/operator-cluster.yaml")
	f.Add("spec.template.spec.containers[querycoord].env[0]")
	f.Add("data.user.yaml")
	f.Add("spec.template.spec.containers[].image")
	f.Add("[..]][.")
	f.Fuzz(func(t *testing.T, p string) {
		objs, _, _ := Objects("c.yaml", data)
		for _, o := range objs {
			if at := o.Locate(p); at.Line < 1 || at.File != "c.yaml" {
				t.Fatalf("%q located at %+v", p, at)
			}
		}
	})
}

package render

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeValidatesMetadata: names, labels, annotations and selectors are
// validated as the API server validates them (apimachinery's validation).
func TestDecodeValidatesMetadata(t *testing.T) {
	deployment := func(name, label, selector string) string {
		return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ` + name + `
  labels:
    app.kubernetes.io/version: "` + label + `"
spec:
  selector:
    matchLabels:
      app: ` + selector + `
  template:
    metadata:
      labels:
        app: a
    spec:
      containers:
        - name: c
          image: x
`
	}
	tests := []struct {
		name, manifest string
		want           []string // parts of the one finding; none for a valid object
	}{
		{"valid", deployment("coord-rootcoord", "v2.4.17", "a"), nil},
		{"a digest in a label value", deployment("coord", "v2.4.17@sha256:abc", "a"),
			[]string{"Deployment coord has metadata the API server refuses", "metadata.labels: Invalid value: \"v2.4.17@sha256:abc\""}},
		{"an upper-case name", deployment("BadName-rootcoord", "v1", "a"), []string{"metadata.name: Invalid value: \"BadName-rootcoord\""}},
		{"a selector that does not match its pods", deployment("coord", "v1", "b"), []string{"`selector` does not match template `labels`"}},
		{"a Service name that is no DNS-1035 label", "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1coord\nspec:\n  ports: [{port: 80}]\n",
			[]string{"Service 1coord", "DNS-1035"}},
		{"a request above its limit", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n      containers:\n        - name: c\n          image: x\n          resources:\n            requests: {memory: 8Gi}\n            limits: {memory: 4Gi}\n",
			[]string{"spec.template.spec.containers[0].resources.requests[memory]: Invalid value: \"8Gi\": must be less than or equal to memory limit of 4Gi"}},
		{"a namespace is not required", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, found := Decode([]Manifest{{Name: "t/templates/x.yaml", Content: tt.manifest}})
			require.Len(t, objs, 1)
			if tt.want == nil {
				assert.Empty(t, found)
				return
			}
			require.Len(t, found, 1, "%v", found)
			assert.Equal(t, RuleTyped, found[0].Rule)
			assert.True(t, found[0].Stricter, "helm template renders it; the API server refuses it")
			for _, w := range tt.want {
				assert.Contains(t, found[0].Message, w)
			}
		})
	}
}

// TestModelObjects: each decoded object keeps its template, and a Deployment
// of the chart names the values block that made it.
func TestModelObjects(t *testing.T) {
	objs, found := Decode([]Manifest{
		{Name: "c/templates/coordinators.yaml", Content: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels: {app.kubernetes.io/component: mixcoord}\n  template:\n    metadata:\n      labels: {app.kubernetes.io/component: mixcoord}\n    spec:\n      containers: [{name: c, image: x}]\n"},
		{Name: "c/templates/cm.yaml", Content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"},
	})
	require.Empty(t, found)
	got := ModelObjects(objs)
	require.Len(t, got, 2)
	assert.Equal(t, "mixCoordinator", got[0].Block)
	assert.Equal(t, "Deployment d", got[0].At.Object)
	assert.Equal(t, "c/templates/coordinators.yaml", got[0].At.Origin.File)
	assert.Empty(t, got[1].Block)
	assert.Equal(t, "ConfigMap cm", got[1].At.Object)
}

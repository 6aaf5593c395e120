package e2e

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/restmapper"
)

// TestRenderedScenariosPassServerDryRun renders every scenario offline (`helm
// template`, as a GitOps tool would) and has the API server validate and default
// each object with a server-side dry-run create: no object is stored.
func TestRenderedScenariosPassServerDryRun(t *testing.T) {
	t.Parallel()
	groups, err := restmapper.GetAPIGroupResources(env.discovery)
	require.NoError(t, err)
	mapper := restmapper.NewDiscoveryRESTMapper(groups)

	for _, file := range scenarioFiles(t) {
		t.Run(scenarioName(file), func(t *testing.T) {
			t.Parallel()
			ns := newNamespace(t)
			r := mustHelm(t, "template", "dry", env.chartDir, "--namespace", ns,
				"--kube-version", kubeVersion, "--values", file)
			objects := decodeManifests(t, r.Stdout)
			require.NotEmpty(t, objects)

			ctx := apiContext(t)
			for _, obj := range objects {
				gvk := obj.GroupVersionKind()
				mapping, err := mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
				require.NoError(t, err, "%s %s", gvk, obj.GetName())
				client := env.dynamic.Resource(mapping.Resource)
				var created *unstructured.Unstructured
				if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
					require.Equal(t, ns, obj.GetNamespace(), "%s %s renders into another namespace", gvk.Kind, obj.GetName())
					created, err = client.Namespace(ns).Create(ctx, obj, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
				} else {
					created, err = client.Create(ctx, obj, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
				}
				require.NoError(t, err, "server-side dry-run of %s %s", gvk.Kind, obj.GetName())
				require.Equal(t, obj.GetName(), created.GetName())
			}
			requireNamespaceEmpty(t, ns) // a dry-run stores nothing
		})
	}
}

// decodeManifests splits `helm template` output into objects, skipping empty
// documents.
func decodeManifests(t *testing.T, manifests string) []*unstructured.Unstructured {
	t.Helper()
	dec := utilyaml.NewYAMLOrJSONDecoder(strings.NewReader(manifests), 4096)
	var out []*unstructured.Unstructured
	for {
		var m map[string]any
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		if len(m) == 0 {
			continue
		}
		out = append(out, &unstructured.Unstructured{Object: m})
	}
}

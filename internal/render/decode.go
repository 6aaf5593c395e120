package render

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// Rule IDs of findings about rendered objects.
const (
	RuleTemplate      = "render-template"       // the chart does not render: a template error or a `fail` guard
	RuleTyped         = "render-typed"          // a rendered object the Kubernetes API would refuse to decode
	RuleUncheckedKind = "render-unchecked-kind" // an object of a kind the typed check does not know
)

// Rules describes the render stage's findings.
func Rules() []finding.RuleDoc {
	return []finding.RuleDoc{
		{ID: RuleTemplate, Severity: finding.Error, Protects: "Values the chart's templates cannot render.", Fix: "Change the values the message names."},
		{ID: RuleTyped, Severity: finding.Error, HelmAccepts: true, Protects: "A rendered object the API server would refuse: an unknown field, a wrong type, an invalid quantity, a name, label or annotation the API's rules refuse, a selector that does not match its pods.", Fix: "Correct the field in the template or the value it renders."},
		{ID: RuleUncheckedKind, Severity: finding.Warning, HelmAccepts: true, Protects: "A rendered object of a kind the typed check does not know.", Fix: "Check it against the API reference."},
	}
}

// scheme knows the API types a coordinator chart renders. It is built from the
// few groups needed, not client-go's full scheme, to keep process start fast.
var scheme = func() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, policyv1.AddToScheme, networkingv1.AddToScheme,
		batchv1.AddToScheme, autoscalingv2.AddToScheme, rbacv1.AddToScheme,
	} {
		if err := add(s); err != nil {
			panic(err) // unreachable: the groups are registered into a new scheme
		}
	}
	return s
}()

// Object is a rendered manifest decoded into its API type.
type Object struct {
	Template string         // the template that produced it, e.g. milvus-coord/templates/deployment.yaml
	Object   runtime.Object // nil when it could not be decoded
}

// Decode decodes every manifest strictly into its Kubernetes API type, the way
// the API server reads it: case-sensitive field names, unknown and duplicate
// fields refused, quantities and int-or-string values parsed. Each problem is
// a finding at the template that produced the object. Each manifest is parsed
// once: its head (apiVersion, kind, name) comes from the same JSON.
func Decode(manifests []Manifest) ([]Object, []finding.Finding) {
	var objs []Object
	var out []finding.Finding
	for _, m := range manifests {
		at := finding.Origin{File: m.Name}
		data, err := yaml.YAMLToJSON([]byte(m.Content))
		if err != nil {
			out = append(out, finding.Finding{Rule: RuleTyped, Severity: finding.Error, Origin: at,
				Message: "a rendered object is not valid YAML: " + err.Error(), Fix: "correct the template"})
			continue
		}
		if string(data) == "null" {
			continue // only comments: Helm renders it, and nothing is applied
		}
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		_ = json.Unmarshal(data, &head) // a wrong type here is the strict decode's to report
		name := "a " + cmp.Or(head.Kind, "object")
		if head.Kind != "" && head.Metadata.Name != "" {
			name = head.Kind + " " + head.Metadata.Name
		}
		if head.APIVersion == "" || head.Kind == "" {
			out = append(out, finding.Finding{Rule: RuleTyped, Severity: finding.Error, Origin: at,
				Message: "a rendered object has no apiVersion or kind: Kubernetes refuses it",
				Fix:     "give every object in the template an apiVersion and a kind"})
			continue
		}
		obj, err := scheme.New(schema.FromAPIVersionAndKind(head.APIVersion, head.Kind))
		if err != nil {
			out = append(out, finding.Finding{Rule: RuleUncheckedKind, Severity: finding.Warning, Origin: at, Stricter: true,
				Message: fmt.Sprintf("%s is of kind %s %s, which the typed check does not know: it was not checked", name, head.APIVersion, head.Kind),
				Fix:     "check the object against the API reference of " + head.APIVersion})
			objs = append(objs, Object{Template: m.Name})
			continue
		}
		if err := decodeStrict(data, obj); err != nil {
			out = append(out, finding.Finding{Rule: RuleTyped, Severity: finding.Error, Origin: at, Stricter: true,
				Message: fmt.Sprintf("%s does not decode as %s %s: %s; the API server would refuse it", name, head.APIVersion, head.Kind, err),
				Fix:     "correct the field in the template (or the value it renders)"})
			objs = append(objs, Object{Template: m.Name})
			continue
		}
		if errs := validateMetadata(obj); len(errs) > 0 {
			out = append(out, finding.Finding{Rule: RuleTyped, Severity: finding.Error, Origin: at, Stricter: true,
				Message: fmt.Sprintf("%s has metadata the API server refuses: %s", name, metadataMessage(errs)),
				Fix:     "change the value the template renders there (names, labels and annotations have the API's length and character rules)"})
		}
		objs = append(objs, Object{Template: m.Name, Object: obj})
	}
	return objs, out
}

// decodeStrict decodes JSON into obj as the API server would.
func decodeStrict(data []byte, obj runtime.Object) error {
	strict, err := sigsjson.UnmarshalStrict(data, obj)
	if err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	if len(strict) > 0 {
		msgs := make([]string, len(strict))
		for i, e := range strict {
			msgs[i] = strings.TrimPrefix(e.Error(), "json: ")
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	return nil
}

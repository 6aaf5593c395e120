package manifests

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/yamlnode"
)

// head is what every object says of itself.
type head struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Items []json.RawMessage `json:"items"`
}

// newObject returns the API type the model reads for apiVersion and kind;
// nil for every other object, which is ignored.
func newObject(apiVersion, kind string) any {
	switch apiVersion + " " + kind {
	case "apps/v1 Deployment":
		return &appsv1.Deployment{}
	case "apps/v1 StatefulSet":
		return &appsv1.StatefulSet{}
	case "v1 ConfigMap":
		return &corev1.ConfigMap{}
	case "policy/v1 PodDisruptionBudget", "policy/v1beta1 PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{} // the selector reads alike in both
	case "networking.k8s.io/v1 NetworkPolicy":
		return &networkingv1.NetworkPolicy{}
	}
	return nil
}

// Objects reads a stream into the objects the model reads, each located in
// the stream, and the findings about the stream; total counts every object
// in it (ignored ones too).
func Objects(name string, data []byte) (objs []coord.Object, total int, out []finding.Finding) {
	docs, out := parse(name, data)
	for _, d := range docs {
		o, n, found := objects(name, d.node, d.line, d.json)
		objs, total, out = append(objs, o...), total+n, append(out, found...)
	}
	return objs, total, out
}

// objects decodes one document: an object, or a List whose items are.
func objects(file string, node *yaml.Node, line int, data []byte) ([]coord.Object, int, []finding.Finding) {
	n := yamlnode.Resolve(node)
	at := finding.Origin{File: file, Line: line + n.Line, Col: n.Column}
	notObject := func(msg string) []finding.Finding {
		return []finding.Finding{{Rule: RuleNotObject, Severity: finding.Error, Origin: at, Message: msg,
			Fix: "remove the document, or make it a Kubernetes object with an apiVersion and a kind"}}
	}
	if n.Kind != yaml.MappingNode {
		return nil, 0, notObject(fmt.Sprintf("the document is a %s, not a Kubernetes object: it was not checked", yamlnode.KindName(n)))
	}
	var h head
	if err := json.Unmarshal(data, &h); err != nil {
		// A field of the head with another type: kubectl refuses it.
		return nil, 0, []finding.Finding{{Rule: RuleDecode, Severity: finding.Error, Origin: at,
			Message: "the object's apiVersion, kind, metadata or items cannot be read: " + decodeError(err),
			Fix:     "write apiVersion and kind as strings, metadata as a mapping"}}
	}
	if h.APIVersion == "" || h.Kind == "" {
		return nil, 0, notObject("the document has no apiVersion or kind: it is no Kubernetes object, and kubectl refuses it")
	}
	if h.Kind == "List" || strings.HasSuffix(h.Kind, "List") && h.Items != nil {
		items := child(n, "items")
		var objs []coord.Object
		var out []finding.Finding
		total := 0
		for i, raw := range h.Items {
			item := node
			if items != nil && i < len(items.Content) {
				item = items.Content[i]
			}
			o, t, found := objects(file, item, line, raw)
			objs, total, out = append(objs, o...), total+t, append(out, found...)
		}
		return objs, total, out
	}
	obj := newObject(h.APIVersion, h.Kind)
	name := h.Kind + " " + cmp.Or(h.Metadata.Name, "(unnamed)")
	if obj == nil {
		return nil, 1, nil // not an object the model reads: ignored
	}
	if err := json.Unmarshal(data, obj); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			at = locator(file, line, n)(te.Field) // the field, or the nearest written above it
		}
		return nil, 1, []finding.Finding{{Rule: RuleDecode, Severity: finding.Error, Origin: at,
			Message: fmt.Sprintf("%s does not decode as %s %s: %s; the API server refuses it, and it was not checked", name, h.APIVersion, h.Kind, decodeError(err)),
			Fix:     "correct the field the message names"}}
	}
	return []coord.Object{{Object: obj, At: coord.Source{Object: name, Origin: at}, Locate: locator(file, line, n)}}, 1, nil
}

// decodeError says what a JSON decode error means in the object's terms:
// "spec.replicas is a string where Kubernetes expects an integer".
func decodeError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		want := "a " + te.Type.Kind().String()
		switch te.Type.Kind() {
		case reflect.Struct, reflect.Map:
			want = "a mapping"
		case reflect.Slice, reflect.Array:
			want = "a list"
		case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Int8, reflect.Int16:
			want = "an integer"
		case reflect.Bool:
			want = "a boolean"
		}
		got := te.Value
		switch got {
		case "array":
			got = "list"
		case "object":
			got = "mapping"
		}
		return fmt.Sprintf("%s is a %s where Kubernetes expects %s", te.Field, got, want)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// locator returns where a field of the object, given as a Source path, stands
// in the stream: the field's key, or the nearest enclosing key written.
// A path is dotted keys, each optionally followed by [selector]: a list index,
// the item whose name it is (containers[milvus]), or [] for the first item;
// a key may hold dots itself (data.user.yaml).
func locator(file string, line int, obj *yaml.Node) func(string) finding.Origin {
	return func(p string) finding.Origin {
		at := obj
		n := obj
		parts := strings.Split(p, ".")
		if p == "" {
			parts = nil
		}
	walk:
		for len(parts) > 0 {
			if yamlnode.Resolve(n).Kind != yaml.MappingNode {
				break
			}
			// The longest run of parts that is a key: ConfigMap keys hold dots.
			for j := len(parts); j > 0; j-- {
				key, sel, hasSel := cutSelector(strings.Join(parts[:j], "."))
				k, v := entry(yamlnode.Resolve(n), key)
				if k == nil {
					continue
				}
				at, n, parts = k, v, parts[j:]
				if hasSel {
					item := selectItem(yamlnode.Resolve(v), sel)
					if item == nil {
						break walk
					}
					at, n = item, item
				}
				continue walk
			}
			break
		}
		return finding.Origin{File: file, Line: line + at.Line, Col: at.Column}
	}
}

// cutSelector splits "containers[milvus]" into containers and milvus.
func cutSelector(part string) (key, sel string, ok bool) {
	i := strings.LastIndexByte(part, '[')
	if i < 0 || !strings.HasSuffix(part, "]") || strings.ContainsAny(part[:i], "[]") {
		return part, "", false
	}
	return part[:i], part[i+1 : len(part)-1], true
}

// selectItem picks an item of a list: by index, by its name, or the first.
func selectItem(list *yaml.Node, sel string) *yaml.Node {
	if list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
		return nil
	}
	if sel == "" {
		return list.Content[0]
	}
	if i, err := strconv.Atoi(sel); err == nil {
		if i >= 0 && i < len(list.Content) {
			return list.Content[i]
		}
		return nil
	}
	for _, item := range list.Content {
		if _, v := entry(yamlnode.Resolve(item), "name"); v != nil && yamlnode.Resolve(v).Value == sel {
			return item
		}
	}
	return nil
}

// entry returns the key and value nodes of key in mapping m.
func entry(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			k, v = m.Content[i], m.Content[i+1] // the last wins, as in the JSON
		}
	}
	return k, v
}

func child(m *yaml.Node, key string) *yaml.Node {
	_, v := entry(m, key)
	if v == nil {
		return nil
	}
	return yamlnode.Resolve(v)
}

package valuesschema

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// quantityPattern is the Kubernetes resource.Quantity syntax ("500m", "1Gi",
// "1e3"), so an invalid quantity fails at `helm install`, not at the API server.
const quantityPattern = `^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$`

var (
	quantityType = reflect.TypeOf(resource.Quantity{})
	intOrString  = reflect.TypeOf(intstr.IntOrString{})
)

// swaggerDocumented is implemented by every k8s.io/api type: its field docs.
type swaggerDocumented interface {
	SwaggerDoc() map[string]string
}

// kubeTypes turns Kubernetes API types (k8s.io/api structs, or slices or maps of
// them) into schemas, field by field from their JSON tags, with the API's own
// field documentation as descriptions and additionalProperties false on every
// object. Each struct is described once, under definitions, and referenced with
// a local $ref wherever it is used, which keeps the schema small.
type kubeTypes struct {
	definitions map[string]*Schema
}

func newKubeTypes() *kubeTypes { return &kubeTypes{definitions: map[string]*Schema{}} }

// schema describes the type of v; description documents the values key.
func (k *kubeTypes) schema(v any, description string) *Schema {
	s := k.of(reflect.TypeOf(v))
	s.Description = description
	return s
}

func (k *kubeTypes) of(t reflect.Type) *Schema {
	switch t {
	case quantityType:
		return &Schema{
			Type:    []string{"string", "number"},
			Pattern: quantityPattern,
		}
	case intOrString:
		return &Schema{Type: []string{"integer", "string"}}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return k.of(t.Elem())
	case reflect.Bool:
		return &Schema{Type: "boolean"}
	case reflect.String:
		return &Schema{Type: "string"}
	case reflect.Int32:
		// The API server refuses what does not fit in 32 bits; Helm would not.
		return &Schema{Type: "integer", Minimum: ptr(float64(math.MinInt32)), Maximum: ptr(float64(math.MaxInt32))}
	case reflect.Int, reflect.Int64:
		return &Schema{Type: "integer"}
	case reflect.Float32, reflect.Float64:
		return &Schema{Type: "number"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return &Schema{Type: "string"}
		}
		return &Schema{Type: "array", Items: k.of(t.Elem())}
	case reflect.Map:
		return &Schema{Type: "object", AdditionalProperties: k.of(t.Elem())}
	case reflect.Struct:
		return k.ref(t)
	}
	panic(fmt.Sprintf("valuesschema: no schema for Kubernetes type %s", t))
}

// ref returns a $ref to the definition of struct t, adding it on first use.
func (k *kubeTypes) ref(t reflect.Type) *Schema {
	name := strings.NewReplacer("k8s.io/", "io.k8s.", "/", ".").Replace(t.PkgPath()) + "." + t.Name()
	if _, ok := k.definitions[name]; !ok {
		k.definitions[name] = nil // reserved while its fields are described
		k.definitions[name] = k.object(t)
	}
	return &Schema{Ref: "#/definitions/" + name}
}

func (k *kubeTypes) object(t reflect.Type) *Schema {
	var docs map[string]string
	if d, ok := reflect.New(t).Elem().Interface().(swaggerDocumented); ok {
		docs = d.SwaggerDoc()
	}
	s := &Schema{
		Type:                 "object",
		Properties:           map[string]*Schema{},
		AdditionalProperties: false,
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" {
			for name, field := range k.object(f.Type).Properties {
				s.Properties[name] = field
			}
			continue
		}
		field := k.of(f.Type)
		field.Description = firstSentence(docs[name])
		if field.Description == "" {
			field.Description = fmt.Sprintf("Kubernetes %s.%s.", t.Name(), name)
		}
		s.Properties[name] = field
	}
	return s
}

// firstSentence keeps the first sentence of an API field doc: the rest is detail
// (feature gates, defaults per version) that belongs in the API reference.
func firstSentence(doc string) string {
	doc, _, _ = strings.Cut(doc, "\n")
	if i := strings.Index(doc, ". "); i >= 0 {
		doc = doc[:i+1]
	}
	return strings.TrimSpace(doc)
}

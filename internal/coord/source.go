package coord

import "github.com/milvus-coord/milvus-coord/internal/finding"

// Source is where a fact came from: a values path (its file:line:col is found
// later, from the values' provenance), or a field of a rendered object with its
// position in the manifest stream.
type Source struct {
	// Path is the values path ("rootCoordinator.replicas") for facts read from
	// values, or the field ("spec.replicas") of Object.
	Path string
	// Object names the Kubernetes object the field belongs to ("Deployment
	// coord-rootcoord"); empty for values.
	Object string
	// Origin is the position, when the producer knows it.
	Origin finding.Origin
	// Block is the values block that made Object, when known (this chart's
	// own render): findings about the object point at it.
	Block string
}

// Name is how a message names the source: the values path, or the field of
// the object.
func (s Source) Name() string {
	if s.Object == "" {
		return s.Path
	}
	if s.Path == "" {
		return s.Object
	}
	return s.Path + " of " + s.Object
}

// Fact is one thing known about a workload, with where it came from. Known is
// false when the producer could not read it (a value of the wrong type, which
// the schema reports): rules judge only known facts.
type Fact[T any] struct {
	Value T
	Known bool
	At    Source
}

// Known returns a known fact.
func Known[T any](v T, at Source) Fact[T] { return Fact[T]{Value: v, Known: true, At: at} }

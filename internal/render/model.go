package render

import (
	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// componentLabel carries the coordinator a Deployment of this chart runs.
const componentLabel = "app.kubernetes.io/component"

// componentBlocks maps the component label of this chart's Deployments to the
// values block that made them.
var componentBlocks = func() map[string]string {
	blocks := map[string]string{coord.MixcoordName: coord.MixcoordValuesKey}
	for _, r := range coord.Required {
		blocks[r.Name] = r.ValuesKey
	}
	return blocks
}()

// ModelObjects prepares rendered objects for coord.FromObjects: each names its
// template, and a Deployment of the chart names the values block that made it
// (its component label is the role it runs, or mixcoord).
func ModelObjects(objs []Object) []coord.Object {
	out := make([]coord.Object, 0, len(objs))
	for _, o := range objs {
		if o.Object == nil {
			continue
		}
		m := coord.Object{Object: o.Object, At: coord.Source{Origin: finding.Origin{File: o.Template}}}
		if acc, err := meta.Accessor(o.Object); err == nil {
			m.At.Object = o.Object.GetObjectKind().GroupVersionKind().Kind + " " + acc.GetName()
			if pod := podLabels(o.Object); pod != nil {
				m.Block = componentBlocks[pod[componentLabel]]
			}
		}
		out = append(out, m)
	}
	return out
}

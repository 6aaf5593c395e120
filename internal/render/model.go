package render

import (
	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// componentLabel carries the coordinator a Deployment of this chart runs;
// upstreamComponentLabel is the one zilliztech's milvus chart uses.
const (
	componentLabel         = "app.kubernetes.io/component"
	upstreamComponentLabel = "component"
)

// componentBlocks maps the component label of this chart's Deployments to the
// values block that made them.
var componentBlocks = func() map[string]string {
	blocks := map[string]string{coord.MixcoordName: coord.MixcoordValuesKey}
	for _, r := range append(coord.Required, coord.IndexCoord) {
		blocks[r.Name] = r.ValuesKey
	}
	return blocks
}()

// ModelObjects prepares rendered objects for coord.FromObjects: each names its
// template, and a Deployment of the chart names the values block that made it
// (its component label, or the upstream chart's, is the role it runs, or
// mixcoord).
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
				component, ok := pod[componentLabel]
				if !ok {
					component = pod[upstreamComponentLabel]
				}
				m.Block = componentBlocks[component]
			}
		}
		out = append(out, m)
	}
	return out
}

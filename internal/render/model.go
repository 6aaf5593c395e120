package render

import (
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// ComponentLabel carries the coordinator a Deployment of this chart runs
// (rootcoord, ..., mixcoord); upstreamComponentLabel is the one zilliztech's
// milvus chart uses.
const (
	ComponentLabel         = "app.kubernetes.io/component"
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

// Coordinators returns the coordinator Deployments of this chart among the
// rendered objects, in render order, and the ConfigMaps by name: what the
// forms outside Kubernetes (compose, local) are made from.
func Coordinators(objs []Object) ([]*appsv1.Deployment, map[string]*corev1.ConfigMap) {
	var deployments []*appsv1.Deployment
	configMaps := map[string]*corev1.ConfigMap{}
	for _, o := range objs {
		switch obj := o.Object.(type) {
		case *corev1.ConfigMap:
			configMaps[obj.Name] = obj
		case *appsv1.Deployment:
			if _, ok := componentBlocks[obj.Spec.Template.Labels[ComponentLabel]]; ok {
				deployments = append(deployments, obj)
			}
		}
	}
	return deployments, configMaps
}

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
				component, ok := pod[ComponentLabel]
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

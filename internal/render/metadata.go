package render

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validateMetadata checks an object the way the API server does, where Helm
// does not: its metadata (name, namespace, labels, annotations, with
// apimachinery's own validation), for workloads their pod template's labels
// and annotations, that the selector matches them, and that no resource
// request exceeds its limit.
func validateMetadata(obj runtime.Object) field.ErrorList {
	var errs field.ErrorList
	name := apivalidation.NameIsDNSSubdomain
	if _, ok := obj.(*corev1.Service); ok {
		name = apivalidation.NameIsDNS1035Label
	}
	if m, err := objectMeta(obj); err == nil {
		// A namespace is checked when the object names one: a manifest may
		// leave it to the request, as `helm template` of most charts does.
		errs = append(errs, apivalidation.ValidateObjectMeta(m, m.Namespace != "", name, field.NewPath("metadata"))...)
	}
	errs = append(errs, validateResources(obj)...)
	tmpl, sel := podTemplate(obj)
	if tmpl != nil {
		p := field.NewPath("spec", "template", "metadata")
		errs = append(errs, metav1validation.ValidateLabels(tmpl.Labels, p.Child("labels"))...)
		errs = append(errs, apivalidation.ValidateAnnotations(tmpl.Annotations, p.Child("annotations"))...)
		if sel != nil {
			s, err := metav1.LabelSelectorAsSelector(sel)
			switch {
			case err != nil:
				errs = append(errs, field.Invalid(field.NewPath("spec", "selector"), sel, err.Error()))
			case s.Empty() || !s.Matches(labels.Set(tmpl.Labels)):
				errs = append(errs, field.Invalid(field.NewPath("spec", "template", "metadata", "labels"), tmpl.Labels, "`selector` does not match template `labels`"))
			}
		}
	}
	return errs
}

// validateResources refuses a container resource request above its limit, as
// the API server does: a values file that raises only a request over the
// chart's default limit renders, then fails at install.
func validateResources(obj runtime.Object) field.ErrorList {
	spec := podSpec(obj)
	if spec == nil {
		return nil
	}
	var errs field.ErrorList
	for i, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
		p := field.NewPath("spec", "template", "spec", "containers").Index(i).Child("resources", "requests")
		for name, req := range c.Resources.Requests {
			if limit, ok := c.Resources.Limits[name]; ok && req.Cmp(limit) > 0 {
				errs = append(errs, field.Invalid(p.Key(string(name)), req.String(),
					fmt.Sprintf("must be less than or equal to %s limit of %s", name, limit.String())))
			}
		}
	}
	return errs
}

func podSpec(obj runtime.Object) *corev1.PodSpec {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		return &o.Spec.Template.Spec
	case *appsv1.StatefulSet:
		return &o.Spec.Template.Spec
	case *appsv1.DaemonSet:
		return &o.Spec.Template.Spec
	case *batchv1.Job:
		return &o.Spec.Template.Spec
	}
	return nil
}

func objectMeta(obj runtime.Object) (*metav1.ObjectMeta, error) {
	type hasMeta interface{ GetObjectMeta() metav1.Object }
	if o, ok := obj.(hasMeta); ok {
		if m, ok := o.GetObjectMeta().(*metav1.ObjectMeta); ok {
			return m, nil
		}
	}
	return nil, fmt.Errorf("%T has no object metadata", obj)
}

// podTemplate returns a workload's pod template and selector.
func podTemplate(obj runtime.Object) (*metav1.ObjectMeta, *metav1.LabelSelector) {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		return &o.Spec.Template.ObjectMeta, o.Spec.Selector
	case *appsv1.StatefulSet:
		return &o.Spec.Template.ObjectMeta, o.Spec.Selector
	case *appsv1.DaemonSet:
		return &o.Spec.Template.ObjectMeta, o.Spec.Selector
	case *batchv1.Job:
		return &o.Spec.Template.ObjectMeta, nil
	}
	return nil, nil
}

// podLabels returns the labels of a workload's pods, nil for other objects.
func podLabels(obj runtime.Object) map[string]string {
	if tmpl, _ := podTemplate(obj); tmpl != nil {
		return tmpl.Labels
	}
	return nil
}

// metadataMessage words the API server's refusal for a finding.
func metadataMessage(errs field.ErrorList) string {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

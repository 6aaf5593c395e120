package coord

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	yamlv3 "gopkg.in/yaml.v3"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// configDir is where the Milvus image reads its config files, in load order
// (pkg/util/paramtable/base_table.go: milvus.yaml, then default.yaml, then
// user.yaml, each overriding the one before).
const configDir = "/milvus/configs"

var configFiles = []string{"milvus.yaml", "default.yaml", "user.yaml"}

// The Milvus operator mounts its ConfigMap at /milvus/configs/operator and
// starts Milvus through /milvus/tools/run.sh, which links operator/user.yaml
// to /milvus/configs/user.yaml and merges it into milvus.yaml
// (zilliztech/milvus-operator scripts/run.sh, pkg/controllers/deployments.go).
const (
	operatorConfigDir = configDir + "/operator"
	operatorRunScript = "/milvus/tools/run.sh"
)

// Object is a decoded Kubernetes object and where it stands.
type Object struct {
	Object any    // *appsv1.Deployment, *appsv1.StatefulSet, *corev1.ConfigMap, *policyv1.PodDisruptionBudget, ...
	At     Source // the object, for messages (Object set, Path empty)
	Block  string // the values block that made it, when known (this chart's render)
	// Locate returns the position of a field of the object, given as a
	// Source path (spec.replicas, spec.template.spec.containers[milvus].env[0],
	// data.user.yaml), or of the nearest enclosing field written; nil when only
	// the object's position (At.Origin) is known.
	Locate func(path string) finding.Origin
}

// origin is where field p of the object stands.
func (o Object) origin(p string) finding.Origin {
	if o.Locate == nil {
		return o.At.Origin
	}
	return o.Locate(p)
}

// Kinds of the workloads that run coordinators.
const (
	KindDeployment  = "Deployment"
	KindStatefulSet = "StatefulSet"
)

// podWorkload is what FromObjects reads of a Deployment or a StatefulSet.
type podWorkload struct {
	kind, namespace, name string
	replicas              *int32
	pod                   corev1.PodTemplateSpec
	strategy              func(field func(string) Source) Strategy
}

func asWorkload(obj any) (podWorkload, bool) {
	switch x := obj.(type) {
	case *appsv1.Deployment:
		if x != nil {
			return podWorkload{KindDeployment, x.Namespace, x.Name, x.Spec.Replicas, x.Spec.Template,
				func(field func(string) Source) Strategy { return deploymentStrategy(x.Spec.Strategy, field) }}, true
		}
	case *appsv1.StatefulSet:
		if x != nil {
			return podWorkload{KindStatefulSet, x.Namespace, x.Name, x.Spec.Replicas, x.Spec.Template,
				func(field func(string) Source) Strategy { return statefulSetStrategy(x.Spec.UpdateStrategy, field) }}, true
		}
	}
	return podWorkload{}, false
}

// configMapObject is a ConfigMap and where it stands.
type configMapObject struct {
	cm  *corev1.ConfigMap
	obj Object
}

// FromObjects builds the model from rendered objects: every Deployment or
// StatefulSet whose container runs `milvus run <coordinator>`, with the
// ConfigMaps it mounts into /milvus/configs and its env (env, envFrom and
// configMapKeyRef resolved from the ConfigMaps given) as Milvus reads them,
// its rollout, its spread, its liveness probe and the PodDisruptionBudgets
// that select its pods. Other objects are ignored.
func FromObjects(objs []Object) *Model {
	m := &Model{}
	configMaps := map[string]configMapObject{}
	var pdbs []*policyv1.PodDisruptionBudget
	var policies []*networkingv1.NetworkPolicy
	for _, o := range objs {
		switch obj := o.Object.(type) {
		case *corev1.ConfigMap:
			if obj != nil {
				configMaps[obj.Namespace+"/"+obj.Name] = configMapObject{obj, o}
			}
		case *policyv1.PodDisruptionBudget:
			if obj != nil {
				pdbs = append(pdbs, obj)
			}
		case *networkingv1.NetworkPolicy:
			if obj != nil {
				policies = append(policies, obj)
			}
		}
	}
	type deployed struct {
		w   *Workload
		d   podWorkload
		pod labels.Set
	}
	var all []deployed
	for _, o := range objs {
		d, ok := asWorkload(o.Object)
		if !ok {
			continue
		}
		c, process, roles := milvusContainer(d.pod.Spec.Containers)
		if c == nil {
			continue
		}
		name := o.At.Object
		if name == "" {
			name = d.kind + " " + d.name
		}
		field := func(p string) Source { return Source{Object: name, Path: p, Origin: o.origin(p), Block: o.Block} }
		if tag, ok := imageTag(c.Image); ok && !m.Tag.Known {
			m.Tag = Known(tag, field("spec.template.spec.containers[].image"))
			if v, ok := ParseVersion(tag); ok {
				m.Version = Known(v, m.Tag.At)
			}
		}
		if process == Mixture && m.Version.Known && m.Version.Value.MixcoordOnly() {
			process = Mixcoord // the mixture flags start mixcoord on 2.6
		}
		w := &Workload{Name: name, Block: o.Block, Origin: o.At.Origin, Process: process, Roles: roles, Config: NewConfig()}
		replicas := 1
		if d.replicas != nil {
			replicas = int(*d.replicas)
		}
		w.Replicas = Known(replicas, field("spec.replicas"))
		w.Heaptrack = Known(underHeaptrack(c), field("spec.template.spec.containers[].args"))
		var missing []string
		w.Config, missing = containerConfig(d, c, configMaps, field)
		for _, name := range missing {
			// `kubectl get deploy` without its ConfigMaps: Milvus reads a
			// config nobody here can see, not Milvus' defaults.
			ExternalConfig(w, "ConfigMap "+name, field("spec.template.spec.volumes"))
		}
		grace := 30 // the API server's default
		if g := d.pod.Spec.TerminationGracePeriodSeconds; g != nil {
			grace = int(*g)
		}
		w.Grace = Known(grace, field("spec.template.spec.terminationGracePeriodSeconds"))
		strategyAt := "spec.strategy"
		if d.kind == KindStatefulSet {
			strategyAt = "spec.updateStrategy"
		}
		w.Strategy = Known(d.strategy(field), field(strategyAt))
		pod := labels.Set(d.pod.Labels)
		w.Spread = Known(podSpread(d.pod.Spec, pod, name, field), field("spec.template.spec.affinity"))
		probeAt := field(fmt.Sprintf("spec.template.spec.containers[%s].livenessProbe", c.Name))
		w.Liveness = Known(probe(c.LivenessProbe, c.Name, probeAt), probeAt)
		all = append(all, deployed{w: w, d: d, pod: pod})
	}
	for _, x := range all {
		b := Budget{Remedy: fmt.Sprintf("add a PodDisruptionBudget with maxUnavailable: 1 selecting only the pods of %s", x.w.Name)}
		for _, p := range pdbs {
			if p.Namespace != x.d.namespace || !selects(p.Spec.Selector, x.pod) {
				continue
			}
			b.Covered, b.Name = true, p.Name
			for _, other := range all {
				if other.w != x.w && other.d.namespace == x.d.namespace && selects(p.Spec.Selector, other.pod) {
					b.SharedWith = other.w.Name
				}
			}
		}
		x.w.Budget = Known(b, x.w.Self())
		x.w.Ingress = Known(Ingress{}, x.w.Self())
		for _, p := range policies {
			if p.Namespace == x.d.namespace && limitsIngress(p, x.pod) {
				x.w.Ingress = Known(Ingress{Restricted: true, Policy: p.Name}, Source{Object: "NetworkPolicy " + p.Name})
				break
			}
		}
		m.Workloads = append(m.Workloads, x.w)
	}
	return m
}

// milvusContainer finds the container that runs `milvus run <what>` and the
// coordinator roles that runs; nil when the Deployment runs no coordinator.
func milvusContainer(containers []corev1.Container) (*corev1.Container, Process, []Role) {
	for i := range containers {
		c := &containers[i]
		cmd := append(append([]string{}, c.Command...), c.Args...)
		for j := 0; j+2 < len(cmd); j++ {
			if path.Base(cmd[j]) != "milvus" || cmd[j+1] != "run" {
				continue
			}
			switch what := cmd[j+2]; what {
			case MixcoordName:
				return c, Mixcoord, Required
			case "mixture":
				var roles []Role
				for _, flag := range cmd[j+3:] {
					if r, ok := RoleNamed(strings.TrimLeft(flag, "-")); ok {
						roles = append(roles, r)
					}
				}
				if len(roles) > 0 {
					return c, Mixture, roles
				}
			default:
				if r, ok := RoleNamed(what); ok {
					return c, Single, []Role{r}
				}
			}
		}
	}
	return nil, 0, nil
}

// underHeaptrack reports whether the container starts `milvus run` through
// heaptrack (the program, or an argument before `milvus`).
func underHeaptrack(c *corev1.Container) bool {
	for _, a := range append(append([]string{}, c.Command...), c.Args...) {
		switch path.Base(a) {
		case "heaptrack":
			return true
		case "milvus":
			return false
		}
	}
	return false
}

// imageTag is the tag of an image reference ("milvusdb/milvus:v2.4.17@sha256:..."
// is v2.4.17): "latest" when it names none, as the container runtime pulls;
// the digest when only a digest pins it.
func imageTag(image string) (string, bool) {
	if image == "" {
		return "", false
	}
	ref, digest, pinned := strings.Cut(image, "@")
	i := strings.LastIndex(ref, ":")
	switch {
	case i >= 0 && !strings.Contains(ref[i:], "/"):
		return ref[i+1:], true
	case pinned:
		return "@" + digest, true
	}
	return "latest", true
}

// containerConfig reads the config files the container mounts into the
// Milvus config directory from ConfigMaps, then its env: envFrom first, then
// env, which overrides it (as the kubelet builds the environment).
// containerConfig also returns the ConfigMaps the container mounts as
// config files that the input does not hold.
func containerConfig(d podWorkload, c *corev1.Container, configMaps map[string]configMapObject, field func(string) Source) (cfg *Config, missing []string) {
	cfg = &Config{Env: &Layer{}}
	lookup := func(name string) (configMapObject, bool) {
		cm, ok := configMaps[d.namespace+"/"+name]
		return cm, ok
	}
	cmSource := func(cm configMapObject, key string) Source {
		p := "data." + key
		return Source{Object: "ConfigMap " + cm.cm.Name, Path: p, Origin: cm.obj.origin(p), Block: field("").Block}
	}
	volumes := map[string]configMapObject{}
	absent := map[string]string{} // volume -> a ConfigMap the input does not hold
	for _, v := range d.pod.Spec.Volumes {
		if v.ConfigMap != nil {
			if cm, ok := lookup(v.ConfigMap.Name); ok {
				volumes[v.Name] = cm
			} else {
				absent[v.Name] = v.ConfigMap.Name
			}
		}
	}
	files := map[string]string{}
	fileAt := map[string]Source{}
	for _, vm := range c.VolumeMounts {
		cm, ok := volumes[vm.Name]
		if !ok {
			name, gone := absent[vm.Name]
			read := path.Dir(vm.MountPath) == configDir && vm.SubPath != "" || path.Clean(vm.MountPath) == configDir ||
				path.Clean(vm.MountPath) == operatorConfigDir && runsOperatorScript(c)
			if gone && read && !slices.Contains(missing, name) {
				missing = append(missing, name)
			}
			continue
		}
		switch {
		case path.Dir(vm.MountPath) == configDir && vm.SubPath != "":
			name := path.Base(vm.MountPath)
			files[name], fileAt[name] = cm.cm.Data[vm.SubPath], cmSource(cm, vm.SubPath)
		case path.Clean(vm.MountPath) == configDir:
			for k, data := range cm.cm.Data {
				files[k], fileAt[k] = data, cmSource(cm, k)
			}
		case path.Clean(vm.MountPath) == operatorConfigDir && runsOperatorScript(c):
			if data, ok := cm.cm.Data["user.yaml"]; ok {
				files["user.yaml"], fileAt["user.yaml"] = data, cmSource(cm, "user.yaml")
			}
		}
	}
	for _, name := range configFiles {
		layer := &Layer{}
		if text, ok := files[name]; ok {
			var parsed map[string]any
			if yamlv3.Unmarshal([]byte(text), &parsed) == nil {
				FlattenConfig(parsed, func(spelling, value string) {
					layer.Set(Setting{Key: spelling, Value: value, Where: spelling + " in " + fileAt[name].Name(), At: fileAt[name]})
				})
			}
		}
		cfg.Files = append(cfg.Files, layer)
	}
	container := fmt.Sprintf("spec.template.spec.containers[%s]", c.Name)
	for _, from := range c.EnvFrom {
		if from.ConfigMapRef == nil {
			// A Secret's keys are not in the manifests: which variables it
			// sets is unknown, so no key can be judged as unset or set.
			continue
		}
		cm, ok := lookup(from.ConfigMapRef.Name)
		if !ok {
			continue
		}
		keys := slices.Sorted(maps.Keys(cm.cm.Data))
		for _, k := range keys {
			name := from.Prefix + k
			cfg.Env.Set(Setting{Key: name, Value: cm.cm.Data[k], At: cmSource(cm, k),
				Where: fmt.Sprintf("env %s of %s (envFrom ConfigMap %s)", name, field("").Object, cm.cm.Name)})
		}
	}
	for i, e := range c.Env {
		s := Setting{Key: e.Name, Value: e.Value, Unknown: e.ValueFrom != nil,
			Where: fmt.Sprintf("env %s of %s", e.Name, field("").Object),
			At:    field(fmt.Sprintf("%s.env[%d]", container, i))}
		if ref := configMapKeyRef(e); ref != nil {
			if cm, ok := lookup(ref.Name); ok {
				if v, ok := cm.cm.Data[ref.Key]; ok {
					s.Value, s.Unknown = v, false
					s.Where += fmt.Sprintf(" (from ConfigMap %s key %s)", cm.cm.Name, ref.Key)
				}
			}
		}
		cfg.Env.Set(s)
	}
	return cfg, missing
}

// runsOperatorScript reports whether the container starts through the
// operator's run.sh, which is what reads its config mount.
func runsOperatorScript(c *corev1.Container) bool {
	for _, a := range append(append([]string{}, c.Command...), c.Args...) {
		if a == operatorRunScript {
			return true
		}
	}
	return false
}

func configMapKeyRef(e corev1.EnvVar) *corev1.ConfigMapKeySelector {
	if e.ValueFrom == nil {
		return nil
	}
	return e.ValueFrom.ConfigMapKeyRef
}

// statefulSetStrategy reads a StatefulSet's update strategy: RollingUpdate
// (the API server's default) replaces one ordinal at a time, stopping the old
// pod before its replacement starts, with at most maxUnavailable pods down
// (default 1); OnDelete leaves replacing pods to whoever deletes them.
// podManagementPolicy (Parallel) changes how pods are created and deleted when
// scaling, not that a pod stops before its replacement starts: it is not read.
func statefulSetStrategy(s appsv1.StatefulSetUpdateStrategy, field func(string) Source) Strategy {
	out := Strategy{Controller: KindStatefulSet, Type: string(s.Type), TypeAt: field("spec.updateStrategy.type"),
		RollingUpdateAt:  field("spec.updateStrategy.rollingUpdate"),
		MaxSurgeAt:       field("spec.updateStrategy"),
		MaxUnavailableAt: field("spec.updateStrategy.rollingUpdate.maxUnavailable")}
	if out.Type == "" {
		out.Type = string(appsv1.RollingUpdateStatefulSetStrategyType)
	}
	if s.RollingUpdate != nil {
		out.HasRollingUpdate = true
		out.MaxUnavailable = s.RollingUpdate.MaxUnavailable
	}
	return out
}

func deploymentStrategy(s appsv1.DeploymentStrategy, field func(string) Source) Strategy {
	out := Strategy{Controller: KindDeployment, Type: string(s.Type), TypeAt: field("spec.strategy.type"),
		RollingUpdateAt:  field("spec.strategy.rollingUpdate"),
		MaxSurgeAt:       field("spec.strategy.rollingUpdate.maxSurge"),
		MaxUnavailableAt: field("spec.strategy.rollingUpdate.maxUnavailable")}
	if out.Type == "" {
		out.Type = string(appsv1.RollingUpdateDeploymentStrategyType) // the API server's default
	}
	if s.RollingUpdate != nil {
		out.HasRollingUpdate = true
		out.MaxSurge, out.MaxUnavailable = s.RollingUpdate.MaxSurge, s.RollingUpdate.MaxUnavailable
	}
	return out
}

// podSpread reads what keeps pods with these labels apart.
func podSpread(spec corev1.PodSpec, pod labels.Set, name string, field func(string) Source) Spread {
	s := Spread{
		Why:    "no pod anti-affinity or topology spread constraint selects its pods",
		Remedy: fmt.Sprintf("add a pod anti-affinity (or topology spread constraint) selecting the pods of %s by topology key kubernetes.io/hostname", name),
	}
	for _, t := range spec.TopologySpreadConstraints {
		s.Apart = s.Apart || selects(t.LabelSelector, pod)
	}
	if a := spec.Affinity; a != nil && a.PodAntiAffinity != nil {
		for _, t := range a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution {
			s.Apart = s.Apart || selects(t.LabelSelector, pod)
		}
		for _, w := range a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution {
			s.Apart = s.Apart || selects(w.PodAffinityTerm.LabelSelector, pod)
		}
	}
	if host := spec.NodeSelector[hostnameLabel]; host != "" {
		s.PinnedTo, s.PinnedAt = host, field("spec.template.spec.nodeSelector")
	} else if a := spec.Affinity; a != nil && a.NodeAffinity != nil && a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution != nil {
		host := ""
		for _, t := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
			pinned := ""
			for _, e := range t.MatchExpressions {
				if e.Key == hostnameLabel && e.Operator == corev1.NodeSelectorOpIn && len(e.Values) == 1 {
					pinned = e.Values[0]
				}
			}
			if pinned == "" || host != "" && pinned != host {
				host = ""
				break
			}
			host = pinned
		}
		if host != "" {
			s.PinnedTo, s.PinnedAt = host, field("spec.template.spec.affinity.nodeAffinity")
		}
	}
	return s
}

// limitsIngress reports whether the NetworkPolicy limits who connects to the
// pod: its podSelector matches (an empty one matches every pod of the
// namespace), its policyTypes name Ingress (none means Ingress), and each of
// its ingress rules names its sources (a rule without from admits any).
func limitsIngress(p *networkingv1.NetworkPolicy, pod labels.Set) bool {
	sel, err := metav1.LabelSelectorAsSelector(&p.Spec.PodSelector)
	if err != nil || !sel.Matches(pod) {
		return false
	}
	if len(p.Spec.PolicyTypes) > 0 && !slices.Contains(p.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) {
		return false
	}
	return !slices.ContainsFunc(p.Spec.Ingress, func(r networkingv1.NetworkPolicyIngressRule) bool { return len(r.From) == 0 })
}

func selects(ls *metav1.LabelSelector, pod labels.Set) bool {
	sel, err := metav1.LabelSelectorAsSelector(ls)
	return err == nil && !sel.Empty() && sel.Matches(pod)
}

// probe reads a container probe; Kind none when there is none.
func probe(p *corev1.Probe, container string, at Source) Probe {
	out := Probe{Kind: ProbeNone, Container: container, At: at}
	switch {
	case p == nil:
	case p.HTTPGet != nil:
		out.Kind, out.Path, out.Port = ProbeHTTPGet, p.HTTPGet.Path, p.HTTPGet.Port.String()
	case p.TCPSocket != nil:
		out.Kind, out.Port = ProbeTCPSocket, p.TCPSocket.Port.String()
	case p.GRPC != nil:
		out.Kind, out.Port = ProbeGRPC, fmt.Sprint(p.GRPC.Port)
	case p.Exec != nil:
		out.Kind = ProbeExec
	}
	return out
}

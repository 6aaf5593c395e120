package coord

import (
	"fmt"
	"path"
	"strings"

	yamlv3 "gopkg.in/yaml.v3"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// configDir is where the Milvus image reads its config files, in load order
// (pkg/util/paramtable/base_table.go: milvus.yaml, then default.yaml, then
// user.yaml, each overriding the one before).
const configDir = "/milvus/configs"

var configFiles = []string{"milvus.yaml", "default.yaml", "user.yaml"}

// Object is a decoded Kubernetes object and where it stands.
type Object struct {
	Object any    // *appsv1.Deployment, *corev1.ConfigMap, *policyv1.PodDisruptionBudget, ...
	At     Source // the object, for messages (Object set, Path empty)
	Block  string // the values block that made it, when known (this chart's render)
}

// FromObjects builds the model from rendered objects: every Deployment whose
// container runs `milvus run <coordinator>`, with the ConfigMaps it mounts
// into /milvus/configs and its env as Milvus reads them, its strategy, its
// spread and the PodDisruptionBudgets that select its pods. Other objects are
// ignored.
func FromObjects(objs []Object) *Model {
	m := &Model{}
	configMaps := map[string]*corev1.ConfigMap{}
	var pdbs []*policyv1.PodDisruptionBudget
	for _, o := range objs {
		switch obj := o.Object.(type) {
		case *corev1.ConfigMap:
			if obj != nil {
				configMaps[obj.Namespace+"/"+obj.Name] = obj
			}
		case *policyv1.PodDisruptionBudget:
			if obj != nil {
				pdbs = append(pdbs, obj)
			}
		}
	}
	type deployed struct {
		w   *Workload
		d   *appsv1.Deployment
		pod labels.Set
	}
	var all []deployed
	for _, o := range objs {
		d, ok := o.Object.(*appsv1.Deployment)
		if !ok || d == nil {
			continue
		}
		c, process, roles := milvusContainer(d.Spec.Template.Spec.Containers)
		if c == nil {
			continue
		}
		name := o.At.Object
		if name == "" {
			name = "Deployment " + d.Name
		}
		field := func(p string) Source { return Source{Object: name, Path: p, Origin: o.At.Origin, Block: o.Block} }
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
		if d.Spec.Replicas != nil {
			replicas = int(*d.Spec.Replicas)
		}
		w.Replicas = Known(replicas, field("spec.replicas"))
		w.Config = containerConfig(d, c, configMaps, field)
		w.Strategy = Known(deploymentStrategy(d.Spec.Strategy, field), field("spec.strategy"))
		pod := labels.Set(d.Spec.Template.Labels)
		w.Spread = Known(podSpread(d.Spec.Template.Spec, pod, name, field), field("spec.template.spec.affinity"))
		probeAt := field(fmt.Sprintf("spec.template.spec.containers[%s].livenessProbe", c.Name))
		w.Liveness = Known(probe(c.LivenessProbe, c.Name, probeAt), probeAt)
		all = append(all, deployed{w: w, d: d, pod: pod})
	}
	for _, x := range all {
		b := Budget{Remedy: fmt.Sprintf("add a PodDisruptionBudget with maxUnavailable: 1 selecting only the pods of %s", x.w.Name)}
		for _, p := range pdbs {
			if p.Namespace != x.d.Namespace || !selects(p.Spec.Selector, x.pod) {
				continue
			}
			b.Covered, b.Name = true, p.Name
			for _, other := range all {
				if other.d != x.d && other.d.Namespace == x.d.Namespace && selects(p.Spec.Selector, other.pod) {
					b.SharedWith = other.w.Name
				}
			}
		}
		x.w.Budget = Known(b, x.w.Self())
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
// Milvus config directory from ConfigMaps, then its env.
func containerConfig(d *appsv1.Deployment, c *corev1.Container, configMaps map[string]*corev1.ConfigMap, field func(string) Source) *Config {
	cfg := &Config{Env: &Layer{}}
	volumes := map[string]*corev1.ConfigMap{}
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.ConfigMap != nil {
			volumes[v.Name] = configMaps[d.Namespace+"/"+v.ConfigMap.Name]
		}
	}
	files := map[string]string{}
	fileAt := map[string]Source{}
	for _, vm := range c.VolumeMounts {
		cm := volumes[vm.Name]
		if cm == nil {
			continue
		}
		at := Source{Object: "ConfigMap " + cm.Name, Block: field("").Block}
		switch {
		case path.Dir(vm.MountPath) == configDir && vm.SubPath != "":
			name := path.Base(vm.MountPath)
			files[name], fileAt[name] = cm.Data[vm.SubPath], Source{Object: at.Object, Path: "data." + vm.SubPath, Block: at.Block}
		case path.Clean(vm.MountPath) == configDir:
			for k, data := range cm.Data {
				files[k], fileAt[k] = data, Source{Object: at.Object, Path: "data." + k, Block: at.Block}
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
	for i, e := range c.Env {
		where := fmt.Sprintf("env %s of %s", e.Name, field("").Object)
		cfg.Env.Set(Setting{Key: e.Name, Value: e.Value, Unknown: e.ValueFrom != nil, Where: where,
			At: field(fmt.Sprintf("spec.template.spec.containers[%s].env[%d]", c.Name, i))})
	}
	return cfg
}

func deploymentStrategy(s appsv1.DeploymentStrategy, field func(string) Source) Strategy {
	out := Strategy{Type: string(s.Type), TypeAt: field("spec.strategy.type"),
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
		out.Remedy = fmt.Sprintf("in %s, replace httpGet with tcpSocket: {port: %s}", at.Name(), out.Port)
	case p.TCPSocket != nil:
		out.Kind, out.Port = ProbeTCPSocket, p.TCPSocket.Port.String()
	case p.GRPC != nil:
		out.Kind, out.Port = ProbeGRPC, fmt.Sprint(p.GRPC.Port)
	case p.Exec != nil:
		out.Kind = ProbeExec
	}
	return out
}

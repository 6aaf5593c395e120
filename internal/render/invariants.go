package render

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// componentLabel carries the coordinator a Deployment runs.
const componentLabel = "app.kubernetes.io/component"

// valuesKey maps a component label to the values block that configures it.
var valuesKey = map[string]string{
	"rootcoord":  "rootCoordinator",
	"querycoord": "queryCoordinator",
	"datacoord":  "dataCoordinator",
	"mixcoord":   "mixCoordinator",
}

// configSection maps a Milvus role to its config section and environment prefix.
var configSection = map[string]struct{ key, env string }{
	"rootcoord":  {"rootCoord", "ROOT_COORD"},
	"querycoord": {"queryCoord", "QUERY_COORD"},
	"datacoord":  {"dataCoord", "DATA_COORD"},
}

// coordinatorPod is a rendered coordinator Deployment and what it runs.
type coordinatorPod struct {
	deployment *appsv1.Deployment
	key        string   // values block
	roles      []string // Milvus roles from the container args
	ha         bool     // active-standby on for every role, as Milvus would read it
	envDecides bool     // an env var, not user.yaml, decided ha
}

func (c coordinatorPod) path(p string) string { return c.key + "." + p }

// Invariants checks the HA invariants on decoded objects, whatever the values
// overrides did: a coordinator with more than one replica runs active-standby
// (in the user.yaml and env Milvus reads), rolls with maxSurge 1 and
// maxUnavailable 0, has a PodDisruptionBudget selecting exactly its pods and is
// spread across nodes; a coordinator without active-standby uses Recreate;
// selectors match pod labels; no two Deployments run the same Milvus role.
// Findings carry the values path that causes them.
func Invariants(objs []Object) []finding.Finding {
	var (
		deployments []*appsv1.Deployment
		pdbs        []*policyv1.PodDisruptionBudget
		configMaps  = map[string]*corev1.ConfigMap{}
	)
	for _, o := range objs {
		switch obj := o.Object.(type) {
		case *appsv1.Deployment:
			deployments = append(deployments, obj)
		case *policyv1.PodDisruptionBudget:
			pdbs = append(pdbs, obj)
		case *corev1.ConfigMap:
			configMaps[obj.Name] = obj
		}
	}
	var out []finding.Finding
	runs := map[string][]string{} // Milvus role -> Deployments running it
	var coords []coordinatorPod
	for _, d := range deployments {
		key, ok := valuesKey[d.Spec.Template.Labels[componentLabel]]
		if !ok || len(d.Spec.Template.Spec.Containers) == 0 {
			continue
		}
		c := coordinatorPod{deployment: d, key: key, roles: milvusRoles(d.Spec.Template.Spec.Containers[0].Args)}
		c.ha, c.envDecides = activeStandby(d, c.roles, configMaps)
		for _, r := range c.roles {
			runs[r] = append(runs[r], d.Name)
		}
		coords = append(coords, c)
	}
	for _, c := range coords {
		out = append(out, checkCoordinator(c, pdbs, coords)...)
	}
	roles := make([]string, 0, len(runs))
	for r := range runs {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	for _, r := range roles {
		if len(runs[r]) > 1 {
			out = append(out, finding.Finding{
				Rule: RuleHAInvariant, Severity: finding.Error, Path: "mixCoordinator.enabled",
				Message: fmt.Sprintf("Deployments %s all run the Milvus %s role: they register the same etcd session", strings.Join(runs[r], ", "), r),
				Fix:     "run each role in one Deployment: mixCoordinator or the separate coordinators, not both",
			})
		}
	}
	return out
}

func checkCoordinator(c coordinatorPod, pdbs []*policyv1.PodDisruptionBudget, all []coordinatorPod) []finding.Finding {
	d := c.deployment
	replicas := int32(1)
	if d.Spec.Replicas != nil {
		replicas = *d.Spec.Replicas
	}
	var out []finding.Finding
	add := func(rule string, sev finding.Severity, path, msg, fix string) {
		out = append(out, finding.Finding{Rule: rule, Severity: sev, Path: path,
			Message: fmt.Sprintf("Deployment %s: %s", d.Name, msg), Fix: fix})
	}
	podLabels := labels.Set(d.Spec.Template.Labels)
	if sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector); err != nil || sel.Empty() || !sel.Matches(podLabels) {
		add(RuleHAInvariant, finding.Error, c.key, "its selector does not match its pod labels: Kubernetes refuses it",
			"keep the chart's selector labels on the pod template")
	}
	strategy := d.Spec.Strategy
	if !c.ha && c.envDecides {
		// The chart wrote the mode from the values; an extra env var overrode it.
		add(RuleHAInvariant, finding.Error, c.path("extraEnv"),
			"an env var turns active-standby off over the user.yaml the chart wrote from the values: the pods run in another mode than they are deployed for",
			fmt.Sprintf("remove the *_ENABLE_ACTIVE_STANDBY entry from %s and set %s", c.path("extraEnv"), c.path("activeStandby.enabled")))
		return out
	}
	if !c.ha {
		if replicas > 1 {
			add(RuleHAInvariant, finding.Error, c.path("activeStandby.enabled"),
				fmt.Sprintf("%d replicas run without active-standby in the config Milvus reads: the extra replicas crash-loop on the session key", replicas),
				fmt.Sprintf("set %s: true or replicas: 1", c.path("activeStandby.enabled")))
		}
		if strategy.Type != appsv1.RecreateDeploymentStrategyType || strategy.RollingUpdate != nil {
			add(RuleHAInvariant, finding.Error, c.path("strategy"),
				"it runs without active-standby but its strategy is not a plain Recreate: a rollout overlaps two non-HA pods",
				fmt.Sprintf("remove %s", c.path("strategy")))
		}
	}
	if !c.ha || replicas <= 1 {
		for _, p := range selecting(pdbs, podLabels) {
			if replicas <= 1 {
				add(RuleHADegraded, finding.Warning, "podDisruptionBudget.enabled",
					fmt.Sprintf("PodDisruptionBudget %s covers its single replica: it blocks node drains and protects nothing", p.Name),
					"give the coordinator more than one replica, or no budget")
			}
		}
		return out
	}
	if strategy.Type != appsv1.RollingUpdateDeploymentStrategyType || strategy.RollingUpdate == nil ||
		!isIntValue(strategy.RollingUpdate.MaxSurge, 1) || !isIntValue(strategy.RollingUpdate.MaxUnavailable, 0) {
		add(RuleHADegraded, finding.Warning, c.path("strategy"),
			"its strategy is not RollingUpdate with maxSurge 1 and maxUnavailable 0: an upgrade may stop the ACTIVE coordinator before a standby is ready",
			fmt.Sprintf("remove %s", c.path("strategy")))
	}
	matching := selecting(pdbs, podLabels)
	switch {
	case len(matching) == 0:
		add(RuleHADegraded, finding.Warning, "podDisruptionBudget.enabled",
			fmt.Sprintf("no PodDisruptionBudget covers its %d replicas: a node drain may evict them all at once", replicas),
			"set podDisruptionBudget.enabled: true")
	default:
		for _, p := range matching {
			for _, other := range all {
				if other.deployment != d && selects(p, labels.Set(other.deployment.Spec.Template.Labels)) {
					add(RuleHAInvariant, finding.Error, "podDisruptionBudget.enabled",
						fmt.Sprintf("PodDisruptionBudget %s also selects the pods of Deployment %s: the budget is shared between coordinators", p.Name, other.deployment.Name),
						"give each coordinator its own budget selecting only its pods")
				}
			}
		}
	}
	if !spread(d.Spec.Template.Spec, podLabels) {
		add(RuleHADegraded, finding.Warning, c.path("affinity"),
			fmt.Sprintf("nothing keeps its %d replicas apart (no pod anti-affinity or topology spread selecting them): they may all run on one node", replicas),
			fmt.Sprintf("keep podAntiAffinity.mode soft or hard and do not override %s.podAntiAffinity with an empty one", c.path("affinity")))
	}
	return out
}

// milvusRoles reads the Milvus roles from `milvus run ...` container args.
func milvusRoles(args []string) []string {
	if len(args) < 3 || args[0] != "milvus" || args[1] != "run" {
		return nil
	}
	switch args[2] {
	case "mixcoord":
		return []string{"rootcoord", "querycoord", "datacoord"}
	case "mixture":
		var roles []string
		for _, a := range args[3:] {
			if r := strings.TrimLeft(a, "-"); configSection[r].key != "" {
				roles = append(roles, r)
			}
		}
		return roles
	}
	if configSection[args[2]].key != "" {
		return []string{args[2]}
	}
	return nil
}

// activeStandby reports whether every role runs active-standby as Milvus would
// read it (the `<ROLE>_ENABLE_ACTIVE_STANDBY` env var wins over user.yaml), and
// whether an env var changed the answer user.yaml gives.
func activeStandby(d *appsv1.Deployment, roles []string, configMaps map[string]*corev1.ConfigMap) (on, envDecides bool) {
	if len(roles) == 0 {
		return false, false
	}
	config := map[string]any{}
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.ConfigMap != nil {
			if cm := configMaps[v.ConfigMap.Name]; cm != nil {
				_ = yaml.Unmarshal([]byte(cm.Data["user.yaml"]), &config)
			}
		}
	}
	env := map[string]string{}
	for _, e := range d.Spec.Template.Spec.Containers[0].Env {
		env[e.Name] = e.Value
	}
	for _, r := range roles {
		s := configSection[r]
		fromConfig := false
		if section, ok := config[s.key].(map[string]any); ok {
			fromConfig, _ = section["enableActiveStandby"].(bool)
		}
		roleOn := fromConfig
		if v, ok := env[s.env+"_ENABLE_ACTIVE_STANDBY"]; ok {
			roleOn, _ = strconv.ParseBool(v)
		}
		if !roleOn {
			return false, fromConfig
		}
	}
	return true, false
}

func selecting(pdbs []*policyv1.PodDisruptionBudget, pod labels.Set) []*policyv1.PodDisruptionBudget {
	var out []*policyv1.PodDisruptionBudget
	for _, p := range pdbs {
		if selects(p, pod) {
			out = append(out, p)
		}
	}
	return out
}

func selects(p *policyv1.PodDisruptionBudget, pod labels.Set) bool {
	sel, err := metav1.LabelSelectorAsSelector(p.Spec.Selector)
	return err == nil && !sel.Empty() && sel.Matches(pod)
}

// spread reports whether the pod spec keeps replicas with these labels apart.
func spread(spec corev1.PodSpec, pod labels.Set) bool {
	matches := func(ls *metav1.LabelSelector) bool {
		sel, err := metav1.LabelSelectorAsSelector(ls)
		return err == nil && !sel.Empty() && sel.Matches(pod)
	}
	for _, t := range spec.TopologySpreadConstraints {
		if matches(t.LabelSelector) {
			return true
		}
	}
	if spec.Affinity == nil || spec.Affinity.PodAntiAffinity == nil {
		return false
	}
	anti := spec.Affinity.PodAntiAffinity
	for _, t := range anti.RequiredDuringSchedulingIgnoredDuringExecution {
		if matches(t.LabelSelector) {
			return true
		}
	}
	for _, w := range anti.PreferredDuringSchedulingIgnoredDuringExecution {
		if matches(w.PodAffinityTerm.LabelSelector) {
			return true
		}
	}
	return false
}

func isIntValue(v *intstr.IntOrString, want int) bool {
	return v != nil && v.String() == strconv.Itoa(want)
}

package coord

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/values"
)

// upstreamBlocks are the coordinator blocks of zilliztech's milvus chart, in
// its order, and the roles each runs: its mixcoord runs `milvus run mixture
// -rootcoord -querycoord -datacoord -indexcoord` in 4.x and 5.x alike.
var upstreamBlocks = []struct {
	key   string
	roles []Role
}{
	{RootCoord.ValuesKey, []Role{RootCoord}},
	{QueryCoord.ValuesKey, []Role{QueryCoord}},
	{IndexCoord.ValuesKey, []Role{IndexCoord}},
	{DataCoord.ValuesKey, []Role{DataCoord}},
	{MixcoordValuesKey, []Role{RootCoord, QueryCoord, DataCoord, IndexCoord}},
}

// FromUpstream builds the model of what zilliztech's milvus chart (chart major
// version 4 or 5) deploys for the merged values vals, following its templates:
//
//   - `if` tests values for truth, so the string "false" is on;
//   - with cluster.enabled off it runs standalone: no coordinator Deployment;
//   - each coordinator reads default.yaml, which holds <section>.enableActiveStandby:
//     its own activeStandby.enabled OR (mixCoordinator.enabled AND mixcoord's
//     flag), then user.yaml: extraConfigFiles."user.yaml", which overrides it;
//     customConfigMap replaces both with that ConfigMap's milvus.yaml, which
//     the values do not show;
//   - replicas below 0 render no replicas field (left to an HPA);
//   - the strategy is Recreate unless the block's own activeStandby.enabled is
//     on, and then the block's strategy verbatim (empty: Kubernetes' default
//     RollingUpdate 25%/25%);
//   - liveness (livenessProbe.enabled) is httpGet /healthz in 4.x, tcpSocket
//     in 5.x, on the metrics port;
//   - no pod anti-affinity of its own, and no PodDisruptionBudget.
func FromUpstream(vals map[string]any, chartMajor int) *Model {
	m := &Model{}
	image := mapOf(vals["image"])
	all := mapOf(image["all"])
	tagAt := Source{Path: "image.all.tag"}
	if tag, ok := all["tag"].(string); ok {
		m.Tag = Known(tag, tagAt)
		if v, ok := ParseVersion(tag); ok {
			m.Version = Known(v, tagAt)
		}
	}
	if !truthy(mapOf(vals["cluster"])["enabled"]) {
		return m // standalone: one process, no coordinator to run in HA
	}
	mix := mapOf(vals[MixcoordValuesKey])
	mixHA := truthy(mix["enabled"]) && truthy(mapOf(mix["activeStandby"])["enabled"])
	for _, b := range upstreamBlocks {
		block := mapOf(vals[b.key])
		if !truthy(block["enabled"]) {
			role := b.roles[0].Name
			if b.key == MixcoordValuesKey {
				role = MixcoordName
			}
			m.Absent = append(m.Absent, Absent{Key: b.key, Role: role, Enabled: Source{Path: b.key + ".enabled"}})
			continue
		}
		m.Workloads = append(m.Workloads, upstreamWorkload(vals, b.key, b.roles, block, mixHA, m.Version, chartMajor))
	}
	return m
}

func upstreamWorkload(vals map[string]any, key string, roles []Role, block map[string]any, mixHA bool, version Fact[Version], chartMajor int) *Workload {
	at := func(p string) Source { return Source{Path: key + "." + p} }
	w := &Workload{Name: key, Block: key, Process: Single, Roles: roles}
	if key == MixcoordValuesKey {
		w.Process = Mixture
		if version.Known && version.Value.MixcoordOnly() {
			w.Process = Mixcoord // the mixture flags start mixcoord on 2.6
		}
	}
	// The template tests `ge (int replicas) 0`; int reads a numeric string too.
	n, ok := intAt(block, "replicas")
	if text, isText := block["replicas"].(string); isText {
		n, ok = atoi(text)
	}
	if ok && block["replicas"] != nil && n >= 0 {
		w.Replicas = Known(n, at("replicas"))
	}
	own := truthy(mapOf(block["activeStandby"])["enabled"])

	// Config files in load order: the image's milvus.yaml, default.yaml,
	// user.yaml (or the custom ConfigMap's milvus.yaml mounted as user.yaml).
	w.Config = &Config{Files: []*Layer{{}, {}, {}}, Env: &Layer{}}
	defaults, user := w.Config.Files[1], w.Config.Files[2]
	if truthy(vals["customConfigMap"]) {
		ExternalConfig(w, fmt.Sprintf("milvus.yaml of ConfigMap %v (customConfigMap)", vals["customConfigMap"]), Source{Path: "customConfigMap"})
	} else {
		for _, r := range roles {
			// The flag to name is the one that decides the value: the
			// section's own when on, else mixcoord's when that turns it on,
			// else the workload's own block's.
			selfFlag := r.ValuesKey + ".activeStandby.enabled"
			self := truthy(mapOf(mapOf(vals[r.ValuesKey])["activeStandby"])["enabled"])
			on := self || mixHA
			from := key + ".activeStandby.enabled"
			switch {
			case self:
				from = selfFlag
			case mixHA:
				from = MixcoordValuesKey + ".activeStandby.enabled"
			}
			defaults.Set(Setting{Key: ActiveStandbyKey(r.Section), Value: ConfigString(on), Derived: true,
				Where: fmt.Sprintf("%s in default.yaml (the chart writes it from %s)", ActiveStandbyKey(r.Section), from),
				At:    Source{Path: from}})
		}
		if text, ok := mapOf(vals["extraConfigFiles"])["user.yaml"].(string); ok && text != "" {
			var parsed map[string]any
			if yaml.Unmarshal([]byte(text), &parsed) == nil {
				textAt := values.Join("extraConfigFiles", "user.yaml")
				FlattenConfig(parsed, func(spelling, value string) {
					user.Set(Setting{Key: spelling, Value: value, Where: spelling + " in " + textAt, At: Source{Path: textAt}})
				})
			}
		}
	}
	if extra, ok := block["extraEnv"].([]any); ok {
		for i, item := range extra {
			e, _ := item.(map[string]any)
			name, _ := e["name"].(string)
			if name == "" {
				continue
			}
			path := values.Index(key+".extraEnv", i)
			w.Config.Env.Set(Setting{Key: name, Value: ConfigString(e["value"]), Unknown: e["valueFrom"] != nil,
				Where: fmt.Sprintf("%s.name %s", path, name), At: Source{Path: path + ".name"}})
		}
	}

	w.Strategy = upstreamStrategy(key, block, own)
	w.Spread = upstreamSpread(vals, key, block, componentOf(key, roles))
	w.Budget = Known(Budget{Remedy: fmt.Sprintf("the chart renders no PodDisruptionBudget: add one with maxUnavailable: 1 selecting app.kubernetes.io/instance: <release> and component: %s", componentOf(key, roles))},
		Source{Path: key})
	live := mapOf(vals["livenessProbe"])
	liveAt := Source{Path: "livenessProbe.enabled"}
	p := Probe{Kind: ProbeNone, Container: componentOf(key, roles), At: liveAt}
	if truthy(live["enabled"]) {
		p.Kind, p.Port = ProbeTCPSocket, "metrics"
		if chartMajor == 4 {
			p.Kind, p.Path = ProbeHTTPGet, "/healthz"
			p.Remedy = "set livenessProbe.enabled: false (chart 4.x hard-codes httpGet /healthz; chart 5.x probes tcpSocket), readiness still keeps a pod that is not ready out of its Service"
		}
	}
	w.Liveness = Known(p, liveAt)
	return w
}

// componentOf is the component label the chart gives the block's pods.
func componentOf(key string, roles []Role) string {
	if key == MixcoordValuesKey {
		return MixcoordName
	}
	return roles[0].Name
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// upstreamStrategy is what the chart renders: Recreate (forced by the block's
// own activeStandby.enabled being off, whatever its strategy says), or the
// block's strategy as written, where what is not written is Kubernetes'.
func upstreamStrategy(key string, block map[string]any, own bool) Fact[Strategy] {
	at := func(p string) Source { return Source{Path: key + ".strategy" + p} }
	if !own {
		flag := Source{Path: key + ".activeStandby.enabled"}
		return Known(Strategy{Type: "Recreate", TypeAt: flag, RollingUpdateAt: flag, MaxSurgeAt: flag, MaxUnavailableAt: flag}, flag)
	}
	user := mapOf(block["strategy"])
	s := Strategy{Type: "RollingUpdate", TypeAt: at(""), RollingUpdateAt: at(""), MaxSurgeAt: at(""), MaxUnavailableAt: at("")}
	if typ, ok := user["type"].(string); ok && typ != "" {
		s.Type, s.TypeAt = typ, at(".type")
	}
	if rolling, ok := user["rollingUpdate"].(map[string]any); ok {
		s.HasRollingUpdate, s.RollingUpdateAt = true, at(".rollingUpdate")
		if v, ok := intOrPercent(rolling["maxSurge"]); ok && v != nil {
			s.MaxSurge, s.MaxSurgeAt = v, at(".rollingUpdate.maxSurge")
		}
		if v, ok := intOrPercent(rolling["maxUnavailable"]); ok && v != nil {
			s.MaxUnavailable, s.MaxUnavailableAt = v, at(".rollingUpdate.maxUnavailable")
		}
	}
	return Known(s, at(""))
}

// upstreamSpread: the chart has no anti-affinity of its own; the block's
// affinity (else the global one) and, in 5.x, its topologySpreadConstraints
// are all that keep replicas apart. Terms the user wrote are trusted.
func upstreamSpread(vals map[string]any, key string, block map[string]any, component string) Fact[Spread] {
	affinity, affinityAt := mapOf(block["affinity"]), key+".affinity"
	if !truthy(block["affinity"]) {
		affinity, affinityAt = mapOf(vals["affinity"]), "affinity"
	}
	s := Spread{
		Apart:  truthy(affinity["podAntiAffinity"]) || truthy(block["topologySpreadConstraints"]),
		Why:    "the chart adds no pod anti-affinity and neither " + key + ".affinity nor affinity has one",
		Remedy: fmt.Sprintf("set %s.affinity.podAntiAffinity with a term selecting its pods (component: %s) by topologyKey kubernetes.io/hostname", key, component),
	}
	selector, selectorAt := mapOf(block["nodeSelector"]), key+".nodeSelector"
	if !truthy(block["nodeSelector"]) {
		selector, selectorAt = mapOf(vals["nodeSelector"]), "nodeSelector"
	}
	if host, ok := selector[hostnameLabel].(string); ok && host != "" {
		s.PinnedTo, s.PinnedAt = host, Source{Path: values.Join(selectorAt, hostnameLabel)}
	}
	if node, ok := affinity["nodeAffinity"].(map[string]any); ok && s.PinnedTo == "" {
		if host, ok := pinnedByNodeAffinity(node); ok {
			s.PinnedTo, s.PinnedAt = host, Source{Path: affinityAt + ".nodeAffinity"}
		}
	}
	return Known(s, Source{Path: affinityAt})
}

// mapOf is v as a mapping; nil when it is none.
func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// truthy is Go template truth, as the chart's `if` tests it: false, 0, "",
// nil and empty collections are false; everything else, the string "false"
// too, is true.
func truthy(v any) bool {
	if v == nil {
		return false
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Bool:
		return r.Bool()
	case reflect.String, reflect.Map, reflect.Slice, reflect.Array:
		return r.Len() > 0
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return r.Int() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return r.Uint() != 0
	case reflect.Float32, reflect.Float64:
		return r.Float() != 0
	}
	return true
}

// ChartWritten marks the settings of the config file at index file (in load
// order) as the chart's own, derived from values: for a model built from the
// render of a chart that generates that file whole (the upstream chart's
// default.yaml), so the rules judge what the user wrote, not what the
// chart writes.
func ChartWritten(m *Model, file int) {
	for _, w := range m.Workloads {
		if file >= len(w.Config.Files) {
			continue
		}
		for k, settings := range w.Config.Files[file].settings {
			for i := range settings {
				settings[i].Derived = true
			}
			w.Config.Files[file].settings[k] = settings
		}
	}
}

// ExternalConfig records that w reads its HA keys from a config file the
// input does not hold (the upstream chart's customConfigMap): Milvus reads
// them, but nobody here can say what they are. Such settings count as the
// chart's (Derived): they are not the user's config written in the values.
func ExternalConfig(w *Workload, where string, at Source) {
	user := w.Config.UserYAML()
	for _, k := range w.HAKeys() {
		user.Set(Setting{Key: k, Unknown: true, Derived: true, At: at, Where: where})
	}
}

package coord

import (
	"fmt"

	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/values"
)

// hostnameLabel is the node label that names one node.
const hostnameLabel = "kubernetes.io/hostname"

// chartBlocks are this chart's coordinator blocks, in chart order.
var chartBlocks = []struct {
	key   string
	roles []Role
}{
	{RootCoord.ValuesKey, []Role{RootCoord}},
	{QueryCoord.ValuesKey, []Role{QueryCoord}},
	{DataCoord.ValuesKey, []Role{DataCoord}},
	{MixcoordValuesKey, Required},
}

// FromValues builds the model of what this chart deploys for the merged values
// vals (chart defaults included), following its templates: each enabled block
// is a Deployment whose user.yaml holds `<section>.enableActiveStandby` and the
// session TTL from the values, with extraConfigFiles."user.yaml" and then
// milvus.extraConfig merged over it, and whose env sets
// `<SECTION>_ENABLE_ACTIVE_STANDBY` from activeStandby.enabled, then extraEnv.
func FromValues(vals map[string]any) *Model {
	m := &Model{}
	image, _ := mapAt(vals, "image")
	all, _ := mapAt(image, "all")
	tagAt := Source{Path: "image.all.tag"}
	if tag, ok := all["tag"].(string); ok {
		m.Tag = Known(tag, tagAt)
		if v, ok := ParseVersion(tag); ok {
			m.Version = Known(v, tagAt)
		}
	}
	m.Queue = queueFromValues(vals)
	base := chartConfig(vals)
	env := chartEnv(vals)
	for _, b := range chartBlocks {
		block, ok := vals[b.key].(map[string]any)
		if !ok {
			m.Unreadable = true
			continue
		}
		enabled, ok := boolAt(block, "enabled")
		if !ok {
			m.Unreadable = true
			continue
		}
		if !enabled {
			role := b.roles[0].Name
			if b.key == MixcoordValuesKey {
				role = MixcoordName
			}
			m.Absent = append(m.Absent, Absent{Key: b.key, Role: role, Enabled: Source{Path: b.key + ".enabled"}})
			continue
		}
		m.Workloads = append(m.Workloads, workloadFromValues(vals, b.key, b.roles, block, base, env, m.Version))
	}
	return m
}

func workloadFromValues(vals map[string]any, key string, roles []Role, block map[string]any, base func(*Config), env []Setting, version Fact[Version]) *Workload {
	at := func(p string) Source { return Source{Path: key + "." + p} }
	w := &Workload{Name: key, Block: key, Process: Single, Roles: roles, Config: NewConfig()}
	if key == MixcoordValuesKey {
		w.Process = Mixture
		if version.Known && version.Value.MixcoordOnly() {
			w.Process = Mixcoord
		}
	}
	if n, ok := intAt(block, "replicas"); ok && block["replicas"] != nil {
		w.Replicas = Known(n, at("replicas"))
	}
	standby, okStandby := mapAt(block, "activeStandby")
	declared, okDeclared := boolAt(standby, "enabled")
	if okStandby && okDeclared {
		w.Declared = Known(declared, at("activeStandby.enabled"))
	}

	// The sections whose active-standby key the chart writes: every role's,
	// and on 2.6 mixcoord's own (2.6.0 to 2.6.7 read it first).
	standbySections := make([]string, 0, len(roles)+1)
	for _, r := range roles {
		standbySections = append(standbySections, r.Section)
	}
	if w.Process == Mixcoord {
		standbySections = append(standbySections, MixcoordSection)
	}

	// user.yaml: what the chart writes, then the extra config merged over it.
	user := w.Config.UserYAML()
	for _, section := range standbySections {
		if w.Declared.Known {
			user.Set(Setting{Key: ActiveStandbyKey(section), Value: ConfigString(declared),
				Where: key + ".activeStandby.enabled", At: w.Declared.At, Derived: true})
		}
	}
	milvus, _ := mapAt(vals, "milvus")
	stop, okStop := intAt(milvus, "gracefulStopTimeout")
	okStop = okStop && milvus["gracefulStopTimeout"] != nil
	if okStop {
		stopAt := Source{Path: "milvus.gracefulStopTimeout"}
		for _, section := range w.StopSections() {
			user.Set(Setting{Key: GracefulStopKey(section), Value: itoa(stop), Where: stopAt.Path, At: stopAt, Derived: true})
		}
		w.Grace = Known(stop*len(w.StopSections())+StopMargin, stopAt)
	}
	base(w.Config)

	// env: the chart's, then extraEnv (the kubelet keeps the last of a name).
	for _, section := range standbySections {
		if w.Declared.Known {
			name := EnvName(ActiveStandbyKey(section))
			w.Config.Env.Set(Setting{Key: name, Value: ConfigString(declared),
				Where: fmt.Sprintf("env %s (the chart sets it from %s.activeStandby.enabled)", name, key), At: w.Declared.At, Derived: true})
		}
	}
	for _, e := range env {
		w.Config.Env.Set(e)
	}
	if extra, ok := listAt(block, "extraEnv"); ok {
		for i, item := range extra {
			e, ok := item.(map[string]any)
			if !ok {
				continue // the schema refuses an item that is not a mapping
			}
			name, ok := e["name"].(string)
			if !ok || name == "" {
				continue
			}
			value, _ := e["value"].(string)
			path := values.Index(key+".extraEnv", i)
			w.Config.Env.Set(Setting{Key: name, Value: value, Unknown: e["valueFrom"] != nil, Where: fmt.Sprintf("%s.name %s", path, name),
				At: Source{Path: path + ".name"}})
		}
	}

	if h, ok := mapAt(block, "heaptrack"); ok {
		if on, ok := boolAt(h, "enabled"); ok && h["enabled"] != nil {
			w.Heaptrack = Known(on, at("heaptrack.enabled"))
		}
	}
	// The chart rolls, budgets and spreads by the mode Milvus runs: from 2.6.8
	// mixcoord is active-standby whatever activeStandby.enabled says.
	deployed := w.Declared
	if deployed.Known && w.Process == Mixcoord && version.Known && version.Value.MixcoordAlwaysStandby() {
		deployed.Value = true
	}
	w.Strategy = strategyFromValues(key, block, deployed)
	w.Spread = spreadFromValues(vals, key, block)
	if policy, ok := mapAt(vals, "networkPolicy"); ok {
		if enabled, ok := boolAt(policy, "enabled"); ok {
			w.Ingress = Known(Ingress{Restricted: enabled, Why: "networkPolicy.enabled is false",
				Remedy: "set networkPolicy.enabled: true (its default selectors admit every pod of the release namespace to the gRPC ports and a scraper in any namespace to port 9091)"},
				Source{Path: "networkPolicy.enabled"})
		}
	}
	if pdb, ok := mapAt(vals, "podDisruptionBudget"); ok {
		if on, ok := boolAt(pdb, "enabled"); ok && pdb["enabled"] != nil {
			b := Budget{Covered: on && w.Replicas.Known && w.Replicas.Value > 1, Remedy: "set podDisruptionBudget.enabled: true"}
			if b.Covered {
				b.Name = key
			}
			w.Budget = Known(b, Source{Path: "podDisruptionBudget.enabled"})
		}
	}
	return w
}

// chartConfig returns what the chart writes into every user.yaml besides the
// per-role keys: the session TTL, then the extra config, in merge order.
func chartConfig(vals map[string]any) func(*Config) {
	var settings []Setting
	milvus, _ := mapAt(vals, "milvus")
	session, _ := mapAt(milvus, "session")
	if ttl, ok := intAt(session, "ttl"); ok && session["ttl"] != nil {
		settings = append(settings, Setting{Key: SessionTTLKey, Value: itoa(ttl), Where: "milvus.session.ttl",
			At: Source{Path: "milvus.session.ttl"}, Derived: true})
	}
	if q := queueFromValues(vals); q.Known {
		mq, at := "pulsar", Source{Path: "externalPulsar.enabled"}
		if q.Value.Kafka {
			mq, at = "kafka", Source{Path: "externalKafka.enabled"}
		}
		settings = append(settings, Setting{Key: MQTypeKey, Value: mq, Where: at.Path, At: at, Derived: true})
		kafka, _ := mapAt(vals, "externalKafka")
		sasl, _ := mapAt(kafka, "sasl")
		if user, ok := stringAt(sasl, "username"); ok && q.Value.Kafka {
			settings = append(settings, Setting{Key: KafkaSASLUserKey, Value: user, Where: "externalKafka.sasl.username",
				At: Source{Path: "externalKafka.sasl.username"}, Derived: true})
		}
	}
	etcd, _ := mapAt(vals, "externalEtcd")
	auth, _ := mapAt(etcd, "auth")
	if on, ok := boolAt(auth, "enabled"); ok && on {
		settings = append(settings, Setting{Key: EtcdAuthKey, Value: "true", Where: "externalEtcd.auth.enabled",
			At: Source{Path: "externalEtcd.auth.enabled"}, Derived: true})
		if user, ok := stringAt(auth, "userName"); ok {
			settings = append(settings, Setting{Key: EtcdAuthUserKey, Value: user, Where: "externalEtcd.auth.userName",
				At: Source{Path: "externalEtcd.auth.userName"}, Derived: true})
		}
	}
	files, _ := mapAt(vals, "extraConfigFiles")
	if text, ok := files["user.yaml"].(string); ok && text != "" {
		var parsed map[string]any
		if yaml.Unmarshal([]byte(text), &parsed) == nil {
			textAt := values.Join("extraConfigFiles", "user.yaml")
			FlattenConfig(parsed, func(spelling, value string) {
				settings = append(settings, Setting{Key: spelling, Value: value, Where: spelling + " in " + textAt,
					At: Source{Path: textAt}})
			})
		}
	}
	if extra, ok := mapAt(milvus, "extraConfig"); ok {
		FlattenConfig(extra, func(spelling, value string) {
			path := joinSpelling("milvus.extraConfig", spelling)
			settings = append(settings, Setting{Key: spelling, Value: value, Where: path, At: Source{Path: path}})
		})
	}
	return func(c *Config) {
		for _, s := range settings {
			c.UserYAML().Set(s)
		}
	}
}

// joinSpelling is the values path of a config key spelled as FlattenConfig
// spells it, inside the mapping at prefix.
func joinSpelling(prefix, spelling string) string {
	if spelling != "" && spelling[0] == '[' {
		return prefix + spelling
	}
	return prefix + "." + spelling
}

// intOrPercent reads a maxSurge or maxUnavailable value.
func intOrPercent(v any) (*intstr.IntOrString, bool) {
	switch n := v.(type) {
	case nil:
		return nil, true
	case string:
		s := intstr.FromString(n)
		return &s, true
	case float64:
		if n == float64(int32(n)) {
			i := intstr.FromInt32(int32(n))
			return &i, true
		}
	case int64:
		if n == int64(int32(n)) {
			i := intstr.FromInt32(int32(n))
			return &i, true
		}
	}
	return nil, false
}

// strategyFromValues is the strategy the chart renders for a block: with
// active-standby RollingUpdate, maxSurge 1 and maxUnavailable 0 with the
// user's rollingUpdate merged over it, unless the user asks for Recreate;
// without, Recreate. A RollingUpdate asked for without active-standby is kept
// as asked (the chart refuses it) so that the rules see the request.
func strategyFromValues(key string, block map[string]any, declared Fact[bool]) Fact[Strategy] {
	at := func(p string) Source { return Source{Path: key + ".strategy" + p} }
	user, ok := mapAt(block, "strategy")
	if !ok || !declared.Known {
		return Fact[Strategy]{}
	}
	typ, ok := stringAt(user, "type")
	if !ok {
		return Fact[Strategy]{}
	}
	rolling, ok := mapAt(user, "rollingUpdate")
	if !ok {
		return Fact[Strategy]{}
	}
	surge, ok1 := intOrPercent(rolling["maxSurge"])
	unavailable, ok2 := intOrPercent(rolling["maxUnavailable"])
	if !ok1 || !ok2 {
		return Fact[Strategy]{}
	}
	s := Strategy{Type: typ, HasRollingUpdate: user["rollingUpdate"] != nil,
		TypeAt: at(".type"), RollingUpdateAt: at(".rollingUpdate"), MaxSurgeAt: at(".rollingUpdate.maxSurge"), MaxUnavailableAt: at(".rollingUpdate.maxUnavailable")}
	if typ == "" {
		s.TypeAt = at("")
		s.Type = "Recreate"
		if declared.Value {
			s.Type = "RollingUpdate"
		}
	}
	if s.Type == "RollingUpdate" && declared.Value {
		one, zero := intstr.FromInt32(1), intstr.FromInt32(0)
		s.MaxSurge, s.MaxUnavailable = &one, &zero
		if surge != nil {
			s.MaxSurge = surge
		}
		if unavailable != nil {
			s.MaxUnavailable = unavailable
		}
	} else {
		s.MaxSurge, s.MaxUnavailable = surge, unavailable
	}
	return Known(s, at(""))
}

// spreadFromValues is what keeps a block's replicas apart: the chart's pod
// anti-affinity (podAntiAffinity.mode soft or hard) unless the block's own
// affinity brings a podAntiAffinity, which replaces it; and the block's
// topologySpreadConstraints. Terms the user wrote are trusted to select the
// pods; an empty override is not.
func spreadFromValues(vals map[string]any, key string, block map[string]any) Fact[Spread] {
	anti, ok := mapAt(vals, "podAntiAffinity")
	if !ok {
		return Fact[Spread]{}
	}
	mode, ok := stringAt(anti, "mode")
	if !ok {
		return Fact[Spread]{}
	}
	affinity, ok := mapAt(block, "affinity")
	if !ok {
		return Fact[Spread]{}
	}
	tsc, ok := listAt(block, "topologySpreadConstraints")
	if !ok {
		return Fact[Spread]{}
	}
	var s Spread
	userAnti, hasUserAnti := affinity["podAntiAffinity"]
	switch {
	case len(tsc) > 0:
		s.Apart = true
	case hasUserAnti:
		m, _ := userAnti.(map[string]any)
		s.Apart = len(m) > 0
		s.Why = key + ".affinity.podAntiAffinity is empty and replaces the chart's anti-affinity"
		s.Remedy = fmt.Sprintf("remove %s.affinity.podAntiAffinity to get the chart's anti-affinity, or write your own terms", key)
	default:
		s.Apart = mode != "none"
		s.Why = "podAntiAffinity.mode is none and " + key + " has no topologySpreadConstraints"
		s.Remedy = fmt.Sprintf("set podAntiAffinity.mode: soft (or hard), or add %s.topologySpreadConstraints", key)
	}
	at := Source{Path: key + ".affinity.podAntiAffinity"}
	if !hasUserAnti {
		at = Source{Path: "podAntiAffinity.mode"}
	}
	if selector, ok := mapAt(block, "nodeSelector"); ok {
		if host, ok := selector[hostnameLabel].(string); ok && host != "" {
			s.PinnedTo = host
			s.PinnedAt = Source{Path: values.Join(key+".nodeSelector", hostnameLabel)}
		}
	}
	if node, ok := affinity["nodeAffinity"].(map[string]any); ok && s.PinnedTo == "" {
		if host, ok := pinnedByNodeAffinity(node); ok {
			s.PinnedTo, s.PinnedAt = host, Source{Path: key + ".affinity.nodeAffinity"}
		}
	}
	return Known(s, at)
}

// pinnedByNodeAffinity reports the hostname that a required node affinity
// restricts every pod to, when it allows exactly one.
func pinnedByNodeAffinity(nodeAffinity map[string]any) (string, bool) {
	required, _ := nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"].(map[string]any)
	terms, _ := required["nodeSelectorTerms"].([]any)
	if len(terms) == 0 {
		return "", false
	}
	host := ""
	for _, t := range terms {
		term, _ := t.(map[string]any)
		exprs, _ := term["matchExpressions"].([]any)
		pinned := ""
		for _, e := range exprs {
			expr, _ := e.(map[string]any)
			vals, _ := expr["values"].([]any)
			if expr["key"] == hostnameLabel && expr["operator"] == "In" && len(vals) == 1 {
				pinned, _ = vals[0].(string)
			}
		}
		// Terms are ORed: every term must pin the same host.
		if pinned == "" || host != "" && pinned != host {
			return "", false
		}
		host = pinned
	}
	return host, true
}

func queueFromValues(vals map[string]any) Fact[MessageQueue] {
	pulsar, ok1 := mapAt(vals, "externalPulsar")
	kafka, ok2 := mapAt(vals, "externalKafka")
	p, ok3 := boolAt(pulsar, "enabled")
	k, ok4 := boolAt(kafka, "enabled")
	brokers, ok5 := stringAt(kafka, "brokerList")
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return Fact[MessageQueue]{}
	}
	q := MessageQueue{Pulsar: p, Kafka: k, KafkaBrokers: brokers, PulsarAt: Source{Path: "externalPulsar.enabled"},
		KafkaAt: Source{Path: "externalKafka.enabled"}, BrokersAt: Source{Path: "externalKafka.brokerList"}}
	return Known(q, q.PulsarAt)
}

// chartEnv is the env the chart sets on every coordinator besides the
// active-standby switches: the credentials from its Secret (or the user's
// existingSecret) and the streaming switch. A secret the chart stores itself
// keeps its value here, for rules that judge its form; one from an existing
// Secret is unknown.
func chartEnv(vals map[string]any) []Setting {
	var out []Setting
	add := func(c Credential, value string, unknown bool, from string) {
		out = append(out, Setting{Key: c.Env(), Value: value, Unknown: unknown, Derived: true,
			Where: from, At: Source{Path: from}})
	}
	credential := func(key string) Credential { c, _ := CredentialFor(NormalizeKey(key)); return c }
	s3, _ := mapAt(vals, "externalS3")
	if iam, ok := boolAt(s3, "useIAM"); ok && !iam {
		secret, _ := stringAt(s3, "existingSecret")
		for _, k := range []struct{ key, value string }{{"minio.accessKeyID", "accessKey"}, {"minio.secretAccessKey", "secretKey"}} {
			value, _ := stringAt(s3, k.value)
			from := "externalS3." + k.value
			if secret != "" {
				from = "externalS3.existingSecret"
			}
			add(credential(k.key), value, secret != "", from)
		}
	}
	secretEnv := func(key string, on bool, value, valuePath, secret, secretPath string) {
		switch {
		case !on:
		case secret != "":
			add(credential(key), "", true, secretPath)
		case value != "":
			add(credential(key), value, false, valuePath)
		}
	}
	pulsar, _ := mapAt(vals, "externalPulsar")
	pulsarOn, _ := boolAt(pulsar, "enabled")
	params, _ := stringAt(pulsar, "authParams")
	pulsarSecret, _ := stringAt(pulsar, "existingSecret")
	secretEnv(PulsarAuthParamsKey, pulsarOn, params, "externalPulsar.authParams", pulsarSecret, "externalPulsar.existingSecret")
	kafka, _ := mapAt(vals, "externalKafka")
	kafkaOn, _ := boolAt(kafka, "enabled")
	sasl, _ := mapAt(kafka, "sasl")
	password, _ := stringAt(sasl, "password")
	kafkaSecret, _ := stringAt(kafka, "existingSecret")
	secretEnv(KafkaSASLPassKey, kafkaOn, password, "externalKafka.sasl.password", kafkaSecret, "externalKafka.existingSecret")
	etcd, _ := mapAt(vals, "externalEtcd")
	auth, _ := mapAt(etcd, "auth")
	authOn, _ := boolAt(auth, "enabled")
	etcdPassword, _ := stringAt(auth, "password")
	etcdSecret, _ := stringAt(auth, "existingSecret")
	secretEnv("etcd.auth.password", authOn, etcdPassword, "externalEtcd.auth.password", etcdSecret, "externalEtcd.auth.existingSecret")
	milvus, _ := mapAt(vals, "milvus")
	streaming, _ := mapAt(milvus, "streaming")
	if on, ok := boolAt(streaming, "enabled"); ok && on {
		out = append(out, Setting{Key: StreamingEnv, Value: "1", Derived: true, Where: "milvus.streaming.enabled",
			At: Source{Path: "milvus.streaming.enabled"}})
	}
	return out
}

package coord

import (
	"math"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// Process is how a workload runs Milvus.
type Process int

const (
	// Single runs one coordinator: `milvus run rootcoord`.
	Single Process = iota + 1
	// Mixture runs several coordinators in one process, each electing on its
	// own flag: `milvus run mixture -rootcoord -querycoord -datacoord` (2.4, 2.5).
	Mixture
	// Mixcoord is Milvus 2.6's one coordinator process: `milvus run mixcoord`.
	Mixcoord
)

// Model is the coordinator layer of one Milvus installation.
type Model struct {
	// Version is the Milvus release the coordinators run; unknown when the
	// image tag carries none.
	Version Fact[Version]
	// Tag is the image tag the version was read from.
	Tag Fact[string]
	// Workloads run the coordinators, in a fixed order: this chart's blocks in
	// chart order, or objects in manifest order.
	Workloads []*Workload
	// Queue is the message queue the coordinators are configured for (values
	// only).
	Queue Fact[MessageQueue]
	// UserSet reports whether the user set the values path (rather than the
	// chart defaults), so a finding about two values points at the one the
	// user wrote; nil for manifests.
	UserSet func(path string) bool
	// Unreadable is true when a coordinator block could not be read (a value
	// of the wrong type, the schema's finding): which roles run is unknown.
	Unreadable bool
	// Absent are the coordinator blocks this chart knows that deploy nothing
	// (values only): the places to turn a missing role on.
	Absent []Absent
}

// Absent is a coordinator values block that is turned off.
type Absent struct {
	Key     string // rootCoordinator
	Role    string // rootcoord, or mixcoord
	Enabled Source // its enabled flag
}

// Workload is one Deployment (or StatefulSet) that runs coordinators.
type Workload struct {
	// Name is what messages call it: the values block (rootCoordinator) or the
	// object (Deployment coord-rootcoord).
	Name string
	// Block is the values block that configures it; empty for manifests.
	Block string
	// Origin is where the object stands in a manifest stream, when known.
	Origin  finding.Origin
	Process Process
	// Roles are the coordinator roles it serves.
	Roles    []Role
	Replicas Fact[int]
	// Declared is the mode the producer deployed the workload for (this chart's
	// activeStandby.enabled, which decides the rollout, budget and spread it
	// renders, and is what it writes into the config; on 2.6.8 and later
	// mixcoord is rendered as HA whatever it says, because Milvus runs it so);
	// unknown for manifests, where only what Milvus reads counts.
	Declared Fact[bool]
	// Config is what the pods read: config files, then env.
	Config   *Config
	Strategy Fact[Strategy]
	Spread   Fact[Spread]
	Budget   Fact[Budget]
	// Heaptrack is whether Milvus runs under heaptrack, which traces every
	// allocation (this chart's heaptrack.enabled, or heaptrack before
	// `milvus run` in the container's command).
	Heaptrack Fact[bool]
	Ingress   Fact[Ingress]
	// Grace is the pods' terminationGracePeriodSeconds: the kubelet kills a
	// pod this long after SIGTERM, whether or not it revoked its session.
	Grace Fact[int]
	// Liveness is the Milvus container's liveness probe (Kind "none" when it
	// has none); unknown for values, whose probe this chart renders.
	Liveness Fact[Probe]
}

// Probe kinds, as the Kubernetes probe handler fields are spelled.
const (
	ProbeHTTPGet   = "httpGet"
	ProbeTCPSocket = "tcpSocket"
	ProbeExec      = "exec"
	ProbeGRPC      = "grpc"
	ProbeNone      = "none"
)

// Probe is a container probe, as far as the rules read it.
type Probe struct {
	// Kind is the handler: httpGet, tcpSocket, exec, grpc, or none.
	Kind string
	// Path is the httpGet path ("/healthz"); empty for other kinds.
	Path string
	// Port is the httpGet, tcpSocket or grpc port as written: a number
	// ("9091") or a container port name ("metrics").
	Port string
	// Container is the container the probe belongs to.
	Container string
	// At is the probe's field (spec.template.spec.containers[milvus].livenessProbe).
	At Source
	// Remedy, when set, says how to make it a tcpSocket probe in the
	// producer's terms (a chart whose templates hard-code the probe names its
	// values); empty for objects, whose field the rule names.
	Remedy string
}

// Self is the workload as a source: the object, or the values block.
func (w *Workload) Self() Source { return Source{Object: w.Name, Block: w.Block, Origin: w.Origin} }

// Runs reports whether the workload serves role.
func (w *Workload) Runs(role Role) bool {
	for _, r := range w.Roles {
		if r.Name == role.Name {
			return true
		}
	}
	return false
}

// RoleNames lists the roles it serves.
func (w *Workload) RoleNames() string {
	names := make([]string, len(w.Roles))
	for i, r := range w.Roles {
		names[i] = r.Name
	}
	return strings.Join(names, ", ")
}

// Standby is a workload's effective active-standby for one role, as Milvus
// decides it.
type Standby struct {
	On bool
	// Setting is what Milvus read; Set is false when no source sets the key
	// and Milvus' default (false) applies.
	Setting Setting
	Set     bool
	// Invalid is true when the value is no boolean Milvus can parse (read as false).
	Invalid bool
	// Unknown is true when the value comes from elsewhere (an env var's
	// valueFrom): the mode cannot be told, so it is taken as on.
	Unknown bool
	// Always is true when the version makes it active-standby whatever the
	// config says (mixcoord from 2.6.8).
	Always bool
}

// ActiveStandby returns whether Milvus runs role of w in active-standby mode,
// following the version's rules: from 2.6.8 mixcoord always is; 2.6.0 to 2.6.7
// mixcoord reads mixCoord.enableActiveStandby, falling back to the rootCoord
// key; from 2.3 indexcoord is datacoord's; otherwise each role reads
// <section>.enableActiveStandby (env over files, strconv.ParseBool, false when
// unset or unparsable).
func (w *Workload) ActiveStandby(role Role, v Fact[Version]) Standby {
	if role.Name == IndexCoord.Name && v.Known && !v.Value.HasIndexCoord() {
		// From 2.3 datacoord registers the indexcoord session itself: its
		// key decides (indexCoord.enableActiveStandby is read by no code).
		role = DataCoord
	}
	if w.Process == Mixcoord && v.Known {
		if v.Value.MixcoordAlwaysStandby() {
			return Standby{On: true, Always: true}
		}
		if v.Value.MixcoordReadsOwnKey() {
			if s, _, ok := w.Config.Lookup(ActiveStandbyKey(MixcoordSection)); ok {
				return standby(s)
			}
			role = RootCoord
		}
	}
	s, _, ok := w.Config.Lookup(ActiveStandbyKey(role.Section))
	if !ok {
		return Standby{}
	}
	return standby(s)
}

func standby(s Setting) Standby {
	if s.Unknown {
		return Standby{On: true, Setting: s, Set: true, Unknown: true}
	}
	on, valid := ParseBool(s.Value)
	return Standby{On: on, Setting: s, Set: true, Invalid: !valid}
}

// AllStandby reports whether every role of w runs active-standby, and the
// first role that does not.
func (w *Workload) AllStandby(v Fact[Version]) (bool, Role, Standby) {
	for _, r := range w.Roles {
		if s := w.ActiveStandby(r, v); !s.On {
			return false, r, s
		}
	}
	return true, Role{}, Standby{}
}

// SessionTTL is common.session.ttl as the workload's pods read it; ok is false
// when no source sets it (Milvus' shipped default applies) or it is no integer.
func (w *Workload) SessionTTL() (ttl int, s Setting, ok bool) {
	s, _, found := w.Config.Lookup(SessionTTLKey)
	if !found {
		return 0, s, false
	}
	ttl, err := strconv.Atoi(strings.TrimSpace(s.Value))
	return ttl, s, err == nil
}

// Strategy is a workload's rollout strategy.
type Strategy struct {
	// Controller is the kind that rolls the pods: Deployment (also for values)
	// or StatefulSet, which has no surge: it stops a pod before its
	// replacement starts, and never runs two pods of one ordinal.
	Controller string
	Type       string // RollingUpdate or Recreate; a StatefulSet's RollingUpdate or OnDelete
	// HasRollingUpdate is true when a rollingUpdate block is given (Kubernetes
	// refuses one with Recreate).
	HasRollingUpdate bool
	// MaxSurge and MaxUnavailable are nil when unset (Kubernetes: 25%).
	MaxSurge, MaxUnavailable *intstr.IntOrString
	// Where name the fields for messages and fixes.
	TypeAt, RollingUpdateAt, MaxSurgeAt, MaxUnavailableAt Source
}

// Resolved returns the pods a rollout may add above replicas and take away
// below it, as the Deployment controller computes them: percentages of
// replicas, surge rounded up and unavailable down, 25% when unset, and one
// unavailable when both come to zero. For a StatefulSet the surge is zero and
// maxUnavailable is 1 when unset, a percentage rounded up, at least 1 (the
// StatefulSet controller).
func (s Strategy) Resolved(replicas int) (surge, unavailable int) {
	if s.Controller == KindStatefulSet {
		one := intstr.FromInt32(1)
		v := s.MaxUnavailable
		if v == nil {
			v = &one
		}
		n, err := intstr.GetScaledValueFromIntOrPercent(v, replicas, true)
		if err != nil || n < 1 {
			n = 1
		}
		return 0, n
	}
	quarter := intstr.FromString("25%")
	resolve := func(v *intstr.IntOrString, up bool) int {
		if v == nil {
			v = &quarter
		}
		if v.Type == intstr.Int {
			return v.IntValue()
		}
		p, err := strconv.Atoi(strings.TrimSuffix(v.StrVal, "%"))
		if err != nil {
			return 0
		}
		f := float64(p) * float64(replicas) / 100
		if up {
			return int(math.Ceil(f))
		}
		return int(math.Floor(f))
	}
	surge, unavailable = resolve(s.MaxSurge, true), resolve(s.MaxUnavailable, false)
	if surge == 0 && unavailable == 0 {
		unavailable = 1
	}
	return surge, unavailable
}

// Spread is what keeps a workload's replicas apart.
type Spread struct {
	// Apart is true when a pod anti-affinity or topology spread constraint
	// selects the workload's own pods.
	Apart bool
	// PinnedTo is the one node every pod must run on ("" when none): a
	// hostname nodeSelector, or a required node affinity allowing one host.
	PinnedTo string
	PinnedAt Source
	// Why says what left the replicas without spread, for messages; Remedy
	// says what to change, in the producer's terms.
	Why, Remedy string
}

// Budget is the PodDisruptionBudget that covers a workload's pods.
type Budget struct {
	Covered bool
	// Name is the budget's, when one covers the pods.
	Name string
	// SharedWith names another workload whose pods the same budget selects.
	SharedWith string
	// Remedy says what to change to get a budget, in the producer's terms.
	Remedy string
}

// Ingress is whether a NetworkPolicy limits who connects to a workload's pods.
type Ingress struct {
	// Restricted is true when an ingress NetworkPolicy selects the pods;
	// false leaves every port open to any pod that can route to them.
	Restricted bool
	// Policy names that NetworkPolicy, when the producer knows its name.
	Policy string
	// Why says what leaves the pods open, and Remedy what to change, in the
	// producer's terms; empty for objects, where the rule names the pods.
	Why, Remedy string
}

// MessageQueue is the message queue of the cluster: exactly one must be on.
type MessageQueue struct {
	Pulsar, Kafka                bool
	KafkaBrokers                 string
	PulsarAt, KafkaAt, BrokersAt Source
}

// Blame returns the first of the sources whose path the user set, so a finding
// points at the line the user wrote; the first when the defaults set them all.
func (m *Model) Blame(sources ...Source) Source {
	for _, s := range sources {
		if m.UserSet != nil && s.Object == "" && m.UserSet(s.Path) {
			return s
		}
	}
	return sources[0]
}

// HAKeys are the config keys that decide w's high availability: the
// active-standby key of every section it runs (mixcoord's own on 2.6) and the
// session TTL.
func (w *Workload) HAKeys() []string {
	var keys []string
	for _, r := range w.Roles {
		keys = append(keys, ActiveStandbyKey(r.Section))
	}
	if w.Process == Mixcoord {
		keys = append(keys, ActiveStandbyKey(MixcoordSection))
	}
	return append(keys, SessionTTLKey)
}

// SameValue reports whether two settings of key mean the same to Milvus:
// booleans as parsed, anything else as written.
func SameValue(key string, a, b Setting) bool {
	if a.Unknown || b.Unknown {
		return true // cannot be told apart
	}
	if strings.HasSuffix(NormalizeKey(key), "enableactivestandby") {
		x, _ := ParseBool(a.Value)
		y, _ := ParseBool(b.Value)
		return x == y
	}
	return strings.TrimSpace(a.Value) == strings.TrimSpace(b.Value)
}

// StopSections are the config sections whose gracefulStopTimeout bounds w's
// stop, in the order Milvus stops them: 2.6 mixcoord reads rootCoord's alone
// (cmd/components/mix_coord.go); a mixture stops its coordinators one after
// another (cmd/roles/roles.go), each within its own.
func (w *Workload) StopSections() []string {
	if w.Process == Mixcoord {
		return []string{RootCoord.Section}
	}
	out := make([]string, len(w.Roles))
	for i, r := range w.Roles {
		out[i] = r.Section
	}
	return out
}

// Seconds is a timeout Milvus reads, in seconds.
type Seconds struct {
	Value float64
	// Setting is what Milvus read; Set is false when nothing sets the key
	// and Milvus' shipped default applies.
	Setting Setting
	Set     bool
	// Invalid: no number; Milvus reads it as 0 (paramtable getAsDuration).
	Invalid bool
	// Unknown: the value comes from elsewhere (an env var's valueFrom).
	Unknown bool
}

func seconds(c *Config, key string, def float64) Seconds {
	s, _, ok := c.Lookup(key)
	if !ok {
		return Seconds{Value: def}
	}
	if s.Unknown {
		return Seconds{Value: def, Setting: s, Set: true, Unknown: true}
	}
	v := strings.TrimSpace(s.Value)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return Seconds{Value: float64(n), Setting: s, Set: true}
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return Seconds{Setting: s, Set: true, Invalid: true}
	}
	return Seconds{Value: f, Setting: s, Set: true}
}

// StopTimeout is `<section>.gracefulStopTimeout` as w's pods read it (5 s
// where nothing sets it).
func (w *Workload) StopTimeout(section string) Seconds {
	return seconds(w.Config, GracefulStopKey(section), DefaultCoordStopTimeout)
}

// StopNeeds is the longest a stop of w may take before Milvus gives up and
// exits: the sum of its StopSections' timeouts.
func (w *Workload) StopNeeds() float64 {
	var sum float64
	for _, s := range w.StopSections() {
		if t := w.StopTimeout(s).Value; t > 0 {
			sum += t
		}
	}
	return sum
}

// GRPCStopTimeout is grpc.gracefulStopTimeout as w's pods read it: where
// nothing sets it, the release's shipped value (verified false when the
// release was not checked, or unknown).
func (w *Workload) GRPCStopTimeout(v Fact[Version]) (s Seconds, verified bool) {
	def, verified := 10, false
	if v.Known {
		def, verified = v.Value.ShippedGRPCStopTimeout()
	}
	s = seconds(w.Config, GRPCStopTimeoutKey, float64(def))
	return s, verified || s.Set
}

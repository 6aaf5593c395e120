// Package coord is the model of the Milvus coordinator layer as Milvus will run
// it: for each Milvus role, the workload that runs it, its replicas, its
// effective active-standby (as Milvus computes it from its config files and
// environment), rollout strategy, spread, disruption budget, session TTL,
// graceful stop, ports and Milvus version, each fact with where it came from.
//
// A model is built from this chart's values (FromValues) or from rendered
// Kubernetes objects (FromObjects); the HA rules (internal/rules) are functions
// of the model, so every producer is judged by one rule set.
package coord

// Role is one Milvus coordinator role. This table is the one place that names
// the roles' values blocks, config sections, environment prefixes and ports.
type Role struct {
	Name        string // session role and `milvus run` argument: rootcoord
	ValuesKey   string // values block of this chart and of the upstream chart: rootCoordinator
	Section     string // Milvus config section: rootCoord
	DefaultPort int    // default gRPC port (rootCoord.port, ...)
}

var (
	RootCoord  = Role{Name: "rootcoord", ValuesKey: "rootCoordinator", Section: "rootCoord", DefaultPort: 53100}
	QueryCoord = Role{Name: "querycoord", ValuesKey: "queryCoordinator", Section: "queryCoord", DefaultPort: 19531}
	DataCoord  = Role{Name: "datacoord", ValuesKey: "dataCoordinator", Section: "dataCoord", DefaultPort: 13333}
	// IndexCoord is a coordinator of its own up to Milvus 2.2; from 2.3 datacoord
	// coordinates indexes and registers the indexcoord session itself.
	IndexCoord = Role{Name: "indexcoord", ValuesKey: "indexCoordinator", Section: "indexCoord", DefaultPort: 31000}
)

// Mixcoord names the workload that runs every coordinator role in one process
// (`milvus run mixture -rootcoord -querycoord -datacoord` up to 2.5, `milvus run
// mixcoord` from 2.6, where it is also a session role of its own).
const (
	MixcoordName      = "mixcoord"
	MixcoordValuesKey = "mixCoordinator"
	MixcoordSection   = "mixCoord"
)

// Required are the roles every Milvus cluster needs served.
var Required = []Role{RootCoord, QueryCoord, DataCoord}

// RoleNamed returns the role called name (rootcoord, ..., indexcoord).
func RoleNamed(name string) (Role, bool) {
	for _, r := range append(Required, IndexCoord) {
		if r.Name == name {
			return r, true
		}
	}
	return Role{}, false
}

// ActiveStandbyKey is the Milvus config key that turns on active-standby for a
// config section: rootCoord.enableActiveStandby.
func ActiveStandbyKey(section string) string { return section + ".enableActiveStandby" }

// SessionTTLKey is the Milvus config key of the session lease, in seconds.
const SessionTTLKey = "common.session.ttl"

// GracefulStopKey is the config key that bounds a coordinator's stop, in
// seconds: rootCoord.gracefulStopTimeout. Coordinators do not read
// common.gracefulStopTimeout.
func GracefulStopKey(section string) string { return section + ".gracefulStopTimeout" }

// GRPCStopTimeoutKey bounds the gRPC server's graceful stop, in seconds; it
// runs inside the coordinator's own stop, before the session is revoked.
const GRPCStopTimeoutKey = "grpc.gracefulStopTimeout"

// Shipped stop timings, in seconds: the per-role gracefulStopTimeout of every
// release from 2.4 (configs/milvus.yaml, paramtable DefaultCoordGracefulStopTimeout),
// and the margin this chart adds to a pod's stop for the process to exit.
const (
	DefaultCoordStopTimeout = 5
	StopMargin              = 30
)

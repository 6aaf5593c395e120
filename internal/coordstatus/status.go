package coordstatus

import (
	"fmt"
	"slices"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/session"
)

// APIVersion versions the JSON documents coordctl prints (README: "coordctl
// JSON output"). A field is never renamed or removed within a version.
const APIVersion = "coordctl.milvus-coord.io/v1"

// Verdict is the state of one coordinator role.
type Verdict string

const (
	// VerdictHA: an ACTIVE instance and at least one standby ready to take over.
	VerdictHA Verdict = "ha"
	// VerdictNoStandby: served, but a crash costs the outage of a restart.
	VerdictNoStandby Verdict = "no-standby"
	// VerdictDown: no ACTIVE key, so no instance serves the role.
	VerdictDown Verdict = "down"
	// VerdictCrashLoop: the ACTIVE instance runs without active-standby while
	// other instances of the role are registered; an instance without it
	// cannot register beside an ACTIVE one and panics after its retries.
	VerdictCrashLoop Verdict = "ha-off-crash-loop"
	// VerdictMixed: mixcoord and separate coordinators are registered at once.
	VerdictMixed Verdict = "mixcoord-and-separate"
)

// Report is the status of every coordinator role of one Milvus.
type Report struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"` // "Status"
	Prefix     string `json:"prefix"`
	Revision   int64  `json:"revision"`
	// MilvusVersion is the newest version in the sessions, "" if none says.
	MilvusVersion string `json:"milvusVersion"`
	// Mode is "mixcoord" (Milvus 2.6) or "separate" (rootcoord, querycoord,
	// datacoord, and indexcoord where present).
	Mode       string       `json:"mode"`
	VersionKey string       `json:"versionKey,omitempty"` // session/version, Milvus 2.6
	Roles      []Role       `json:"roles"`
	Unreadable []Unreadable `json:"unreadable"`
	// OK is true when every role is served with a standby (exit code 0).
	OK bool `json:"ok"`
}

// Role is the verdict on one coordinator role.
type Role struct {
	Role     string     `json:"role"`
	Verdict  Verdict    `json:"verdict"`
	Served   bool       `json:"served"`
	Reason   string     `json:"reason"`
	Fix      string     `json:"fix,omitempty"`
	Active   *Instance  `json:"active"`
	Standbys []Instance `json:"standbys"`
	// LegacyKeys are the separate-coordinator keys an ACTIVE mixcoord holds
	// under its own lease (Milvus 2.6), e.g. "rootcoord".
	LegacyKeys []string `json:"legacyKeys,omitempty"`
	Failover   Failover `json:"failover"`
}

// Instance is one registered coordinator process.
type Instance struct {
	ServerID int64  `json:"serverID"`
	Address  string `json:"address"`
	HostName string `json:"hostName"` // os.Hostname(): the pod name on Kubernetes
	Version  string `json:"version"`
	Lease    string `json:"lease"` // hex, as etcdctl prints lease IDs
	// LeaseTTL is the lease's remaining and granted TTL in seconds; a
	// remaining -1 means it expired or was revoked since the read.
	LeaseTTL   int64    `json:"leaseTTLSeconds"`
	GrantedTTL int64    `json:"grantedTTLSeconds"`
	Stopping   bool     `json:"stopping"`
	Keys       []string `json:"keys"` // the session keys it holds, e.g. rootcoord, rootcoord-12
}

// Failover is the expected cost of losing the ACTIVE instance, without the
// metadata reload the new ACTIVE does before it serves (which depends on the
// size of the metadata and is not in etcd).
type Failover struct {
	// CrashSeconds: after a crash, SIGKILL or node loss the standby waits for
	// the lease to expire. Null without a standby: the outage lasts until a
	// restarted instance registers.
	CrashSeconds *int64 `json:"crashSeconds"`
	// GracefulStopSeconds: a stop that completes revokes the lease, and a
	// standby takes over at once. Null without a standby.
	GracefulStopSeconds *int64 `json:"gracefulStopSeconds"`
	Crash               string `json:"crash"`        // in words
	GracefulStop        string `json:"gracefulStop"` // in words
}

// Unreadable is a session key whose value Milvus could not have written.
type Unreadable struct {
	Key     string `json:"key"`
	Problem string `json:"problem"`
}

// Status judges a snapshot. Roles are those of the Milvus version found: the
// mixcoord role on 2.6 (or whenever a mixcoord session exists), else
// rootcoord, querycoord, datacoord, and indexcoord where a session of it
// exists or the version is 2.2 (its own process then).
func Status(s *Snapshot) *Report {
	r := &Report{APIVersion: APIVersion, Kind: "Status", Prefix: s.Prefix, Revision: s.Revision, VersionKey: s.VersionKey, Unreadable: []Unreadable{}, OK: true}
	if n := len(s.Versions); n > 0 {
		r.MilvusVersion = s.Versions[n-1]
	}
	byRole := map[string][]session.Session{}
	for _, ss := range s.Sessions {
		if ss.Problem != "" {
			r.Unreadable = append(r.Unreadable, Unreadable{Key: ss.FullKey, Problem: ss.Problem})
			continue
		}
		byRole[ss.Role] = append(byRole[ss.Role], ss)
	}

	mix := len(byRole[session.MixCoord]) > 0 || atLeast(r.MilvusVersion, 2, 6)
	var roles []string
	var legacy map[string][]string
	if mix {
		r.Mode = "mixcoord"
		roles = []string{session.MixCoord}
		legacy = splitLegacy(byRole)
		for _, sep := range session.SeparateRoles {
			if len(byRole[sep]) > 0 {
				roles = append(roles, sep)
			}
		}
	} else {
		r.Mode = "separate"
		roles = slices.Clone(session.SeparateRoles)
		if len(byRole[session.IndexCoord]) > 0 || (r.MilvusVersion != "" && !atLeast(r.MilvusVersion, 2, 3)) {
			roles = append(roles, session.IndexCoord)
		}
	}
	for _, role := range roles {
		rs := judge(role, byRole[role], s)
		if role == session.MixCoord {
			rs.LegacyKeys = legacy[session.MixCoord]
		}
		r.Roles = append(r.Roles, rs)
	}
	if mix && len(r.Roles) > 1 {
		var separate []string
		for _, rs := range r.Roles[1:] {
			separate = append(separate, rs.Role)
		}
		for i := range r.Roles {
			r.Roles[i].Verdict = VerdictMixed
			r.Roles[i].Reason = fmt.Sprintf("mixcoord and separate coordinators (%s) are registered at once: both serve the same roles; a 2.6 mixcoord waits (\"old session exists\") while separate sessions exist (on its own: %s)", strings.Join(separate, ", "), r.Roles[i].Reason)
			r.Roles[i].Fix = "run either mixcoord or the separate coordinators, never both: scale the separate coordinator Deployments to 0 (or delete them) when mixcoord runs, and let their sessions expire"
		}
	}
	for _, rs := range r.Roles {
		if rs.Verdict != VerdictHA {
			r.OK = false
		}
	}
	return r
}

// splitLegacy moves the separate-coordinator keys an ACTIVE mixcoord holds
// under its own lease out of byRole: they are the mixcoord's, not separate
// coordinators. It returns their names under the "mixcoord" key.
func splitLegacy(byRole map[string][]session.Session) map[string][]string {
	mixLeases := map[int64]bool{}
	for _, ss := range byRole[session.MixCoord] {
		if ss.Lease != 0 {
			mixLeases[ss.Lease] = true
		}
	}
	out := map[string][]string{}
	for _, sep := range session.SeparateRoles {
		var keep []session.Session
		for _, ss := range byRole[sep] {
			if ss.Legacy || mixLeases[ss.Lease] {
				out[session.MixCoord] = append(out[session.MixCoord], ss.Name)
				continue
			}
			keep = append(keep, ss)
		}
		byRole[sep] = keep
	}
	return out
}

func judge(role string, sessions []session.Session, s *Snapshot) Role {
	rs := Role{Role: role, Standbys: []Instance{}}
	var active *session.Session
	registered := map[int64]*Instance{}
	var order []int64
	for i := range sessions {
		ss := &sessions[i]
		if ss.Active {
			active = ss
			continue
		}
		if _, ok := registered[ss.ServerID]; !ok {
			order = append(order, ss.ServerID)
			inst := instance(ss, s)
			registered[ss.ServerID] = &inst
		}
	}
	twin := false
	if active != nil {
		inst := instance(active, s)
		if own, ok := registered[active.Raw.ServerID]; ok {
			twin = true
			inst.Keys = append(inst.Keys, own.Keys...)
		}
		rs.Active = &inst
		rs.Served = true
	}
	for _, id := range order {
		if active != nil && id == active.Raw.ServerID {
			continue
		}
		rs.Standbys = append(rs.Standbys, *registered[id])
	}

	ttl := int64(0)
	if rs.Active != nil {
		ttl = rs.Active.GrantedTTL
	} else if len(rs.Standbys) > 0 {
		ttl = rs.Standbys[0].GrantedTTL
	}
	key := s.Prefix + role
	switch {
	case active == nil:
		rs.Verdict = VerdictDown
		if len(rs.Standbys) > 0 {
			rs.Reason = fmt.Sprintf("no ACTIVE key %s: no instance serves %s; %d registered instance(s) wait as standby and none took over", key, role, len(rs.Standbys))
			rs.Fix = "read the standbys' logs (kubectl logs on the pods named above): a standby takes over within milliseconds of the ACTIVE key going; one that does not is blocked (e.g. a 2.6 mixcoord logs \"old session exists\" while 2.5-style sessions remain)"
		} else {
			rs.Reason = fmt.Sprintf("no ACTIVE key %s and no %s instance registered: Milvus cannot serve requests that need %s", key, role, role)
			rs.Fix = fmt.Sprintf("start %s: kubectl get pods -l app.kubernetes.io/component=%s, and read why its pods are not running or not registering (kubectl logs)", role, role)
		}
	case !twin && len(rs.Standbys) > 0:
		rs.Verdict = VerdictCrashLoop
		rs.Reason = fmt.Sprintf("the ACTIVE %s runs with active-standby off (it holds %s alone, no %s-%d key) while %d other instance(s) are registered: an instance without active-standby finds %s taken, retries for about 80 s and panics, a crash loop (milvus issue 28063)", role, key, role, active.Raw.ServerID, len(rs.Standbys), key)
		rs.Fix = fmt.Sprintf("turn active-standby on for every %s instance (%s.enableActiveStandby: true, or the chart's activeStandby.enabled: true) and restart them", role, configSection(role))
	case len(rs.Standbys) == 0:
		rs.Verdict = VerdictNoStandby
		if twin {
			rs.Reason = "served by one instance with active-standby on, but no standby is registered: a crash costs the outage of a restart"
			rs.Fix = fmt.Sprintf("run a second %s replica (the chart's replicas: 2) on another node", role)
		} else {
			rs.Reason = fmt.Sprintf("served with active-standby off (the ACTIVE holds %s alone, no %s-%d key): a crash costs the outage of a restart, and a second instance would crash-loop", key, role, active.Raw.ServerID)
			rs.Fix = fmt.Sprintf("turn active-standby on (%s.enableActiveStandby: true, or the chart's activeStandby.enabled: true) and run 2 replicas", configSection(role))
		}
	default:
		rs.Verdict = VerdictHA
		rs.Reason = fmt.Sprintf("served with %d standby(s) ready to take over", len(rs.Standbys))
	}
	rs.Failover = failover(rs.Verdict, ttl)
	return rs
}

func failover(v Verdict, ttl int64) Failover {
	ttlText := "the lease TTL"
	if ttl > 0 {
		ttlText = fmt.Sprintf("%d s (the lease TTL)", ttl)
	}
	if v == VerdictHA {
		zero := int64(0)
		f := Failover{GracefulStopSeconds: &zero,
			Crash:        ttlText + " plus the standby's metadata reload",
			GracefulStop: "the standby's metadata reload only (the lease is revoked)"}
		if ttl > 0 {
			f.CrashSeconds = &ttl
		}
		return f
	}
	if v == VerdictDown {
		return Failover{Crash: "already down", GracefulStop: "already down"}
	}
	return Failover{
		Crash:        "until the instance restarts and registers (up to " + ttlText + " while its old lease lasts) plus its metadata reload",
		GracefulStop: "until the instance restarts plus its metadata reload",
	}
}

func instance(ss *session.Session, s *Snapshot) Instance {
	inst := Instance{
		ServerID: ss.Raw.ServerID, Address: ss.Raw.Address, HostName: ss.Raw.HostName,
		Version: ss.Raw.Version, Stopping: ss.Raw.Stopping, Keys: []string{ss.Name},
	}
	if ss.Lease != 0 {
		inst.Lease = fmt.Sprintf("%x", ss.Lease)
		l := s.Leases[ss.Lease]
		inst.LeaseTTL, inst.GrantedTTL = l.Remaining, l.Granted
	}
	return inst
}

// configSection is the Milvus config section of a role, for fixes.
func configSection(role string) string {
	switch role {
	case session.RootCoord:
		return "rootCoord"
	case session.QueryCoord:
		return "queryCoord"
	case session.DataCoord, session.IndexCoord:
		return "dataCoord"
	case session.MixCoord:
		return "mixCoord"
	}
	return role
}

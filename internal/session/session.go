// Package session knows how Milvus coordinators register in etcd: the key
// layout under <etcd.rootPath>/<etcd.metaSubPath>/session/ and the JSON value
// of each key, for Milvus 2.2 to 2.6. It parses; it never talks to etcd.
//
// Read from the Milvus source, internal/util/sessionutil/session_util.go
// (release branches 2.4, 2.5 and the 2.6 line):
//   - Every coordinator process first registers "<role>-<serverID>" when
//     active-standby is on, or "<role>" itself when it is off (Exclusive with
//     active-standby off: getCompleteKey), with a transaction
//     If(Version(key)==0) Then(Put(key, json, WithLease(lease))), the lease
//     granted for common.session.ttl seconds and kept alive.
//   - With active-standby on, ProcessActiveStandBy then tries the same
//     transaction on "<role>" with the same JSON and the same lease: the one
//     that succeeds is ACTIVE; the others watch "<role>" and retry on DELETE.
//   - "id" is the server-ID counter (a compare-and-swap on its value).
//   - Stop revokes the lease (a graceful stop: every key of the process goes
//     at once); a crash leaves the lease to expire after its TTL.
package session

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Coordinator roles, as Milvus names its sessions (pkg/util/typeutil/type.go).
const (
	RootCoord  = "rootcoord"
	QueryCoord = "querycoord"
	DataCoord  = "datacoord"
	IndexCoord = "indexcoord" // its own process in 2.2; registered by datacoord from 2.3
	MixCoord   = "mixcoord"   // Milvus 2.6: one process for every coordinator role
)

// Roles lists the coordinator roles in the order reports show them.
var Roles = []string{MixCoord, RootCoord, QueryCoord, DataCoord, IndexCoord}

// SeparateRoles are the roles that mixcoord replaces in Milvus 2.6.
var SeparateRoles = []string{RootCoord, QueryCoord, DataCoord}

// IsCoordinator reports whether role is a coordinator role.
func IsCoordinator(role string) bool {
	for _, r := range Roles {
		if r == role {
			return true
		}
	}
	return false
}

func isSeparate(role string) bool {
	for _, r := range SeparateRoles {
		if r == role {
			return true
		}
	}
	return false
}

// Special keys under the session prefix that are not sessions.
const (
	IDKey      = "id"      // the server-ID counter
	VersionKey = "version" // Milvus 2.6: the cluster's version, guards downgrades (no lease)
)

// Prefix is the etcd key prefix of the sessions for a Milvus whose
// etcd.rootPath is rootPath and etcd.metaSubPath is metaSubPath (defaults
// "by-dev" and "meta"), with a trailing slash.
func Prefix(rootPath, metaSubPath string) string {
	return path.Join(rootPath, metaSubPath, "session") + "/"
}

// IndexEngineVersion is the index engine range a node supports.
type IndexEngineVersion struct {
	MinimalIndexVersion int32 `json:"MinimalIndexVersion,omitempty"`
	CurrentIndexVersion int32 `json:"CurrentIndexVersion,omitempty"`
	MaximumIndexVersion int32 `json:"MaximumIndexVersion,omitempty"`
}

// Raw is the JSON a session key holds, the union of the fields of Milvus'
// SessionRaw from 2.2 to 2.6 (2.4: EnableDisk; 2.5 and later:
// ScalarIndexEngineVersion, IndexNonEncoding; ServerLabels from late 2.4).
// Unknown fields of later versions are ignored, as Milvus ignores them.
type Raw struct {
	ServerID                 int64              `json:"ServerID,omitempty"`
	ServerName               string             `json:"ServerName,omitempty"`
	Address                  string             `json:"Address,omitempty"`
	Exclusive                bool               `json:"Exclusive,omitempty"`
	Stopping                 bool               `json:"Stopping,omitempty"`
	TriggerKill              bool               // no JSON tag in Milvus: always written
	Version                  string             `json:"Version"`
	IndexEngineVersion       IndexEngineVersion `json:"IndexEngineVersion,omitempty"`
	ScalarIndexEngineVersion IndexEngineVersion `json:"ScalarIndexEngineVersion,omitempty"`
	IndexNonEncoding         bool               `json:"IndexNonEncoding,omitempty"`
	LeaseID                  *int64             `json:"LeaseID,omitempty"`
	HostName                 string             `json:"HostName,omitempty"`
	EnableDisk               bool               `json:"EnableDisk,omitempty"`
	ServerLabels             map[string]string  `json:"ServerLabels,omitempty"`
}

// Key is what the name of a key under the session prefix says.
type Key struct {
	Name     string // the key without the prefix, e.g. "rootcoord-12"
	Role     string // e.g. "rootcoord"; empty for the id and version keys
	ServerID int64  // from "<role>-<id>"; 0 for the ACTIVE key "<role>"
	Active   bool   // the key is "<role>" itself: the ACTIVE (or exclusive) session
}

// ParseKey splits a key name (without the prefix) into role and server ID.
// ok is false for names that are not sessions ("id", "version") or not of the
// form role or role-<number>.
func ParseKey(name string) (k Key, ok bool) {
	k.Name = name
	if name == "" || strings.Contains(name, "/") || name == IDKey || name == VersionKey {
		return k, false
	}
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		id, err := strconv.ParseInt(name[i+1:], 10, 64)
		if err == nil && id >= 0 {
			k.Role, k.ServerID = name[:i], id
			return k, true
		}
	}
	if strings.ContainsAny(name, "-") {
		return k, false
	}
	k.Role, k.Active = name, true
	return k, true
}

// Session is one session key read from etcd.
type Session struct {
	Key
	FullKey string // the whole etcd key
	Lease   int64  // the etcd lease the key is bound to (0: none)
	Raw     Raw    // the decoded value; zero when Problem is set
	// Problem says why the value is unreadable ("" when it is fine): not
	// JSON, not an object, or a shape Milvus does not write.
	Problem string
	Value   []byte // the value as stored, for unreadable ones
	// Legacy: a separate-coordinator key (rootcoord, ...) holding a mixcoord
	// session, as an ACTIVE 2.6 mixcoord writes them.
	Legacy bool
}

// maxValue bounds the value Parse decodes: a Milvus session is a few hundred
// bytes, and a bigger value is not one.
const maxValue = 64 << 10

// Parse decodes the value of a session key. A value Milvus could not have
// written is kept with Problem set, never an error: reports show it as
// unreadable.
func Parse(k Key, fullKey string, value []byte, lease int64) Session {
	s := Session{Key: k, FullKey: fullKey, Lease: lease}
	problem := func(format string, args ...any) Session {
		s.Problem = fmt.Sprintf(format, args...)
		s.Value = value
		return s
	}
	if len(value) > maxValue {
		return problem("value of %d bytes is not a Milvus session (a few hundred bytes of JSON)", len(value))
	}
	trimmed := bytes.TrimSpace(value)
	if len(trimmed) == 0 {
		return problem("empty value, not a Milvus session")
	}
	if trimmed[0] != '{' {
		return problem("value is not a JSON object: %s", excerpt(value))
	}
	var raw Raw
	if err := json.Unmarshal(trimmed, &raw); err != nil {
		return problem("value is not a Milvus session (%v): %s", err, excerpt(value))
	}
	if raw.ServerName == "" {
		return problem("no ServerName: not a Milvus session: %s", excerpt(value))
	}
	if raw.ServerName != k.Role {
		if raw.ServerName != MixCoord || !k.Active || !isSeparate(k.Role) {
			return problem("ServerName %q under key %q: not written by Milvus", raw.ServerName, k.Name)
		}
		s.Legacy = true
	}
	switch {
	case raw.ServerID <= 0:
		return problem("no ServerID: not a Milvus session: %s", excerpt(value))
	case !k.Active && raw.ServerID != k.ServerID:
		return problem("ServerID %d under key %q: not written by Milvus", raw.ServerID, k.Name)
	case raw.Address == "":
		return problem("no Address: not a Milvus session: %s", excerpt(value))
	}
	s.Raw = raw
	return s
}

// excerpt is a short, printable form of a value for messages.
func excerpt(value []byte) string {
	const max = 60 // bytes of the value shown
	if len(value) <= max {
		return strconv.QuoteToASCII(string(value))
	}
	// Cut at a rune boundary of the value, then quote: an escape or a UTF-8
	// sequence is never cut in half.
	cut := max
	for cut > 0 && !utf8.RuneStart(value[cut]) {
		cut--
	}
	return strconv.QuoteToASCII(string(value[:cut])) + "..."
}

// SortSessions orders sessions by role (in Roles order), the ACTIVE key
// first, then by server ID.
func SortSessions(ss []Session) {
	rank := map[string]int{}
	for i, r := range Roles {
		rank[r] = i
	}
	sort.SliceStable(ss, func(i, j int) bool {
		a, b := ss[i], ss[j]
		if rank[a.Role] != rank[b.Role] {
			return rank[a.Role] < rank[b.Role]
		}
		if a.Active != b.Active {
			return a.Active
		}
		return a.ServerID < b.ServerID
	})
}

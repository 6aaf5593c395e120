package coordstatus

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/milvus-coord/milvus-coord/internal/session"
)

// Snapshot is every session key under a prefix at one etcd revision, with
// the leases they are bound to.
type Snapshot struct {
	Prefix   string
	Revision int64
	// Sessions are the coordinator sessions, readable or not, sorted.
	Sessions []session.Session
	// Versions are the Milvus versions in the sessions of every role
	// (querynodes and proxies too: they say which Milvus runs when no
	// coordinator does).
	Versions []string
	// VersionKey is the value of session/version (Milvus 2.6), "" if absent.
	VersionKey string
	// Keys counts every key under the prefix.
	Keys int
	// Leases holds what etcd says of every lease a coordinator key uses.
	Leases map[int64]Lease
}

// Lease is what etcd says of a lease, in seconds.
type Lease struct {
	Granted   int64 // the TTL it was granted with: Milvus' common.session.ttl
	Remaining int64 // -1 once expired or revoked
}

// maxKeys bounds a read: a Milvus cluster has one session per process, so
// tens to hundreds. A prefix with more keys is not a session prefix.
const maxKeys = 10000

// Read reads the sessions under prefix: one Range request, then one
// LeaseTimeToLive per distinct lease, each under c.Timeout.
func Read(ctx context.Context, cli *clientv3.Client, c Conn, prefix string) (*Snapshot, error) {
	resp, err := request(ctx, c, "a read of "+prefix, func(ctx context.Context) (*clientv3.GetResponse, error) {
		return cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithLimit(maxKeys+1))
	})
	if err != nil {
		return nil, err
	}
	if len(resp.Kvs) > maxKeys {
		return nil, fmt.Errorf("more than %d keys under %s: not a Milvus session prefix; check --root-path and --meta-sub-path", maxKeys, prefix)
	}
	s := &Snapshot{Prefix: prefix, Revision: resp.Header.Revision, Keys: len(resp.Kvs), Leases: map[int64]Lease{}}
	versions := map[string]bool{}
	for _, kv := range resp.Kvs {
		name := strings.TrimPrefix(string(kv.Key), prefix)
		if name == session.VersionKey {
			s.VersionKey = string(kv.Value)
			continue
		}
		k, ok := session.ParseKey(name)
		if !ok {
			continue
		}
		if !session.IsCoordinator(k.Role) {
			// Only its version matters here; a node's unreadable value is
			// not this tool's business.
			var v struct{ Version string }
			if json.Unmarshal(kv.Value, &v) == nil && v.Version != "" {
				versions[v.Version] = true
			}
			continue
		}
		ss := session.Parse(k, string(kv.Key), kv.Value, kv.Lease)
		if ss.Problem == "" && ss.Raw.Version != "" {
			versions[ss.Raw.Version] = true
		}
		s.Sessions = append(s.Sessions, ss)
	}
	session.SortSessions(s.Sessions)
	for v := range versions {
		s.Versions = append(s.Versions, v)
	}
	sort.Slice(s.Versions, func(i, j int) bool { return compareVersions(s.Versions[i], s.Versions[j]) < 0 })
	for _, ss := range s.Sessions {
		if ss.Lease == 0 {
			continue
		}
		if _, done := s.Leases[ss.Lease]; done {
			continue
		}
		l, err := leaseOf(ctx, cli, c, ss.Lease)
		if err != nil {
			return nil, err
		}
		s.Leases[ss.Lease] = l
	}
	return s, nil
}

func leaseOf(ctx context.Context, cli *clientv3.Client, c Conn, id int64) (Lease, error) {
	resp, err := request(ctx, c, fmt.Sprintf("the TTL of lease %x", id), func(ctx context.Context) (*clientv3.LeaseTimeToLiveResponse, error) {
		return cli.TimeToLive(ctx, clientv3.LeaseID(id))
	})
	if err != nil {
		return Lease{}, err
	}
	return Lease{Granted: resp.GrantedTTL, Remaining: resp.TTL}, nil
}

// rootPathHints lists the root paths that hold Milvus sessions, for the
// message when the prefix given has none: it scans key names only, in pages,
// and stops after maxScan keys.
func rootPathHints(ctx context.Context, cli *clientv3.Client, c Conn, metaSubPath string) ([]string, error) {
	const page, maxScan = 1000, 200000
	marker := "/" + metaSubPath + "/session/" + session.IDKey
	found := map[string]bool{}
	from := "\x00"
	for scanned := 0; scanned < maxScan; {
		resp, err := request(ctx, c, "a scan of the key names", func(ctx context.Context) (*clientv3.GetResponse, error) {
			return cli.Get(ctx, from, clientv3.WithFromKey(), clientv3.WithKeysOnly(), clientv3.WithLimit(page))
		})
		if err != nil {
			return nil, err
		}
		for _, kv := range resp.Kvs {
			if root, ok := strings.CutSuffix(string(kv.Key), marker); ok {
				found[root] = true
			}
		}
		scanned += len(resp.Kvs)
		if !resp.More || len(resp.Kvs) == 0 {
			break
		}
		from = string(resp.Kvs[len(resp.Kvs)-1].Key) + "\x00"
	}
	var roots []string
	for r := range found {
		roots = append(roots, r)
	}
	sort.Strings(roots)
	return roots, nil
}

// compareVersions orders Milvus versions ("2.4.15", "v2.6.0-beta") by their
// numbers; what does not parse sorts first.
func compareVersions(a, b string) int {
	pa, pb := versionNumbers(a), versionNumbers(b)
	for i := range 3 {
		if pa[i] != pb[i] {
			if pa[i] < pb[i] {
				return -1
			}
			return 1
		}
	}
	return strings.Compare(a, b)
}

// versionNumbers is major, minor, patch of a version; -1 where absent.
func versionNumbers(v string) [3]int {
	out := [3]int{-1, -1, -1}
	v = strings.TrimPrefix(v, "v")
	for i, part := range strings.SplitN(v, ".", 3) {
		n, digits := 0, 0
		for _, r := range part {
			if r < '0' || r > '9' || digits > 6 {
				break
			}
			n = n*10 + int(r-'0')
			digits++
		}
		if digits == 0 {
			break
		}
		out[i] = n
	}
	return out
}

// atLeast reports whether version v is major.minor or later.
func atLeast(v string, major, minor int) bool {
	n := versionNumbers(v)
	return n[0] > major || (n[0] == major && n[1] >= minor)
}

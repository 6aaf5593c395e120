// Package sessionfixture registers coordinator sessions in a test etcd the
// way Milvus does (internal/util/sessionutil/session_util.go, release 2.4 and
// the 2.6 line), for tests of coordctl: the server-ID counter transaction,
// the registration transaction under a lease of the session TTL kept alive,
// the active-standby transaction on the ACTIVE key with a watch-and-retry on
// DELETE, the lease revoked on a graceful stop and left to expire on a crash.
// Each instance has its own etcd client, as each Milvus process has.
package sessionfixture

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strconv"
	"sync"
	"time"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Layout is the JSON shape of a session value, by Milvus version.
type Layout int

const (
	// V24 is Milvus 2.4's SessionRaw: EnableDisk, no scalar index fields.
	V24 Layout = iota
	// V26 is the 2.6 line's SessionRaw: ScalarIndexEngineVersion and
	// IndexNonEncoding, no EnableDisk.
	V26
)

type indexEngineVersion struct {
	MinimalIndexVersion int32 `json:"MinimalIndexVersion,omitempty"`
	CurrentIndexVersion int32 `json:"CurrentIndexVersion,omitempty"`
}

// raw24 and raw26 have Milvus' field order and tags, so the JSON is byte for
// byte what Milvus writes.
type raw24 struct {
	ServerID           int64  `json:"ServerID,omitempty"`
	ServerName         string `json:"ServerName,omitempty"`
	Address            string `json:"Address,omitempty"`
	Exclusive          bool   `json:"Exclusive,omitempty"`
	Stopping           bool   `json:"Stopping,omitempty"`
	TriggerKill        bool
	Version            string             `json:"Version"`
	IndexEngineVersion indexEngineVersion `json:"IndexEngineVersion,omitempty"`
	LeaseID            *clientv3.LeaseID  `json:"LeaseID,omitempty"`
	HostName           string             `json:"HostName,omitempty"`
	EnableDisk         bool               `json:"EnableDisk,omitempty"`
}

type raw26 struct {
	ServerID                 int64  `json:"ServerID,omitempty"`
	ServerName               string `json:"ServerName,omitempty"`
	Address                  string `json:"Address,omitempty"`
	Exclusive                bool   `json:"Exclusive,omitempty"`
	Stopping                 bool   `json:"Stopping,omitempty"`
	TriggerKill              bool
	Version                  string             `json:"Version"`
	IndexEngineVersion       indexEngineVersion `json:"IndexEngineVersion,omitempty"`
	ScalarIndexEngineVersion indexEngineVersion `json:"ScalarIndexEngineVersion,omitempty"`
	IndexNonEncoding         bool               `json:"IndexNonEncoding,omitempty"`
	LeaseID                  *clientv3.LeaseID  `json:"LeaseID,omitempty"`
	HostName                 string             `json:"HostName,omitempty"`
	ServerLabels             map[string]string  `json:"ServerLabels,omitempty"`
}

// Options describe one coordinator process.
type Options struct {
	MetaRoot      string // <etcd.rootPath>/<etcd.metaSubPath>, e.g. "by-dev/meta"
	Role          string // rootcoord, querycoord, datacoord, indexcoord, mixcoord
	Version       string // e.g. "2.4.15"
	Layout        Layout
	Address       string // ip:port
	HostName      string // the pod name
	TTL           int64  // common.session.ttl, seconds
	ActiveStandby bool
	// LegacyKeys: an ACTIVE 2.6 mixcoord also holds rootcoord, querycoord
	// and datacoord under its lease (milvus-ha-facts.md).
	LegacyKeys bool
}

// Instance is one registered process.
type Instance struct {
	ServerID int64
	Lease    clientv3.LeaseID

	o           Options
	cli         *clientv3.Client
	value       string
	keepCancel  context.CancelFunc
	standbyStop context.CancelFunc
	active      chan struct{}
	done        chan struct{}
	activeOnce  sync.Once
}

func (i *Instance) key(name string) string {
	return path.Join(i.o.MetaRoot, "session", name)
}

// Start registers a process: it takes a server ID, registers its session
// (<role>-<id> with active-standby, <role> without), and with active-standby
// tries for the ACTIVE key, waiting as a standby in the background if it is
// taken. cfg connects to etcd.
func Start(ctx context.Context, cfg clientv3.Config, o Options) (*Instance, error) {
	cli, err := clientv3.New(cfg)
	if err != nil {
		return nil, err
	}
	i := &Instance{o: o, cli: cli, active: make(chan struct{}), done: make(chan struct{})}
	if i.ServerID, err = i.serverID(ctx); err != nil {
		cli.Close()
		return nil, err
	}
	lease, err := cli.Grant(ctx, o.TTL)
	if err != nil {
		cli.Close()
		return nil, err
	}
	i.Lease = lease.ID
	if i.value, err = i.marshal(false); err != nil {
		cli.Close()
		return nil, err
	}
	own := o.Role
	if o.ActiveStandby {
		own = fmt.Sprintf("%s-%d", o.Role, i.ServerID)
	}
	resp, err := cli.Txn(ctx).If(clientv3.Compare(clientv3.Version(i.key(own)), "=", 0)).
		Then(clientv3.OpPut(i.key(own), i.value, clientv3.WithLease(i.Lease))).Commit()
	if err != nil {
		cli.Close()
		return nil, err
	}
	if !resp.Succeeded {
		cli.Close()
		// Milvus: "function CompareAndSwap error for compare is false for key: <role>"
		return nil, fmt.Errorf("function CompareAndSwap error for compare is false for key: %s", o.Role)
	}
	keepCtx, keepCancel := context.WithCancel(context.Background())
	i.keepCancel = keepCancel
	ka, err := cli.KeepAlive(keepCtx, i.Lease)
	if err != nil {
		keepCancel()
		cli.Close()
		return nil, err
	}
	go func() {
		for range ka { // drain, as Milvus' processKeepAliveResponse does
		}
	}()
	if !o.ActiveStandby {
		close(i.done)
		i.markActive()
		return i, nil
	}
	standbyCtx, stop := context.WithCancel(context.Background())
	i.standbyStop = stop
	go i.processActiveStandby(standbyCtx)
	return i, nil
}

// serverID is Milvus' getServerID: create the counter at 1 if absent, then
// compare-and-swap it one up, retrying on a lost race.
func (i *Instance) serverID(ctx context.Context) (int64, error) {
	idKey := i.key("id")
	if _, err := i.cli.Txn(ctx).If(clientv3.Compare(clientv3.Version(idKey), "=", 0)).
		Then(clientv3.OpPut(idKey, "1")).Commit(); err != nil {
		return 0, err
	}
	for {
		get, err := i.cli.Get(ctx, idKey)
		if err != nil {
			return 0, err
		}
		if len(get.Kvs) == 0 {
			return 0, errors.New("server-ID counter vanished")
		}
		v := string(get.Kvs[0].Value)
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, err
		}
		resp, err := i.cli.Txn(ctx).If(clientv3.Compare(clientv3.Value(idKey), "=", v)).
			Then(clientv3.OpPut(idKey, strconv.FormatInt(n+1, 10))).Commit()
		if err != nil {
			return 0, err
		}
		if resp.Succeeded {
			return n, nil
		}
	}
}

func (i *Instance) marshal(stopping bool) (string, error) {
	var v any
	lease := i.Lease
	switch i.o.Layout {
	case V26:
		v = raw26{ServerID: i.ServerID, ServerName: i.o.Role, Address: i.o.Address, Exclusive: true, Stopping: stopping,
			TriggerKill: true, Version: i.o.Version, LeaseID: &lease, HostName: i.o.HostName}
	default:
		v = raw24{ServerID: i.ServerID, ServerName: i.o.Role, Address: i.o.Address, Exclusive: true, Stopping: stopping,
			TriggerKill: true, Version: i.o.Version, LeaseID: &lease, HostName: i.o.HostName}
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// processActiveStandby is Milvus' ProcessActiveStandBy: the transaction on
// the ACTIVE key; on failure, watch it from the transaction's revision and
// try again when it is deleted.
func (i *Instance) processActiveStandby(ctx context.Context) {
	defer close(i.done)
	activeKey := i.key(i.o.Role)
	for ctx.Err() == nil {
		ops := []clientv3.Op{clientv3.OpPut(activeKey, i.value, clientv3.WithLease(i.Lease))}
		if i.o.LegacyKeys {
			for _, legacy := range []string{"rootcoord", "querycoord", "datacoord"} {
				ops = append(ops, clientv3.OpPut(i.key(legacy), i.value, clientv3.WithLease(i.Lease)))
			}
		}
		resp, err := i.cli.Txn(ctx).If(clientv3.Compare(clientv3.Version(activeKey), "=", 0)).Then(ops...).Commit()
		if err != nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(100 * time.Millisecond):
				continue
			}
		}
		if resp.Succeeded {
			i.markActive()
			return
		}
		wctx, cancel := context.WithCancel(ctx)
		for wresp := range i.cli.Watch(wctx, activeKey, clientv3.WithPrevKV(), clientv3.WithRev(resp.Header.Revision)) {
			deleted := false
			for _, ev := range wresp.Events {
				deleted = deleted || ev.Type == mvccpb.DELETE
			}
			if deleted || wresp.Err() != nil {
				break
			}
		}
		cancel()
	}
}

func (i *Instance) markActive() { i.activeOnce.Do(func() { close(i.active) }) }

// Became is closed when the instance holds the ACTIVE key.
func (i *Instance) Became() <-chan struct{} { return i.active }

// GoingStop sets Stopping in the session value, as Milvus' GoingStop does
// at the start of a graceful stop.
func (i *Instance) GoingStop(ctx context.Context) error {
	v, err := i.marshal(true)
	if err != nil {
		return err
	}
	own := i.o.Role
	if i.o.ActiveStandby {
		own = fmt.Sprintf("%s-%d", i.o.Role, i.ServerID)
	}
	_, err = i.cli.Put(ctx, i.key(own), v, clientv3.WithLease(i.Lease))
	return err
}

// Stop is a graceful stop: Milvus' Session.Stop revokes the lease, and
// every key of the process goes at once.
func (i *Instance) Stop(ctx context.Context) error {
	i.quitStandby()
	_, err := i.cli.Revoke(ctx, i.Lease)
	i.keepCancel()
	i.cli.Close()
	return err
}

// Crash is a SIGKILL: keepalives stop, the keys stay until the lease
// expires after its TTL.
func (i *Instance) Crash() {
	i.quitStandby()
	i.keepCancel()
	i.cli.Close()
}

func (i *Instance) quitStandby() {
	if i.standbyStop != nil {
		i.standbyStop()
	}
	<-i.done
}

// PutVersion writes session/version as a 2.6 mixcoord does (no lease).
func PutVersion(ctx context.Context, cli *clientv3.Client, metaRoot, version string) error {
	_, err := cli.Put(ctx, path.Join(metaRoot, "session", "version"), version)
	return err
}

package rules

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/coord"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// gracefulStopTimeout: from Milvus 2.4 a coordinator stops within its own
// `<section>.gracefulStopTimeout` (2.6 mixcoord: rootCoord's; coordinators
// ignore common.gracefulStopTimeout) and then calls os.Exit(1) without
// revoking its session (cmd/components/util.go exitWhenStopTimeout). The gRPC
// server's graceful stop, up to grpc.gracefulStopTimeout, runs inside it before
// the session is revoked (internal/distributed/*/service.go Stop), so a
// timeout at or below the gRPC one overruns whenever RPCs are still open; and
// a pod the kubelet kills (terminationGracePeriodSeconds) before the stop ends
// never revokes either. Either way the standby waits a full session TTL.
var gracefulStopTimeout = Rule{
	ID:       "graceful-stop-timeout",
	Severity: finding.Warning,
	Protects: "A coordinator stop that cannot revoke its session: a <role>.gracefulStopTimeout at or below grpc.gracefulStopTimeout (Milvus exits when it runs out), or a terminationGracePeriodSeconds below the stop timeouts (the kubelet kills the pod first). The standby then waits a full session TTL instead of taking over at once.",
	Fix:      "Set milvus.gracefulStopTimeout above grpc.gracefulStopTimeout (10 s up to Milvus 2.5.4, 3 s later) and leave the per-role keys and terminationGracePeriodSeconds to the chart.",
	check: func(m *coord.Model) []Violation {
		var out []Violation
		seen := map[string]bool{}
		add := func(v Violation) {
			if key := v.Subject + "@" + v.At.Name(); !seen[key] {
				seen[key] = true
				out = append(out, v)
			}
		}
		for _, w := range m.Workloads {
			if m.Version.Known && !m.Version.Value.HasCoordStopTimeout() {
				continue // before 2.4 a coordinator's stop has no bound of its own
			}
			if v, ok := stopBelowGRPC(m, w); ok {
				for _, x := range v {
					add(x)
				}
			}
			if v, ok := graceTooShort(m, w); ok {
				add(v)
			}
		}
		return out
	},
}

// stopBelowGRPC reports every stop section of w whose timeout does not exceed
// the gRPC graceful stop. Where neither the version nor a setting tells the
// gRPC timeout, nothing is judged.
func stopBelowGRPC(m *coord.Model, w *coord.Workload) ([]Violation, bool) {
	grpc, verified := w.GRPCStopTimeout(m.Version)
	if grpc.Unknown || !grpc.Set && !m.Version.Known {
		return nil, false
	}
	// Only settings are judged: Milvus' own defaults (5 s against 10 s up to
	// 2.5.4) are what every stock deployment runs, and no line to change.
	grpcWhere := grpc.Setting.Where
	if !grpc.Set {
		grpcWhere = fmt.Sprintf("Milvus %s's default", m.Version.Value)
		if !verified {
			grpcWhere = fmt.Sprintf("not verified for Milvus %s: taken at the longest any release ships", m.Version.Value)
		}
	}
	least := int(math.Floor(grpc.Value)) + 1
	var out []Violation
	for _, section := range w.StopSections() {
		key := coord.GracefulStopKey(section)
		t := w.StopTimeout(section)
		if t.Unknown || t.Value > grpc.Value || !t.Set && !grpc.Set {
			continue
		}
		v := Violation{Subject: coord.NormalizeKey(key)}
		is := seconds(t.Value) + " s"
		switch {
		case t.Invalid:
			is = quote(t.Setting.Value) + ", which Milvus reads as 0 s,"
			fallthrough
		case t.Set:
			v.At = t.Setting.At
			is += " (" + t.Setting.Where + ")"
			v.Fix = fmt.Sprintf("set %s to at least %d", t.Setting.Where, least)
			if t.Setting.Derived {
				v.Fix = fmt.Sprintf("set %s to at least %d", t.Setting.At.Path, least)
			}
		default:
			v.At = w.Self()
			is += " (Milvus' default)"
			v.Fix = fmt.Sprintf("set %s to at least %d in the config of %s", key, least, w.Name)
		}
		v.Message = fmt.Sprintf("%s of %s is %s, not above the gRPC graceful stop that runs inside it (%s: %s s, %s): a stop that waits for open RPCs runs out of time, and Milvus exits without revoking the session, so the standby waits a full session TTL before it takes over",
			key, w.Name, is, coord.GRPCStopTimeoutKey, seconds(grpc.Value), grpcWhere)
		out = append(out, v)
	}
	return out, len(out) > 0
}

// graceTooShort reports a pod that the kubelet kills before Milvus' own
// stop timeouts run out.
func graceTooShort(m *coord.Model, w *coord.Workload) (Violation, bool) {
	need := w.StopNeeds()
	if !w.Grace.Known || float64(w.Grace.Value) >= need {
		return Violation{}, false
	}
	sections := w.StopSections()
	var keys []string
	var user []coord.Setting // the per-role settings that outgrew the chart's
	for _, s := range sections {
		keys = append(keys, coord.GracefulStopKey(s))
		if t := w.StopTimeout(s); t.Set && !t.Setting.Derived && !t.Unknown {
			user = append(user, t.Setting)
		}
	}
	what := keys[0]
	if len(keys) > 1 {
		what = "the sum of " + strings.Join(keys, ", ") + ", which it stops one after another"
	}
	v := Violation{Subject: w.RoleNames() + "/grace",
		Message: fmt.Sprintf("%s gives its pods %d s to stop (terminationGracePeriodSeconds), but Milvus may take %s s (%s): the kubelet kills a coordinator that is still stopping, before it revokes its session, and the standby waits a full session TTL",
			w.Name, w.Grace.Value, seconds(need), what)}
	if w.Block != "" && len(user) > 0 && w.Grace.At.Object == "" {
		// This chart sizes the grace from milvus.gracefulStopTimeout: a
		// per-role key set elsewhere outgrew it.
		most := 0.0
		var removes []string
		for _, s := range user {
			f, _ := strconv.ParseFloat(strings.TrimSpace(s.Value), 64)
			most = math.Max(most, math.Ceil(f))
			if w.Config.InEnv(s) {
				removes = append(removes, fmt.Sprintf("remove %s from %s.extraEnv", s.Key, w.Block))
			} else {
				removes = append(removes, "remove "+s.Where)
			}
		}
		v.At = user[0].At
		v.Fix = fmt.Sprintf("%s and set %s: %d", strings.Join(removes, ", "), w.Grace.At.Path, int(most))
		return v, true
	}
	v.At = w.Grace.At
	v.Fix = fmt.Sprintf("set terminationGracePeriodSeconds of %s to at least %d", w.Name, int(math.Ceil(need))+coord.StopMargin)
	return v, true
}

// seconds prints a number of seconds without a needless fraction.
func seconds(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

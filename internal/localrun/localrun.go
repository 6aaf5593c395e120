// Package localrun turns the rendered coordinators into local processes, the
// shell path of Milvus' "Coordinator HA" page outside Kubernetes: for every
// replica of every coordinator a config directory, and one script that starts
// them all with MILVUSCONF=<dir> milvus run <role> and stops them with
// SIGTERM (`valuescheck render --format local`).
//
// What a config directory needs, read from the Milvus source:
//   - pkg/util/paramtable/base_table.go: the directory is $MILVUSCONF (else
//     <cwd>/configs); the files milvus.yaml, (2.5+: _test.yaml,) default.yaml
//     and user.yaml are read in that order, and a missing one is skipped
//     (os.IsNotExist): every key has its default in code (ParamItem
//     DefaultValue), so user.yaml alone is enough.
//   - internal/http/server.go: the metrics/health HTTP port is the METRICS_PORT
//     environment variable (default 9091), not a config key
//     (common.MetricsPort is only saved from it).
//   - the gRPC port of each coordinator is <section>.port (rootCoord.port,
//     queryCoord.port, dataCoord.port); a 2.6 mixcoord listens on
//     rootCoord.port only.
//
// Processes on one host share its ports, so every replica gets its own gRPC
// ports (the chart's port plus the replica's index) and metrics port (9091
// plus its index among all replicas), and a clash is an error.
package localrun

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/render"
)

// MetricsBase is the first replica's METRICS_PORT, Milvus' default.
const MetricsBase = 9091

// sections maps a gRPC container port name (the Milvus role) to its config
// section.
var sections = map[string]string{
	"rootcoord":  "rootCoord",
	"querycoord": "queryCoord",
	"datacoord":  "dataCoord",
}

// File is one file to write, relative to the output directory.
type File struct {
	Path string
	Mode os.FileMode
	Data []byte
}

// Replica is one local process.
type Replica struct {
	Name        string   // e.g. rootcoord-2: also its config directory
	Role        string   // the Deployment's component
	Args        []string // the container's args, e.g. milvus run rootcoord
	Env         []envVar
	MetricsPort int
	GRPCPorts   map[string]int // section -> port
	Grace       int64          // terminationGracePeriodSeconds, for stop
}

type envVar struct {
	Name  string
	Value string // a shell word
	// Secret: the value comes from a Secret in Kubernetes, so from the
	// caller's environment here; this says where it is, for the check that
	// every such variable is set before any replica starts.
	Secret string
}

// Build makes the config directories and the script for the coordinator
// Deployments in objs.
func Build(objs []render.Object) ([]File, error) {
	deployments, configMaps := render.Coordinators(objs)
	if len(deployments) == 0 {
		return nil, fmt.Errorf("no coordinator Deployment was rendered")
	}
	sort.SliceStable(deployments, func(i, j int) bool {
		return roleOrder[deployments[i].Spec.Template.Labels[render.ComponentLabel]] < roleOrder[deployments[j].Spec.Template.Labels[render.ComponentLabel]]
	})

	var files []File
	var replicas []Replica
	used := map[int]string{} // port -> replica and what
	claim := func(port int, who string) error {
		if prev, ok := used[port]; ok {
			return fmt.Errorf("port %d is both %s and %s: local processes share one host; change the coordinators' service.port values so they are more than their replicas apart", port, prev, who)
		}
		used[port] = who
		return nil
	}
	next := 0
	for _, d := range deployments {
		role := d.Spec.Template.Labels[render.ComponentLabel]
		if len(d.Spec.Template.Spec.Containers) == 0 {
			return nil, fmt.Errorf("Deployment %s has no container", d.Name)
		}
		if err := render.NotCarried(d, "the local output", false); err != nil {
			return nil, err
		}
		c := d.Spec.Template.Spec.Containers[0]
		cmName := configMapOf(d)
		cm, ok := configMaps[cmName]
		if !ok {
			return nil, fmt.Errorf("Deployment %s mounts ConfigMap %q, which was not rendered", d.Name, cmName)
		}
		var userConfig map[string]any
		if err := yaml.Unmarshal([]byte(cm.Data["user.yaml"]), &userConfig); err != nil {
			return nil, fmt.Errorf("ConfigMap %s user.yaml: %w", cmName, err)
		}
		if userConfig == nil {
			userConfig = map[string]any{}
		}
		n := int32(1)
		if d.Spec.Replicas != nil {
			n = *d.Spec.Replicas
		}
		grace := int64(30)
		if g := d.Spec.Template.Spec.TerminationGracePeriodSeconds; g != nil {
			grace = *g
		}
		for i := range n {
			r := Replica{Name: fmt.Sprintf("%s-%d", role, i+1), Role: role, Args: c.Args, MetricsPort: MetricsBase + next, GRPCPorts: map[string]int{}, Grace: grace}
			next++
			if err := claim(r.MetricsPort, r.Name+"'s METRICS_PORT"); err != nil {
				return nil, err
			}
			for _, p := range c.Ports {
				section, ok := sections[p.Name]
				if !ok {
					continue
				}
				port := int(p.ContainerPort) + int(i)
				if err := claim(port, fmt.Sprintf("%s's %s.port", r.Name, section)); err != nil {
					return nil, err
				}
				r.GRPCPorts[section] = port
			}
			env, err := environment(c.Env, r.MetricsPort)
			if err != nil {
				return nil, fmt.Errorf("Deployment %s: %w", d.Name, err)
			}
			r.Env = env
			data, err := withPorts(userConfig, r.GRPCPorts)
			if err != nil {
				return nil, err
			}
			files = append(files, File{Path: filepath.Join(r.Name, "user.yaml"), Mode: 0o644, Data: data})
			replicas = append(replicas, r)
		}
	}
	files = append(files, File{Path: "run.sh", Mode: 0o755, Data: script(replicas)})
	return files, nil
}

// roleOrder is the order of the coordinators in the script.
var roleOrder = map[string]int{"mixcoord": 0, "rootcoord": 1, "querycoord": 2, "datacoord": 3}

func configMapOf(d *appsv1.Deployment) string {
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.ConfigMap != nil {
			return v.ConfigMap.Name
		}
	}
	return ""
}

// withPorts is the user.yaml with <section>.port set for each gRPC port.
func withPorts(userConfig map[string]any, ports map[string]int) ([]byte, error) {
	// A deep copy through JSON: every replica gets its own.
	raw, err := yaml.Marshal(userConfig)
	if err != nil {
		return nil, err
	}
	var cfg map[string]any
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		return nil, err
	}
	if cfg == nil {
		cfg = map[string]any{}
	}
	for section, port := range ports {
		block, _ := cfg[section].(map[string]any)
		if block == nil {
			block = map[string]any{}
		}
		block["port"] = port
		cfg[section] = block
	}
	return yaml.Marshal(cfg)
}

// environment is the container's environment for one replica: its own
// METRICS_PORT, values as they are, values from Secrets as required shell
// variables (never written out); fieldRef and the like have no local meaning.
func environment(env []corev1.EnvVar, metricsPort int) ([]envVar, error) {
	out := []envVar{{Name: "METRICS_PORT", Value: fmt.Sprint(metricsPort)}}
	for _, e := range env {
		if e.Name == "METRICS_PORT" {
			continue
		}
		if !shellName(e.Name) {
			return nil, fmt.Errorf("environment variable %q is not a shell name", e.Name)
		}
		switch {
		case e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil:
			ref := e.ValueFrom.SecretKeyRef
			out = append(out, envVar{Name: e.Name, Value: `"$` + e.Name + `"`, Secret: fmt.Sprintf("key %s of Secret %s in Kubernetes", ref.Key, ref.Name)})
		case e.ValueFrom != nil:
			continue
		default:
			out = append(out, envVar{Name: e.Name, Value: shellQuote(e.Value)})
		}
	}
	return out, nil
}

func shellName(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// shellQuote quotes s for bash in single quotes; a quote inside closes the
// quoting, is escaped with a backslash, and reopens it.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// script is run.sh: start, stop (SIGTERM), kill NAME (SIGKILL: the crash of
// the page's experiment) and status, with each replica's pid and log in its
// directory.
func script(replicas []Replica) []byte {
	var b bytes.Buffer
	b.WriteString(`#!/usr/bin/env bash
# Generated by valuescheck render --format local: every coordinator replica as
# a local process, each with its own config directory (MILVUSCONF), gRPC ports
# and METRICS_PORT.
#
#   ./run.sh start        start every replica (MILVUS=/path/to/milvus to choose the binary)
#   ./run.sh status       which replicas run
#   ./run.sh kill NAME    SIGKILL one replica: a crash, its lease expires after the TTL
#   ./run.sh stop [NAME]  SIGTERM (a graceful stop: Milvus revokes its session lease)
#
# Milvus reaches etcd, object storage and the message queue as user.yaml says.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
milvus=${MILVUS:-milvus}

replicas=(`)
	for i, r := range replicas {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(r.Name)
	}
	b.WriteString(`)

# alive PID: the process exists and is not a zombie (an exited process whose
# parent, once this script has exited, reaps it late).
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  command -v ps >/dev/null || return 0
  local st; st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $st != Z* ]]
}

running() { [[ -f "$here/$1/pid" ]] && alive "$(cat "$here/$1/pid")"; }

start_one() {
  local name=$1; shift
  if running "$name"; then echo "$name already runs (pid $(cat "$here/$name/pid"))"; return; fi
  env MILVUSCONF="$here/$name" "$@" >"$here/$name/milvus.log" 2>&1 &
  echo $! >"$here/$name/pid"
  echo "started $name (pid $!, log $here/$name/milvus.log)"
}

stop_one() {
  local name=$1 grace=$2 sig=${3:-TERM}
  if ! running "$name"; then echo "$name is not running"; rm -f "$here/$name/pid"; return; fi
  local pid; pid=$(cat "$here/$name/pid")
  kill -"$sig" "$pid"
  for ((i = 0; i < grace * 10; i++)); do
    alive "$pid" || { echo "$name stopped (SIG$sig)"; rm -f "$here/$name/pid"; return; }
    sleep 0.1
  done
  echo "$name still runs ${grace}s after SIG$sig (pid $pid)" >&2
  return 1
}

start() {
`)
	// Every variable from a Secret is checked before the first replica starts.
	checked := map[string]bool{}
	for _, r := range replicas {
		for _, e := range r.Env {
			if e.Secret != "" && !checked[e.Name] {
				checked[e.Name] = true
				fmt.Fprintf(&b, "  : \"${%s:?set %s (%s)}\"\n", e.Name, e.Name, e.Secret)
			}
		}
	}
	for _, r := range replicas {
		fmt.Fprintf(&b, "  start_one %s", r.Name)
		for _, e := range r.Env {
			fmt.Fprintf(&b, " \\\n    %s=%s", e.Name, e.Value)
		}
		b.WriteString(" \\\n    ")
		for i, a := range r.Args {
			if i > 0 {
				b.WriteString(" ")
			}
			if i == 0 && a == "milvus" {
				b.WriteString(`"$milvus"`)
				continue
			}
			b.WriteString(shellQuote(a))
		}
		b.WriteString("\n")
	}
	b.WriteString(`}

grace() {
  case $1 in
`)
	for _, r := range replicas {
		fmt.Fprintf(&b, "    %s) echo %d ;;\n", r.Name, r.Grace)
	}
	b.WriteString(`    *) echo "unknown replica $1 (one of: ${replicas[*]})" >&2; exit 2 ;;
  esac
}

case ${1:-} in
  start) start ;;
  stop)
    if [[ -n ${2:-} ]]; then grace "$2" >/dev/null; stop_one "$2" "$(grace "$2")"; exit; fi
    status=0
    for name in "${replicas[@]}"; do stop_one "$name" "$(grace "$name")" || status=1; done
    exit $status ;;
  kill) [[ -n ${2:-} ]] || { echo "usage: $0 kill NAME" >&2; exit 2; }; grace "$2" >/dev/null; stop_one "$2" 5 KILL ;;
  status) for name in "${replicas[@]}"; do if running "$name"; then echo "$name runs (pid $(cat "$here/$name/pid"))"; else echo "$name stopped"; fi; done ;;
  *) echo "usage: $0 start | status | kill NAME | stop [NAME]" >&2; exit 2 ;;
esac
`)
	return b.Bytes()
}

// Write writes files under dir and returns the paths written.
func Write(dir string, files []File) ([]string, error) {
	var written []string
	for _, f := range files {
		p := filepath.Join(dir, f.Path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return written, err
		}
		if err := os.WriteFile(p, f.Data, f.Mode); err != nil {
			return written, err
		}
		if err := os.Chmod(p, f.Mode); err != nil {
			return written, err
		}
		written = append(written, p)
	}
	return written, nil
}

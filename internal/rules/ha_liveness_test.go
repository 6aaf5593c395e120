package rules

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func withLiveness(d *appsv1.Deployment, h corev1.ProbeHandler) *appsv1.Deployment {
	d.Spec.Template.Spec.Containers[0].LivenessProbe = &corev1.Probe{ProbeHandler: h, PeriodSeconds: 30, FailureThreshold: 5}
	return d
}

func httpGet(path string, port intstr.IntOrString) corev1.ProbeHandler {
	return corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: path, Port: port}}
}

func TestHALivenessKillsStandby(t *testing.T) {
	const standby = "rootCoord:\n  enableActiveStandby: true\n"
	metrics := intstr.FromString("metrics")
	probeAt := coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.containers[coord].livenessProbe"}
	rootcoord := func(replicas int32, userYAML string, h *corev1.ProbeHandler) func() []coord.Object {
		return func() []coord.Object {
			d := deployment("coord-rootcoord", replicas, "milvusdb/milvus:v2.4.17", "rootcoord")
			if h != nil {
				withLiveness(d, *h)
			}
			return objects(configMap("coord-rootcoord", userYAML), d)
		}
	}
	handler := func(h corev1.ProbeHandler) *corev1.ProbeHandler { return &h }
	runCases(t, haLivenessKillsStandby, []ruleCase{
		{name: "values: this chart renders a tcpSocket liveness probe, the model does not guess it"},
		{
			name:    "upstream 4.x: httpGet /healthz on metrics, two active-standby replicas",
			objects: rootcoord(2, standby, handler(httpGet("/healthz", metrics))),
			want: []want{{
				Subject: "rootcoord", At: probeAt,
				Msg: "Deployment coord-rootcoord runs 2 active-standby replicas with liveness probe httpGet /healthz on port metrics: /healthz fails while a promoted standby reloads its metadata",
				Fix: "in spec.template.spec.containers[coord].livenessProbe of Deployment coord-rootcoord, replace httpGet with tcpSocket: {port: metrics}",
			}},
		},
		{
			name:    "by port number, path with a query and a trailing slash",
			objects: rootcoord(3, standby, handler(httpGet("/healthz/?verbose=1", intstr.FromInt32(9091)))),
			want: []want{{
				Subject: "rootcoord", At: probeAt, Msg: "runs 3 active-standby replicas with liveness probe httpGet /healthz/?verbose=1 on port 9091",
				Fix: "in spec.template.spec.containers[coord].livenessProbe of Deployment coord-rootcoord, replace httpGet with tcpSocket: {port: 9091}",
			}},
		},
		{name: "upstream 5.x: tcpSocket on metrics", objects: rootcoord(2, standby, handler(corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: metrics}}))},
		{name: "/livez is the light endpoint (2.6.7)", objects: rootcoord(2, standby, handler(httpGet("/livez", metrics)))},
		{name: "no liveness probe", objects: rootcoord(2, standby, nil)},
		{name: "one replica: no standby to promote", objects: rootcoord(1, standby, handler(httpGet("/healthz", metrics)))},
		{
			// Two replicas without active-standby crash-loop anyway: that is
			// ha-replicas-need-standby's finding, not this one.
			name: "no active-standby: another rule's finding", objects: rootcoord(2, "", handler(httpGet("/healthz", metrics))),
		},
		{
			name: "2.6.8 mixcoord is active-standby whatever the config says",
			objects: func() []coord.Object {
				return objects(withLiveness(deployment("coord-mixcoord", 2, "milvusdb/milvus:v2.6.8", "mixcoord"), httpGet("healthz", metrics)))
			},
			want: []want{{
				Subject: "rootcoord, querycoord, datacoord",
				At:      coord.Source{Object: "Deployment coord-mixcoord", Path: "spec.template.spec.containers[coord].livenessProbe"},
				Msg:     "Deployment coord-mixcoord runs 2 active-standby replicas with liveness probe httpGet healthz on port metrics",
			}},
		},
	})
}

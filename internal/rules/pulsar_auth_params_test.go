package rules

import (
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestPulsarAuthParamsForm(t *testing.T) {
	const split = "Milvus splits pulsar.authParams on ',' and then ':'"
	const generic = "key:value pairs separated by ',' (for a token: token:<the token>, or file:<path of the token file>)"
	runCases(t, pulsarAuthParamsForm, []ruleCase{
		{name: "chart defaults: no auth"},
		{name: "a token pair", overlay: "externalPulsar: {authPlugin: org.apache.pulsar.client.impl.auth.AuthenticationToken, authParams: \"token:eyJhbGciOi.x.y\"}"},
		{name: "two pairs", overlay: `externalPulsar: {authParams: "tenant:a,role:b"}`},
		{name: "a token file path", overlay: `externalPulsar: {authParams: "file:/etc/pulsar/token"}`},
		{name: "from an existing Secret: not judged", overlay: `externalPulsar: {authParams: "{\"token\":\"x\"}", existingSecret: pulsar}`},
		{name: "Kafka: not read", overlay: "externalPulsar: {enabled: false, authParams: \"{}\"}\nexternalKafka: {enabled: true, brokerList: \"k:9092\"}"},
		{
			name:    "JSON: the pairs of its keys, the values named, not printed",
			overlay: `externalPulsar: {authParams: "{\"token\": \"s3cret\", \"tenant\": \"t\"}"}`,
			want: []want{{Subject: "pulsarauthparams@externalPulsar.authParams", At: path("externalPulsar.authParams"),
				Msg: "externalPulsar.authParams is written as JSON: " + split,
				Fix: `write externalPulsar.authParams as the pairs tenant:<the value of "tenant">,token:<the value of "token">`}},
		},
		{
			name:    "JSON with a URL value cannot be passed at all",
			overlay: `externalPulsar: {authParams: "{\"issuerUrl\": \"https://auth\"}"}`,
			want: []want{{Subject: "pulsarauthparams@externalPulsar.authParams", At: path("externalPulsar.authParams"),
				Msg: `is written as JSON, and its "issuerUrl" holds a ',' or ':'`, Fix: "write externalPulsar.authParams as " + generic}},
		},
		{
			name:    "a pair whose value is a URL is dropped",
			overlay: `externalPulsar: {authParams: "token:file:///etc/token"}`,
			want: []want{{Subject: "pulsarauthparams@externalPulsar.authParams", At: path("externalPulsar.authParams"),
				Msg: `has a value for "token" that holds a ':' (a URL?), which Milvus drops`}},
		},
		{
			name:    "a bare token is dropped, and not printed",
			overlay: `externalPulsar: {authParams: "eyJhbGciOi"}`,
			want: []want{{Subject: "pulsarauthparams@externalPulsar.authParams", At: path("externalPulsar.authParams"),
				Msg: "has a part (number 1) without ':', which Milvus drops"}},
		},
		{
			name:    "an extraEnv value: the fix names the value",
			overlay: `rootCoordinator: {extraEnv: [{name: PULSAR_AUTH_PARAMS, value: "{\"token\":\"x\"}"}]}`,
			want: []want{{Subject: "pulsarauthparams@rootCoordinator.extraEnv[0].name", At: path("rootCoordinator.extraEnv[0].name"),
				Msg: "rootCoordinator.extraEnv[0].name PULSAR_AUTH_PARAMS is written as JSON",
				Fix: `write rootCoordinator.extraEnv[0].value as the pairs token:<the value of "token">`}},
		},
		{
			name: "a manifest's env value",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "mq:\n  type: pulsar\n"),
					withEnv(deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"), corev1.EnvVar{Name: "PULSAR_AUTH_PARAMS", Value: "issuerUrl:https://x"}))
			},
			want: []want{{Subject: "pulsarauthparams@spec.template.spec.containers[coord].env[0] of Deployment coord-rootcoord",
				At:  coord.Source{Object: "Deployment coord-rootcoord", Path: "spec.template.spec.containers[coord].env[0]"},
				Msg: `has a value for "issuerUrl" that holds a ':'`, Fix: "write env PULSAR_AUTH_PARAMS of Deployment coord-rootcoord as " + generic}},
		},
	})
}

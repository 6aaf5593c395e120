package rules

import (
	"testing"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestExtraConfigCredentials(t *testing.T) {
	const secretKeyMsg = "milvus.extraConfig.minio.secretAccessKey is a credential (minio.secretAccessKey) written into a Milvus config file: it sits in clear in a ConfigMap, and rootCoordinator reads MINIO_SECRET_ACCESS_KEY from the environment over it"
	runCases(t, extraConfigCredentials, []ruleCase{
		{name: "chart defaults: credentials only in the Secret"},
		{name: "a user name is no credential", overlay: "milvus: {extraConfig: {kafka: {saslUsername: u}, etcd: {auth: {userName: root}}}}"},
		{
			name:    "the S3 secret key in extraConfig: in a ConfigMap and overridden by the chart's env",
			overlay: "milvus: {extraConfig: {minio: {secretAccessKey: s3cret}}}",
			want: []want{{Subject: "miniosecretaccesskey@milvus.extraConfig", At: path("milvus.extraConfig.minio.secretAccessKey"),
				Msg: secretKeyMsg,
				Fix: "remove milvus.extraConfig.minio.secretAccessKey and set externalS3.secretKey (or externalS3.existingSecret, the name of a Secret)"}},
		},
		{
			name:    "any spelling Milvus matches: a dotted key in another case",
			overlay: `milvus: {extraConfig: {"MINIO.ACCESS_KEY_ID": x}}`,
			want: []want{{Subject: "minioaccesskeyid@milvus.extraConfig", At: path(`milvus.extraConfig["MINIO.ACCESS_KEY_ID"]`),
				Msg: "is a credential (minio.accessKeyID)",
				Fix: `remove milvus.extraConfig["MINIO.ACCESS_KEY_ID"] and set externalS3.accessKey (or externalS3.existingSecret, the name of a Secret)`}},
		},
		{
			name: "the Kafka password in user.yaml text",
			overlay: `
externalPulsar: {enabled: false}
externalKafka: {enabled: true, brokerList: "k:9092", sasl: {username: u, password: p}}
extraConfigFiles:
  user.yaml: |
    kafka:
      saslPassword: p`,
			want: []want{{Subject: "kafkasaslpassword@extraConfigFiles", At: path(userYAML),
				Msg: `kafka.saslPassword in extraConfigFiles["user.yaml"] is a credential (kafka.saslPassword) written into a Milvus config file: it sits in clear in a ConfigMap, and rootCoordinator reads KAFKA_SASL_PASSWORD from the environment over it`,
				Fix: `remove kafka.saslPassword in extraConfigFiles["user.yaml"] and set externalKafka.sasl.password (or externalKafka.existingSecret, the name of a Secret)`}},
		},
		{
			name:    "pulsar.authParams and the etcd password, not overridden: still in a ConfigMap",
			overlay: "milvus: {extraConfig: {pulsar: {authParams: \"token:x\"}, etcd: {auth: {password: pw}}}}",
			want: []want{
				{Subject: "etcdauthpassword@milvus.extraConfig", At: path("milvus.extraConfig.etcd.auth.password"),
					Msg: "milvus.extraConfig.etcd.auth.password is a credential (etcd.auth.password) written into a Milvus config file: it sits in clear in a ConfigMap",
					Fix: "remove milvus.extraConfig.etcd.auth.password and set externalEtcd.auth.password (or externalEtcd.auth.existingSecret, the name of a Secret)"},
				{Subject: "pulsarauthparams@milvus.extraConfig", At: path("milvus.extraConfig.pulsar.authParams"),
					Msg: "(pulsar.authParams)",
					Fix: "remove milvus.extraConfig.pulsar.authParams and set externalPulsar.authParams (or externalPulsar.existingSecret, the name of a Secret)"},
			},
		},
		{
			name:    "a secret the chart has no value for: extraEnv from a Secret in every block",
			overlay: "milvus: {extraConfig: {common: {security: {defaultRootPassword: Milvus1}}}}",
			want: []want{{Subject: "commonsecuritydefaultrootpassword@milvus.extraConfig", At: path("milvus.extraConfig.common.security.defaultRootPassword"),
				Msg: "(common.security.defaultRootPassword)",
				Fix: "remove milvus.extraConfig.common.security.defaultRootPassword and add to rootCoordinator.extraEnv, queryCoordinator.extraEnv, dataCoordinator.extraEnv an entry {name: COMMON_SECURITY_DEFAULT_ROOT_PASSWORD, valueFrom: {secretKeyRef: {name: <Secret>, key: <key>}}}"}},
		},
		{
			name: "a manifest's ConfigMap (the upstream chart writes the keys into default.yaml)",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "minio:\n  secretAccessKey: minioadmin\n"), deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{{Subject: "miniosecretaccesskey@data.user.yaml of ConfigMap coord-rootcoord-config",
				At:  coord.Source{Object: "ConfigMap coord-rootcoord-config", Path: "data.user.yaml"},
				Msg: "minio.secretAccessKey in data.user.yaml of ConfigMap coord-rootcoord-config is a credential (minio.secretAccessKey)",
				Fix: "remove minio.secretAccessKey from the config file and set env MINIO_SECRET_ACCESS_KEY from a Secret (valueFrom.secretKeyRef) instead"}},
		},
	})
}

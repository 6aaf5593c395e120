package rules

import (
	"testing"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

func TestEtcdAuthIncomplete(t *testing.T) {
	runCases(t, etcdAuthIncomplete, []ruleCase{
		{name: "chart defaults: no etcd auth"},
		{name: "user and password", overlay: "externalEtcd: {auth: {enabled: true, userName: milvus, password: pw}}"},
		{name: "user and an existing Secret", overlay: "externalEtcd: {auth: {enabled: true, userName: milvus, existingSecret: etcd}}"},
		{name: "off with half the settings", overlay: "externalEtcd: {auth: {enabled: false, userName: milvus}}"},
		{
			name:    "no password",
			overlay: "externalEtcd: {auth: {enabled: true, userName: milvus}}",
			want: []want{{Subject: "etcd-auth@externalEtcd.auth.enabled", At: path("externalEtcd.auth.enabled"),
				Msg: "externalEtcd.auth.enabled turns etcd authentication on, but rootCoordinator reads no password",
				Fix: "set externalEtcd.auth.password (or externalEtcd.auth.existingSecret, the name of a Secret with key etcdpassword)"}},
		},
		{
			name:    "no user name",
			overlay: "externalEtcd: {auth: {enabled: true, password: pw}}",
			want: []want{{Subject: "etcd-auth@externalEtcd.auth.enabled", At: path("externalEtcd.auth.enabled"),
				Fix: "set externalEtcd.auth.userName"}},
		},
		{
			name:    "neither",
			overlay: "externalEtcd: {auth: {enabled: true}}",
			want: []want{{Subject: "etcd-auth@externalEtcd.auth.enabled", At: path("externalEtcd.auth.enabled"),
				Fix: "set externalEtcd.auth.userName and externalEtcd.auth.password (or externalEtcd.auth.existingSecret)"}},
		},
		{
			name:    "the user name from one block's extraEnv is enough for that block only",
			overlay: "externalEtcd: {auth: {enabled: true, password: pw}}\nrootCoordinator: {extraEnv: [{name: ETCD_AUTH_USER_NAME, value: milvus}]}",
			want:    []want{{Subject: "etcd-auth@externalEtcd.auth.enabled", At: path("externalEtcd.auth.enabled"), Msg: "but queryCoordinator reads no user name"}},
		},
		{
			name: "a manifest without the password",
			objects: func() []coord.Object {
				return objects(configMap("coord-rootcoord", "etcd:\n  auth:\n    enabled: true\n    userName: milvus\n"), deployment("coord-rootcoord", 1, "milvusdb/milvus:v2.4.17", "rootcoord"))
			},
			want: []want{{Subject: "etcd-auth@data.user.yaml of ConfigMap coord-rootcoord-config", At: coord.Source{Object: "ConfigMap coord-rootcoord-config", Path: "data.user.yaml"},
				Fix: "set etcd.auth.userName in the config file and env ETCD_AUTH_PASSWORD from a Secret, or turn etcd.auth.enabled off"}},
		},
	})
}

// Package e2e installs, upgrades and uninstalls the milvus-coord chart against a
// real Kubernetes API server.
//
// TestMain starts a pinned etcd and kube-apiserver (built by `make tools` from
// tools/) on 127.0.0.1 with internal/testcluster, once per test binary, and stops
// them and removes their files when the tests end, fail, panic, time out or are
// interrupted. There is no scheduler, controller manager or kubelet: the tests
// prove what the API server stores and refuses (validation, defaulting, three-way
// merges on upgrade, deletion), not that pods run. Hence no `--wait` and no
// `helm test`; tests/cluster runs the controllers and fake nodes.
//
// Helm runs as the pinned v3.22.0 CLI in a subprocess rather than through Go's
// helm.sh/helm/v3/pkg/action package: the CLI is what users run (flag parsing,
// values merging, --set coercion, OpenAPI validation, release storage all come
// with it), and running the binary that `make tools` built proves that pinned
// release, not whatever helm version the module graph resolves to. client-go
// reads the objects back.
//
// The binaries come from MILVUS_COORD_HELM, MILVUS_COORD_KUBE_APISERVER and
// MILVUS_COORD_ETCD (`make test` sets them); without them the tests fail.
package e2e

// Package cluster tests the chart's high-availability claims as behaviour, against
// real Kubernetes controllers: a rollout that changes the config, node drains
// against the PodDisruptionBudgets, anti-affinity and zone spread with too few and
// enough nodes, the loss of a node, and switching between mixcoord and separate
// coordinators.
//
// TestMain starts, with internal/testcluster, a pinned etcd, kube-apiserver,
// kube-controller-manager and kube-scheduler (v1.37.2, built from source by
// `make tools`) and kwok v0.8.0 on 127.0.0.1, once per test binary. kwok plays
// the kubelet of fake nodes that the tests create with zone labels, and moves
// pods through their lifecycle without containers, as testdata/kwok.yaml says:
// Running 1 s after binding, Ready 2 s later, gone 2 s after deletion. Every
// scheduling, rollout, eviction and rescheduling decision is the real
// controllers'. Each test has its own namespace and its own pool of nodes (the
// scenario file plus a nodeSelector for the pool), so tests run in parallel.
//
// Each test records what it observes with informers (a list, then a watch) on
// its namespace's pods, Deployments and budgets (recorder_test.go), never by
// polling: the largest number of pods of one coordinator alive at once, the
// smallest number Ready, and how long none was. The figures go to the test log
// and, when MILVUS_COORD_CLUSTER_FIGURES names a file (`make test` sets it), to
// that file as Markdown.
//
// Timing the tests tune, so that a run takes minutes (figures measured with them
// say so): the node controller checks every second and declares a node lost 10 s
// after its last lease renewal (kube-controller-manager --node-monitor-period,
// --node-monitor-grace-period; Kubernetes defaults 5 s and 50 s), and pods
// tolerate an unreachable or not-ready node for 5 s (kube-apiserver
// --default-unreachable-toleration-seconds and --default-not-ready-toleration-
// seconds; default 300 s). The chart's own timing (minReadySeconds,
// terminationGracePeriodSeconds, strategies, budgets) is never changed.
package cluster

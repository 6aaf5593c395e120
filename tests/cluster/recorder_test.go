package cluster

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"
)

const componentLabel = "app.kubernetes.io/component"

// The chart's four coordinators, by their component label.
const (
	rootcoord  = "rootcoord"
	querycoord = "querycoord"
	datacoord  = "datacoord"
	mixcoord   = "mixcoord"
)

// podState is what the recorder keeps of a pod.
type podState struct {
	component string
	node      string // "" until the scheduler binds it
	phase     corev1.PodPhase
	ready     bool // Ready condition True and not terminating
	deleting  bool // deletionTimestamp set
	// unschedulable: the scheduler found no node (PodScheduled False, Unschedulable).
	unschedulable bool
}

// alive says whether the pod may run a coordinator process: bound to a node, not
// finished, and not yet gone from the API (a terminating pod still runs until
// its kubelet, here kwok, removes it).
func (p podState) alive() bool {
	return p.node != "" && p.phase != corev1.PodSucceeded && p.phase != corev1.PodFailed
}

// counts are one coordinator's pods at one moment.
type counts struct {
	alive, ready, pending int
	running               int // alive and not terminating: what maxSurge bounds
}

// sample is the state of every coordinator right after one observed event.
type sample struct {
	at    time.Time
	byKey map[string]counts
}

// recorder records, with informers (a list, then a watch) on one namespace,
// every change to the pods and Deployments there, and keeps after each change a
// sample of the per-coordinator counts. Waits are driven by the same events.
type recorder struct {
	mu          sync.Mutex
	pods        map[string]podState // by pod name
	deployments map[string]*appsv1.Deployment
	samples     []sample
	firstSeen   map[string]seenPod // every pod ever observed, by name
	lost        map[string]bool    // nodes declared lost: their pods count as not Ready
	changed     chan struct{}      // gets a value after each change (capacity 1)
}

// seenPod is when a pod of which coordinator was first observed.
type seenPod struct {
	component string
	at        time.Time
}

// record starts recording namespace ns; recording stops with the test.
func record(t *testing.T, ns string) *recorder {
	t.Helper()
	r := &recorder{
		pods:        map[string]podState{},
		deployments: map[string]*appsv1.Deployment{},
		firstSeen:   map[string]seenPod{},
		lost:        map[string]bool{},
		changed:     make(chan struct{}, 1),
	}
	factory := informers.NewSharedInformerFactoryWithOptions(env.kube, 0, informers.WithNamespace(ns))
	podInformer := factory.Core().V1().Pods().Informer()
	deploymentInformer := factory.Apps().V1().Deployments().Informer()
	// The budgets only wake waits: an eviction refused by a budget may pass once
	// the disruption controller has updated its status.
	budgetInformer := factory.Policy().V1().PodDisruptionBudgets().Informer()
	_, err := budgetInformer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { r.notify() },
		UpdateFunc: func(_, _ any) { r.notify() },
		DeleteFunc: func(any) { r.notify() },
	})
	require.NoError(t, err)
	_, err = podInformer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { r.podChanged(obj, false) },
		UpdateFunc: func(_, obj any) { r.podChanged(obj, false) },
		DeleteFunc: func(obj any) { r.podChanged(obj, true) },
	})
	require.NoError(t, err)
	_, err = deploymentInformer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { r.deploymentChanged(obj, false) },
		UpdateFunc: func(_, obj any) { r.deploymentChanged(obj, false) },
		DeleteFunc: func(obj any) { r.deploymentChanged(obj, true) },
	})
	require.NoError(t, err)
	stop := make(chan struct{})
	t.Cleanup(func() {
		close(stop)
		factory.Shutdown()
	})
	factory.Start(stop)
	ctx := apiContext(t)
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		require.True(t, ok, "the %v informer did not sync", typ)
	}
	return r
}

func (r *recorder) podChanged(obj any, deleted bool) {
	if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if deleted {
		delete(r.pods, pod.Name)
	} else {
		if _, ok := r.firstSeen[pod.Name]; !ok {
			r.firstSeen[pod.Name] = seenPod{component: pod.Labels[componentLabel], at: now}
		}
		r.pods[pod.Name] = podState{
			component: pod.Labels[componentLabel],
			node:      pod.Spec.NodeName,
			phase:     pod.Status.Phase,
			ready:     podReady(pod),
			deleting:  pod.DeletionTimestamp != nil,
			unschedulable: slices.ContainsFunc(pod.Status.Conditions, func(c corev1.PodCondition) bool {
				return c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable
			}),
		}
	}
	r.sampleLocked(now)
	r.notify()
}

// sampleLocked appends a sample of the current counts; r.mu is held.
func (r *recorder) sampleLocked(now time.Time) {
	byKey := map[string]counts{}
	for _, p := range r.pods {
		if r.lost[p.node] {
			// The API still says Ready (nothing is left to say otherwise), but
			// the node is gone.
			p.ready = false
		}
		c := byKey[p.component]
		c.add(p)
		byKey[p.component] = c
	}
	r.samples = append(r.samples, sample{at: now, byKey: byKey})
}

// nodeLost declares a node lost from now on: its pods no longer count as Ready
// in the samples, whatever their Ready condition says.
func (r *recorder) nodeLost(node string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lost[node] = true
	r.sampleLocked(time.Now())
}

func (r *recorder) deploymentChanged(obj any, deleted bool) {
	if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	d, ok := obj.(*appsv1.Deployment)
	if !ok {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if deleted {
		delete(r.deployments, d.Name)
	} else {
		r.deployments[d.Name] = d
	}
	r.notify()
}

func (r *recorder) notify() {
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

// podReady says whether a pod counts as Ready: its Ready condition is True and it
// is not terminating (a terminating pod is leaving the Service's endpoints).
func podReady(pod *corev1.Pod) bool {
	if pod.DeletionTimestamp != nil {
		return false
	}
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// view is a consistent copy of what the recorder knows, for wait conditions.
type view struct {
	pods        map[string]podState
	deployments map[string]*appsv1.Deployment // by component
}

// byComponent counts the pods of one coordinator.
func (v view) byComponent(component string) counts {
	var c counts
	for _, p := range v.pods {
		if p.component == component {
			c.add(p)
		}
	}
	return c
}

// add counts one pod.
func (c *counts) add(p podState) {
	switch {
	case p.alive():
		c.alive++
		if !p.deleting {
			c.running++
		}
	case p.node == "" && !p.deleting:
		c.pending++
	}
	if p.ready {
		c.ready++
	}
}

// settled says whether every Deployment finished its rollout (as `kubectl
// rollout status` decides) and nothing else runs: each coordinator has exactly
// its replicas, all Ready, none terminating, and no pods without a Deployment.
// It returns what is missing otherwise.
func (v view) settled() (bool, string) {
	var missing []string
	for component, d := range v.deployments {
		want := int32(1)
		if d.Spec.Replicas != nil {
			want = *d.Spec.Replicas
		}
		s := d.Status
		if s.ObservedGeneration < d.Generation || s.UpdatedReplicas != want || s.AvailableReplicas != want || s.Replicas != want {
			missing = append(missing, fmt.Sprintf("%s: rollout at %d updated, %d available, %d total of %d", component, s.UpdatedReplicas, s.AvailableReplicas, s.Replicas, want))
		}
		c := v.byComponent(component)
		if c.alive != int(want) || c.ready != int(want) {
			missing = append(missing, fmt.Sprintf("%s: %d alive, %d Ready, want %d", component, c.alive, c.ready, want))
		}
	}
	for name, p := range v.pods {
		if _, ok := v.deployments[p.component]; !ok {
			missing = append(missing, fmt.Sprintf("pod %s has no Deployment", name))
		}
	}
	sort.Strings(missing)
	return len(missing) == 0, strings.Join(missing, "; ")
}

func (r *recorder) view() view {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := view{pods: make(map[string]podState, len(r.pods)), deployments: map[string]*appsv1.Deployment{}}
	for k, p := range r.pods {
		v.pods[k] = p
	}
	for _, d := range r.deployments {
		v.deployments[d.Labels[componentLabel]] = d
	}
	return v
}

// waitFor waits, woken by each observed change, until cond holds, and fails the
// test after timeout with what cond reported last.
func (r *recorder) waitFor(t *testing.T, timeout time.Duration, what string, cond func(view) (bool, string)) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		ok, why := cond(r.view())
		if ok {
			return
		}
		select {
		case <-r.changed:
		case <-env.cluster.Died():
			t.Fatalf("%s: a server died: %v", what, env.cluster.Exited())
		case <-deadline.C:
			t.Fatalf("%s: not after %s: %s (servers: %v)", what, timeout, why, env.cluster.Exited())
		}
	}
}

// waitSettled waits until the release is settled (view.settled).
func (r *recorder) waitSettled(t *testing.T) {
	t.Helper()
	r.waitFor(t, settleTimeout, "every coordinator rolled out and Ready", view.settled)
}

// mark is a point in the recording, for stats over what came after it.
type mark struct {
	index int
	at    time.Time
}

func (r *recorder) mark() mark {
	r.mu.Lock()
	defer r.mu.Unlock()
	return mark{index: len(r.samples), at: time.Now()}
}

// window is what the recording says about one coordinator between two marks.
type window struct {
	maxAlive, maxRunning, minReady int
	zeroReady                      time.Duration // total time with no Ready pod
	longestZeroReady               time.Duration
	newPods                        int // pods first seen in the window
}

// stats summarises the samples between from and to for one coordinator. The
// counts at from (the state the window starts in) count too.
func (r *recorder) stats(component string, from, to mark) window {
	r.mu.Lock()
	defer r.mu.Unlock()
	samples := r.samples[:to.index]
	start := counts{}
	if from.index > 0 {
		start = samples[from.index-1].byKey[component]
	}
	w := window{maxAlive: start.alive, maxRunning: start.running, minReady: start.ready}
	zeroSince := time.Time{}
	if start.ready == 0 {
		zeroSince = from.at
	}
	closeZero := func(at time.Time) {
		if zeroSince.IsZero() {
			return
		}
		d := at.Sub(zeroSince)
		w.zeroReady += d
		w.longestZeroReady = max(w.longestZeroReady, d)
		zeroSince = time.Time{}
	}
	for _, s := range samples[from.index:] {
		c := s.byKey[component]
		w.maxAlive = max(w.maxAlive, c.alive)
		w.maxRunning = max(w.maxRunning, c.running)
		w.minReady = min(w.minReady, c.ready)
		if c.ready == 0 && zeroSince.IsZero() {
			zeroSince = s.at
		} else if c.ready > 0 {
			closeZero(s.at)
		}
	}
	closeZero(to.at)
	for _, p := range r.firstSeen {
		if p.component == component && !p.at.Before(from.at) && p.at.Before(to.at) {
			w.newPods++
		}
	}
	return w
}

// overlap is how long, between two marks, pods of both groups of coordinators
// were alive at once, and the most pods alive at such a moment.
func (r *recorder) overlap(a, b []string, from, to mark) (time.Duration, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	sum := func(s sample, group []string) int {
		n := 0
		for _, c := range group {
			n += s.byKey[c].alive
		}
		return n
	}
	var total time.Duration
	most := 0
	samples := r.samples[:to.index]
	var since time.Time
	for _, s := range samples[max(from.index-1, 0):] {
		na, nb := sum(s, a), sum(s, b)
		both := na > 0 && nb > 0
		at := s.at
		if at.Before(from.at) {
			at = from.at
		}
		if both {
			most = max(most, na+nb)
			if since.IsZero() {
				since = at
			}
		} else if !since.IsZero() {
			total += at.Sub(since)
			since = time.Time{}
		}
	}
	if !since.IsZero() {
		total += to.at.Sub(since)
	}
	return total, most
}

// components lists the coordinators with a Deployment, in a fixed order.
func (v view) components() []string {
	var out []string
	for c := range v.deployments {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// roleGap is how long, between two marks, a Milvus role had no Ready pod in
// either of the two coordinators that serve it (its own and mixcoord).
func (r *recorder) roleGap(a, b string, from, to mark) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	readyAt := func(s sample) int { return s.byKey[a].ready + s.byKey[b].ready }
	samples := r.samples[:to.index]
	var total time.Duration
	var since time.Time
	if from.index > 0 && readyAt(samples[from.index-1]) == 0 {
		since = from.at
	}
	for _, s := range samples[from.index:] {
		switch n := readyAt(s); {
		case n == 0 && since.IsZero():
			since = s.at
		case n > 0 && !since.IsZero():
			total += s.at.Sub(since)
			since = time.Time{}
		}
	}
	if !since.IsZero() {
		total += to.at.Sub(since)
	}
	return total
}

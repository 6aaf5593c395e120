package localrun_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"helm.sh/helm/v3/pkg/chartutil"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/golden"
	"github.com/milvus-coord/milvus-coord/internal/localrun"
	"github.com/milvus-coord/milvus-coord/internal/render"
	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

// rendered renders the chart with a scenario values file, as valuescheck
// render does, and decodes the objects.
func rendered(t *testing.T, valuesFile string) []render.Object {
	t.Helper()
	chartDir := filepath.Join(testtools.RepoRoot(), "charts", "milvus-coord")
	ch, err := render.LoadChart(os.DirFS(chartDir))
	require.NoError(t, err)
	vals := chartutil.Values{}
	if valuesFile != "" {
		vals, err = chartutil.ReadValuesFile(filepath.Join(chartDir, "ci", valuesFile))
		require.NoError(t, err)
	}
	merged, err := chartutil.CoalesceValues(ch, vals)
	require.NoError(t, err)
	res, err := render.Render(ch, merged, render.Options{})
	require.NoError(t, err)
	objs, findings := render.Decode(res.Manifests)
	require.Empty(t, findings)
	return objs
}

func byPath(files []localrun.File) map[string]localrun.File {
	out := map[string]localrun.File{}
	for _, f := range files {
		out[f.Path] = f
	}
	return out
}

func TestBuild(t *testing.T) {
	for _, tt := range []struct {
		name, values string
		replicas     []string
	}{
		{"ha", "02-ha-values.yaml", []string{"rootcoord-1", "rootcoord-2", "rootcoord-3", "querycoord-1", "querycoord-2", "datacoord-1", "datacoord-2"}},
		{"mixcoord-2.6", "06-milvus-2-6-mixcoord-values.yaml", []string{"mixcoord-1", "mixcoord-2", "mixcoord-3"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files, err := localrun.Build(rendered(t, tt.values))
			require.NoError(t, err)
			got := byPath(files)
			var dirs []string
			for p := range got {
				if d, ok := strings.CutSuffix(p, "/user.yaml"); ok {
					dirs = append(dirs, d)
				}
			}
			want := append([]string(nil), tt.replicas...)
			sort.Strings(want)
			sort.Strings(dirs)
			assert.Equal(t, want, dirs)
			// Every replica listens on ports of its own.
			seen := map[int]string{}
			for _, d := range dirs {
				var cfg map[string]map[string]any
				require.NoError(t, yaml.Unmarshal(got[d+"/user.yaml"].Data, &cfg))
				for section, block := range cfg {
					if p, ok := block["port"].(float64); ok && strings.HasSuffix(section, "Coord") {
						prev, dup := seen[int(p)]
						assert.False(t, dup, "%s and %s share port %d", prev, d, int(p))
						seen[int(p)] = d
					}
				}
			}
			script := got["run.sh"]
			assert.Equal(t, os.FileMode(0o755), script.Mode)
			golden.Assert(t, filepath.Join("testdata", tt.name+"-run.sh"), script.Data)
			golden.Assert(t, filepath.Join("testdata", tt.name+"-"+tt.replicas[1]+"-user.yaml"), got[tt.replicas[1]+"/user.yaml"].Data)
		})
	}
}

func TestBuildPortClash(t *testing.T) {
	three := int32(3)
	deployment := func(role, port string, containerPort int32) *appsv1.Deployment {
		return &appsv1.Deployment{
			ObjectMeta: metav1.ObjectMeta{Name: role},
			Spec: appsv1.DeploymentSpec{Replicas: &three, Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app.kubernetes.io/component": role}},
				Spec: corev1.PodSpec{
					Containers: []corev1.Container{{Name: role, Args: []string{"milvus", "run", role},
						Ports: []corev1.ContainerPort{{Name: port, ContainerPort: containerPort}}}},
					Volumes: []corev1.Volume{{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: role}}}}},
				},
			}},
		}
	}
	cm := func(name string) *corev1.ConfigMap {
		return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name}, Data: map[string]string{"user.yaml": "common:\n  session:\n    ttl: 30\n"}}
	}
	objs := []render.Object{
		{Object: deployment("rootcoord", "rootcoord", 20000)}, {Object: cm("rootcoord")},
		{Object: deployment("querycoord", "querycoord", 20001)}, {Object: cm("querycoord")},
	}
	_, err := localrun.Build(objs)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "port 20001 is both rootcoord-2's rootCoord.port and querycoord-1's queryCoord.port")

	_, err = localrun.Build(nil)
	assert.EqualError(t, err, "no coordinator Deployment was rendered")
}

// fakeMilvus stands in for the milvus binary to test the script: it records
// how it was started and whether it got SIGTERM, and waits to be stopped.
const fakeMilvus = `#!/usr/bin/env bash
out="$MILVUSCONF/started"
echo "MILVUSCONF=$MILVUSCONF METRICS_PORT=$METRICS_PORT ROOT_COORD_ENABLE_ACTIVE_STANDBY=${ROOT_COORD_ENABLE_ACTIVE_STANDBY:-} args=$*" >"$out"
trap 'echo TERM >>"$out"; exit 0' TERM
while :; do sleep 0.05; done
`

// TestScript starts every replica with the generated script, kills one, and
// stops the rest with SIGTERM.
func TestScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	require.NoError(t, err, "the script needs bash")
	files, err := localrun.Build(rendered(t, "02-ha-values.yaml"))
	require.NoError(t, err)
	dir := t.TempDir()
	written, err := localrun.Write(dir, files)
	require.NoError(t, err)
	assert.Len(t, written, len(files))
	fake := filepath.Join(t.TempDir(), "milvus")
	require.NoError(t, os.WriteFile(fake, []byte(fakeMilvus), 0o755))

	sh := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bash, append([]string{filepath.Join(dir, "run.sh")}, args...)...)
		cmd.Env = append(os.Environ(), "MILVUS="+fake, "MINIO_ACCESS_KEY_ID=minioadmin", "MINIO_SECRET_ACCESS_KEY=minioadmin")
		start := time.Now()
		out, err := cmd.CombinedOutput()
		t.Logf("run.sh %s: %s", strings.Join(args, " "), time.Since(start))
		require.NoError(t, err, "run.sh %s: %s", strings.Join(args, " "), out)
		return string(out)
	}
	t.Cleanup(func() { _ = exec.Command(bash, filepath.Join(dir, "run.sh"), "stop").Run() })

	missing := exec.Command(bash, filepath.Join(dir, "run.sh"), "start")
	missing.Env = append(os.Environ(), "MILVUS="+fake, "MINIO_ACCESS_KEY_ID=", "MINIO_SECRET_ACCESS_KEY=")
	msg, err := missing.CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(msg), "set MINIO_ACCESS_KEY_ID (key accesskey of Secret release-name-milvus-coord-credentials in Kubernetes)")
	assert.NotContains(t, string(msg), "started", "nothing starts without the credentials")

	out := sh("start")
	assert.Equal(t, 7, strings.Count(out, "started "), out)
	started := func(name string) string {
		deadline := time.Now().Add(10 * time.Second)
		for {
			data, err := os.ReadFile(filepath.Join(dir, name, "started"))
			if err == nil && strings.Contains(string(data), "args=") {
				return string(data)
			}
			require.True(t, time.Now().Before(deadline), "%s did not start", name)
			time.Sleep(20 * time.Millisecond)
		}
	}
	rc2 := started("rootcoord-2")
	assert.Contains(t, rc2, "MILVUSCONF="+filepath.Join(dir, "rootcoord-2")+" ")
	assert.Contains(t, rc2, "METRICS_PORT=9092 ")
	assert.Contains(t, rc2, "ROOT_COORD_ENABLE_ACTIVE_STANDBY=true ")
	assert.Contains(t, rc2, "args=run rootcoord\n")
	assert.Contains(t, started("datacoord-2"), "METRICS_PORT=9097 ")

	assert.Contains(t, sh("kill", "rootcoord-1"), "rootcoord-1 stopped (SIGKILL)")
	assert.NotContains(t, started("rootcoord-1"), "TERM", "a crash gets no SIGTERM")
	status := sh("status")
	assert.Contains(t, status, "rootcoord-1 stopped")
	assert.Contains(t, status, "rootcoord-2 runs")

	out = sh("stop")
	assert.Contains(t, out, "rootcoord-1 is not running")
	for _, name := range []string{"rootcoord-2", "rootcoord-3", "querycoord-1", "querycoord-2", "datacoord-1", "datacoord-2"} {
		assert.Contains(t, out, name+" stopped (SIGTERM)")
		assert.Contains(t, started(name), "TERM\n", "%s got SIGTERM", name)
	}
}

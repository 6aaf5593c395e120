package render

import (
	"testing"

	"github.com/compose-spec/compose-go/v2/template"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// FuzzEscapeInterpolation: whatever a value holds, compose's own interpolation
// (the compose-spec template package `docker compose` uses) turns the escaped
// form back into it, even when every variable it could name is set.
func FuzzEscapeInterpolation(f *testing.F) {
	for _, s := range []string{"", "$", "$$", "$$$", "a$", "$A", "${A}", "${A:-b}", "${A:?unset}", "${", "$}", "${A${B}}", "\\$A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := template.Substitute(escapeInterpolation(s), func(string) (string, bool) { return "SET", true })
		require.NoError(t, err)
		require.Equal(t, s, got)
	})
}

// FuzzNotCarried: whatever volumes, mounts and init containers a Deployment
// has, NotCarried does not panic, and it refuses exactly the pods that have an
// init container or mount something other than an emptyDir, the user.yaml
// ConfigMap, or a Secret where the form binds Secrets.
func FuzzNotCarried(f *testing.F) {
	f.Add("", uint8(0), "tls", "/milvus/tls")
	f.Add("heaptrack", uint8(1), "scratch", "/scratch")
	f.Add("", uint8(2), "config", "/milvus/configs/user.yaml")
	f.Add("", uint8(3), "missing", "")
	f.Fuzz(func(t *testing.T, initName string, kind uint8, volume, mountPath string) {
		source := corev1.VolumeSource{}
		switch kind % 4 {
		case 0:
			source.Secret = &corev1.SecretVolumeSource{SecretName: volume}
		case 1:
			source.EmptyDir = &corev1.EmptyDirVolumeSource{}
		case 2:
			source.ConfigMap = &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "cfg"}}
		}
		d := &appsv1.Deployment{}
		d.Name = "coord"
		pod := &d.Spec.Template.Spec
		if initName != "" {
			pod.InitContainers = []corev1.Container{{Name: initName}}
		}
		if kind%4 != 3 {
			pod.Volumes = []corev1.Volume{{Name: volume, VolumeSource: source}}
		}
		pod.Containers = []corev1.Container{{Name: "milvus", VolumeMounts: []corev1.VolumeMount{{Name: volume, MountPath: mountPath}}}}
		for _, secrets := range []bool{true, false} {
			err := NotCarried(d, "the compose output", secrets)
			carried := initName == "" && (kind%4 == 1 || kind%4 == 2 && mountPath == "/milvus/configs/user.yaml" || kind%4 == 0 && secrets)
			require.Equal(t, !carried, err != nil, "secrets %t: error %v", secrets, err)
			if err != nil {
				require.Contains(t, err.Error(), "the compose output")
			}
		}
	})
}

package chart_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"

	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/render"
)

// dollarValues puts `$` where compose would interpolate it: in the user.yaml
// (extra config), in plain env values and in the etcd endpoints that become
// ETCD_ENDPOINTS. Milvus must read each one verbatim.
const dollarValues = `
milvus:
  extraConfig:
    common:
      security:
        superUsers: "ro$ot,${ADMIN},$$x"
externalEtcd:
  endpoints:
    - "etcd$1:2379"
rootCoordinator:
  extraEnv:
    - name: GREETING
      value: "$HOME ${USER:-me} $$ $"
`

// TestComposeLoadsVerbatim loads the compose form of every scenario (and of
// values full of `$`) with the compose-spec loader, as `docker compose` does:
// the file must load, with the credentials coming from the environment, and
// every service must yield exactly the command, environment and user.yaml of
// its Deployment, and its user, read-only root filesystem, capabilities and
// tmpfs mounts.
func TestComposeLoadsVerbatim(t *testing.T) {
	ch := loadChart(t)
	cases := scenarioFiles(t)
	cases["dollars"] = dollarValues
	cases["extra-emptydir"] = "extraVolumes: [{name: scratch, emptyDir: {sizeLimit: 32Mi}}]\n" +
		"rootCoordinator: {extraVolumes: [{name: root-scratch, emptyDir: {sizeLimit: 16Mi}}], extraVolumeMounts: [{name: root-scratch, mountPath: /scratch/root}]}\n" +
		"extraVolumeMounts: [{name: scratch, mountPath: /scratch/all}]\n"
	cases["tls"] = tlsValues
	for name, values := range exampleFiles(t) {
		cases[name] = values
	}
	for name, values := range cases {
		t.Run(name, func(t *testing.T) {
			var file *check.Input
			if values != "" {
				file = &check.Input{Name: name, Data: []byte(values)}
			}
			res := ch.Check(file, check.Options{Render: render.Options{ReleaseName: "coord"}})
			require.NotNil(t, res.Objects)
			out, err := render.Compose(res.Objects, "coord")
			require.NoError(t, err)

			o := renderValues(t, ch, values)
			// The credentials the file interpolates, as an .env file would set them.
			environment := types.Mapping{}
			for _, d := range o.deployments {
				for _, e := range d.Spec.Template.Spec.Containers[0].Env {
					if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
						environment[e.Name] = "from-env-" + e.Name
					}
				}
				for _, v := range d.Spec.Template.Spec.Volumes {
					if v.Secret != nil {
						environment[render.SecretDirEnv(v.Name)] = "/secrets/" + v.Secret.SecretName
					}
				}
			}
			for name, value := range environment {
				assert.NotContains(t, string(out), value, "%s must come from the environment, not the file", name)
			}
			project, err := loadCompose(t, out, environment)
			require.NoError(t, err, "compose.yaml:\n%s", out)

			for component, d := range o.deployments {
				pod := d.Spec.Template.Spec
				c := pod.Containers[0]
				cfg := userConfig(t, o.configMaps[component])
				for i := 1; i <= int(*d.Spec.Replicas); i++ {
					svc, ok := project.Services[fmt.Sprintf("%s-%d", component, i)]
					require.True(t, ok, "service %s-%d", component, i)
					assert.Equal(t, c.Args, []string(svc.Command))
					assert.Equal(t, c.Image, svc.Image)
					for _, e := range c.Env {
						if e.ValueFrom != nil && e.ValueFrom.FieldRef != nil {
							continue
						}
						want := e.Value
						if e.ValueFrom != nil {
							want = environment[e.Name]
						}
						require.Contains(t, svc.Environment, e.Name)
						require.NotNil(t, svc.Environment[e.Name], e.Name)
						assert.Equal(t, want, *svc.Environment[e.Name], e.Name)
					}
					var endpoints []string
					for _, e := range cfg["etcd"].(map[string]any)["endpoints"].([]any) {
						endpoints = append(endpoints, e.(string))
					}
					require.NotNil(t, svc.Environment["ETCD_ENDPOINTS"])
					assert.Equal(t, strings.Join(endpoints, ","), *svc.Environment["ETCD_ENDPOINTS"])

					require.Len(t, svc.Configs, 1)
					config, ok := project.Configs[svc.Configs[0].Source]
					require.True(t, ok)
					assert.Equal(t, o.configMaps[component].Data["user.yaml"], config.Content, "user.yaml verbatim")

					assert.Equal(t, fmt.Sprintf("%d:%d", *pod.SecurityContext.RunAsUser, *pod.SecurityContext.RunAsGroup), svc.User)
					assert.Equal(t, *c.SecurityContext.ReadOnlyRootFilesystem, svc.ReadOnly)
					assert.Equal(t, []string{"ALL"}, svc.CapDrop)
					assert.Equal(t, []string{"no-new-privileges:true"}, svc.SecurityOpt)
					assert.Equal(t, emptyDirMounts(pod), tmpfsOf(svc))
					assert.Equal(t, secretMounts(pod), bindsOf(svc))
				}
			}
			if name == "extra-emptydir" {
				assert.Equal(t, int64(16<<20), tmpfsOf(project.Services["rootcoord-1"])["/scratch/root"], "an extra emptyDir is a tmpfs too")
				assert.Equal(t, int64(32<<20), tmpfsOf(project.Services["querycoord-1"])["/scratch/all"])
			}
			if name == "dollars" {
				root := project.Services["rootcoord-1"]
				assert.Equal(t, "$HOME ${USER:-me} $$ $", *root.Environment["GREETING"])
				assert.Equal(t, "etcd$1:2379", *root.Environment["ETCD_ENDPOINTS"])
				assert.Contains(t, project.Configs[root.Configs[0].Source].Content, `superUsers: ro$ot,${ADMIN},$$x`)
			}
		})
	}
}

// tlsValues mount Secret volumes (etcd client certificate, object storage
// CA) and read the etcd password from a Secret.
const tlsValues = `
externalEtcd:
  auth: {enabled: true, userName: milvus, password: pw}
  tls: {secretName: etcd-client-tls}
externalS3:
  useSSL: true
  tls: {caSecretName: s3-ca}
`

// loadCompose loads a compose file as `docker compose` does: interpolation,
// the compose-spec schema and the project's consistency checks.
func loadCompose(t *testing.T, content []byte, environment types.Mapping) (*types.Project, error) {
	t.Helper()
	return loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  t.TempDir(),
		ConfigFiles: []types.ConfigFile{{Filename: "compose.yaml", Content: content}},
		Environment: environment,
	}, func(o *loader.Options) { o.SetProjectName("coord", true) })
}

// TestComposeLoaderRefuses shows that loadCompose fails where docker compose
// does, so TestComposeLoadsVerbatim cannot pass on a file compose refuses:
// a key compose does not know, a credential left out of the environment, a
// Secret directory left unset, a volume of the wrong shape.
func TestComposeLoaderRefuses(t *testing.T) {
	ch := loadChart(t)
	res := ch.Check(&check.Input{Name: "tls", Data: []byte(tlsValues)}, check.Options{Render: render.Options{ReleaseName: "coord"}})
	require.NotNil(t, res.Objects)
	good, err := render.Compose(res.Objects, "coord")
	require.NoError(t, err)
	full := types.Mapping{"MINIO_ACCESS_KEY_ID": "a", "MINIO_SECRET_ACCESS_KEY": "b", "ETCD_AUTH_PASSWORD": "c",
		render.SecretDirEnv("etcd-tls"): "/e", render.SecretDirEnv("s3-tls"): "/s"}
	_, err = loadCompose(t, good, full)
	require.NoError(t, err, "the file itself loads")

	without := func(name string) types.Mapping {
		m := types.Mapping{}
		for k, v := range full {
			if k != name {
				m[k] = v
			}
		}
		return m
	}
	cases := []struct {
		name    string
		content []byte
		env     types.Mapping
		want    string
	}{
		{"a key compose does not know", append(append([]byte{}, good...), []byte("unknown_top_level: 1\n")...), full, "unknown_top_level"},
		{"a credential not in the environment", good, without("ETCD_AUTH_PASSWORD"), "ETCD_AUTH_PASSWORD"},
		{"a Secret directory not set", good, without(render.SecretDirEnv("etcd-tls")), render.SecretDirEnv("etcd-tls")},
		{"a volume without a target", []byte("services:\n  x:\n    image: a\n    volumes:\n      - type: bind\n        source: /a\n"), full, "target"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadCompose(t, tc.content, tc.env)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// exampleFiles are the examples a user copies, keyed by path (the broken
// ones, which valuescheck refuses, have no compose form).
func exampleFiles(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(chartDir, "..", "..", "examples", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		out["examples/"+filepath.Base(f)] = string(data)
	}
	return out
}

// secretMounts maps each Secret volume mount path of a pod's container to
// the host directory the compose environment names for it.
func secretMounts(pod corev1.PodSpec) map[string]string {
	dirs := map[string]string{}
	for _, v := range pod.Volumes {
		if v.Secret != nil {
			dirs[v.Name] = "/secrets/" + v.Secret.SecretName
		}
	}
	out := map[string]string{}
	for _, m := range pod.Containers[0].VolumeMounts {
		if dir, ok := dirs[m.Name]; ok {
			out[m.MountPath] = dir
		}
	}
	return out
}

func bindsOf(svc types.ServiceConfig) map[string]string {
	out := map[string]string{}
	for _, v := range svc.Volumes {
		if v.Type == types.VolumeTypeBind && v.ReadOnly {
			out[v.Target] = v.Source
		}
	}
	return out
}

// emptyDirMounts maps each emptyDir mount path of a pod's container to the
// volume's size limit in bytes.
func emptyDirMounts(pod corev1.PodSpec) map[string]int64 {
	limits := map[string]int64{}
	for _, v := range pod.Volumes {
		if v.EmptyDir != nil && v.EmptyDir.SizeLimit != nil {
			limits[v.Name] = v.EmptyDir.SizeLimit.Value()
		}
	}
	out := map[string]int64{}
	for _, m := range pod.Containers[0].VolumeMounts {
		if size, ok := limits[m.Name]; ok {
			out[m.MountPath] = size
		}
	}
	return out
}

func tmpfsOf(svc types.ServiceConfig) map[string]int64 {
	out := map[string]int64{}
	for _, v := range svc.Volumes {
		if v.Type == types.VolumeTypeTmpfs && v.Tmpfs != nil {
			out[v.Target] = int64(v.Tmpfs.Size)
		}
	}
	return out
}

// TestComposeMergesIntoMilvus merges the compose form into a Milvus compose
// file as `docker compose -f milvus.yaml -f coordinators.yaml` does: one
// project, Milvus' services and every coordinator replica on Milvus' default
// network, the project named by the coordinators' file.
func TestComposeMergesIntoMilvus(t *testing.T) {
	ch := loadChart(t)
	res := ch.Check(nil, check.Options{Render: render.Options{ReleaseName: "coord"}})
	require.NotNil(t, res.Objects)
	coordinators, err := render.Compose(res.Objects, "coord")
	require.NoError(t, err)
	milvus, err := os.ReadFile(filepath.Join("testdata", "compose-base", "milvus.yaml"))
	require.NoError(t, err)
	project, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir: t.TempDir(),
		ConfigFiles: []types.ConfigFile{
			{Filename: "milvus.yaml", Content: milvus},
			{Filename: "coordinators.yaml", Content: coordinators},
		},
		Environment: types.Mapping{"MINIO_ACCESS_KEY_ID": "a", "MINIO_SECRET_ACCESS_KEY": "b"},
	})
	require.NoError(t, err)
	assert.Equal(t, "coord", project.Name)
	assert.Equal(t, "milvus", project.Networks["default"].Name)
	for _, name := range []string{"etcd", "minio", "pulsar", "rootcoord-1", "rootcoord-2", "querycoord-1", "datacoord-2"} {
		svc, ok := project.Services[name]
		require.True(t, ok, name)
		assert.Contains(t, svc.Networks, "default", name)
	}
	// The chart's default addresses are the container names of Milvus' file.
	root := project.Services["rootcoord-1"]
	assert.Equal(t, "milvus-etcd:2379", *root.Environment["ETCD_ENDPOINTS"])
	assert.Equal(t, project.Services["etcd"].ContainerName, "milvus-etcd")
	assert.Equal(t, project.Services["minio"].ContainerName, *root.Environment["MINIO_ADDRESS"])
	assert.Equal(t, project.Services["pulsar"].ContainerName, *root.Environment["PULSAR_ADDRESS"])
}

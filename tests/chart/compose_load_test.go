package chart_test

import (
	"context"
	"fmt"
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
			}
			project, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
				WorkingDir:  t.TempDir(),
				ConfigFiles: []types.ConfigFile{{Filename: "compose.yaml", Content: out}},
				Environment: environment,
			}, func(o *loader.Options) { o.SetProjectName("coord", true) })
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

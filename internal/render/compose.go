package render

import (
	"fmt"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// The docker-compose form of the coordinators, for teams without Kubernetes.
// It is made from the rendered, checked objects, not from the values again, so
// it carries the same guarantees: the replicas of a coordinator without
// active-standby are never more than one, and every replica reads the same
// user.yaml and *_ENABLE_ACTIVE_STANDBY as the pods would.

type composeFile struct {
	Name     string                    `json:"name"`
	Services map[string]composeService `json:"services"`
	Configs  map[string]composeConfig  `json:"configs"`
}

type composeService struct {
	Image           string               `json:"image"`
	Command         []string             `json:"command"`
	Environment     map[string]string    `json:"environment"`
	Configs         []composeConfigMount `json:"configs"`
	Restart         string               `json:"restart"`
	StopGracePeriod string               `json:"stop_grace_period,omitempty"`
	Healthcheck     *composeHealthcheck  `json:"healthcheck,omitempty"`
	Labels          map[string]string    `json:"labels"`
	StopSignal      string               `json:"stop_signal"`
	DeployResources *composeDeploy       `json:"deploy,omitempty"`
	User            string               `json:"user,omitempty"`
	ReadOnly        bool                 `json:"read_only,omitempty"`
	CapAdd          []string             `json:"cap_add,omitempty"`
	CapDrop         []string             `json:"cap_drop,omitempty"`
	SecurityOpt     []string             `json:"security_opt,omitempty"`
	Volumes         []composeVolume      `json:"volumes,omitempty"`
}

// composeVolume is a tmpfs mount, the compose form of an emptyDir mount, or a
// read-only bind mount, the compose form of a Secret volume.
type composeVolume struct {
	Type     string            `json:"type"`
	Source   string            `json:"source,omitempty"`
	Target   string            `json:"target"`
	ReadOnly bool              `json:"read_only,omitempty"`
	Tmpfs    *composeTmpfsSize `json:"tmpfs,omitempty"`
}

type composeTmpfsSize struct {
	Size int64 `json:"size"`
}

type composeDeploy struct {
	Resources composeResources `json:"resources"`
}

type composeResources struct {
	Limits       map[string]string `json:"limits,omitempty"`
	Reservations map[string]string `json:"reservations,omitempty"`
}

type composeConfigMount struct {
	Source string `json:"source"`
	Target string `json:"target"`
}

type composeConfig struct {
	Content string `json:"content"`
}

type composeHealthcheck struct {
	Test        []string `json:"test"`
	Interval    string   `json:"interval"`
	Timeout     string   `json:"timeout"`
	Retries     int32    `json:"retries"`
	StartPeriod string   `json:"start_period"`
}

// Compose writes the coordinators of objs as a docker-compose file for project
// name project: one service per replica (rootcoord-1, rootcoord-2, ...), each
// with the Deployment's image, command and environment, and the user.yaml of
// its ConfigMap mounted at /milvus/configs/user.yaml. Values a Deployment reads
// from a Secret become `${NAME:?...}` interpolations: compose reads them from
// the environment or an .env file, and they are never written out. Every other
// string is written with each `$` doubled: compose interpolates the whole file,
// and the coordinators must read their values verbatim. The pod's user, group,
// read-only root filesystem, capabilities and no-privilege-escalation carry over,
// and each emptyDir mount becomes a tmpfs of the emptyDir's size limit.
func Compose(objs []Object, project string) ([]byte, error) {
	deployments, configMaps := Coordinators(objs)
	f := composeFile{Name: project, Services: map[string]composeService{}, Configs: map[string]composeConfig{}}
	for _, d := range deployments {
		role := d.Spec.Template.Labels[ComponentLabel]
		if len(d.Spec.Template.Spec.Containers) == 0 {
			continue
		}
		if err := NotCarried(d, "the compose output", true); err != nil {
			return nil, err
		}
		c := d.Spec.Template.Spec.Containers[0]
		command := make([]string, len(c.Args))
		for i, a := range c.Args {
			command[i] = escapeInterpolation(a)
		}
		svc := composeService{
			Image:       escapeInterpolation(c.Image),
			Command:     command,
			Environment: map[string]string{},
			Restart:     "unless-stopped",
			Labels:      map[string]string{"io.milvus.coord.role": escapeInterpolation(role)},
			// tini forwards SIGTERM; Milvus then revokes its session lease so
			// the standby takes over at once.
			StopSignal: "SIGTERM",
		}
		if g := d.Spec.Template.Spec.TerminationGracePeriodSeconds; g != nil {
			svc.StopGracePeriod = fmt.Sprintf("%ds", *g)
		}
		for _, e := range c.Env {
			switch {
			case e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil:
				ref := e.ValueFrom.SecretKeyRef
				svc.Environment[e.Name] = fmt.Sprintf("${%s:?set %s (key %s of Secret %s in Kubernetes)}", e.Name, e.Name, ref.Key, ref.Name)
			case e.ValueFrom != nil:
				// fieldRef and friends have no compose equivalent.
				continue
			default:
				svc.Environment[e.Name] = escapeInterpolation(e.Value)
			}
		}
		addSecurity(&svc, d.Spec.Template.Spec.SecurityContext, c.SecurityContext)
		svc.Volumes = append(tmpfsMounts(d.Spec.Template.Spec.Volumes, c.VolumeMounts), secretMounts(d.Spec.Template.Spec.Volumes, c.VolumeMounts)...)
		if cmName := configMapOf(d); cmName != "" {
			cm, ok := configMaps[cmName]
			if !ok {
				return nil, fmt.Errorf("Deployment %s mounts ConfigMap %s, which was not rendered", d.Name, cmName)
			}
			source := role + "-user-yaml"
			f.Configs[source] = composeConfig{Content: escapeInterpolation(cm.Data["user.yaml"])}
			svc.Configs = []composeConfigMount{{Source: source, Target: "/milvus/configs/user.yaml"}}
			if err := addConnectionEnv(svc.Environment, cm.Data["user.yaml"]); err != nil {
				return nil, fmt.Errorf("ConfigMap %s: %w", cmName, err)
			}
		}
		if p := c.ReadinessProbe; p != nil && p.HTTPGet != nil {
			svc.Healthcheck = &composeHealthcheck{
				Test:        []string{"CMD", "curl", "-fsS", "http://localhost:9091" + escapeInterpolation(p.HTTPGet.Path)},
				Interval:    fmt.Sprintf("%ds", max(p.PeriodSeconds, 1)),
				Timeout:     fmt.Sprintf("%ds", max(p.TimeoutSeconds, 1)),
				Retries:     max(p.FailureThreshold, 1),
				StartPeriod: "90s",
			}
		}
		if res := resources(c.Resources); res != nil {
			svc.DeployResources = &composeDeploy{Resources: *res}
		}
		replicas := int32(1)
		if d.Spec.Replicas != nil {
			replicas = *d.Spec.Replicas
		}
		for i := int32(1); i <= replicas; i++ {
			f.Services[fmt.Sprintf("%s-%d", role, i)] = svc
		}
	}
	if len(f.Services) == 0 {
		return nil, fmt.Errorf("no coordinator Deployment was rendered")
	}
	return yaml.Marshal(f)
}

// escapeInterpolation doubles every `$`, so that compose, which interpolates
// `$NAME` and `${NAME}` anywhere in the file, yields s verbatim.
func escapeInterpolation(s string) string { return strings.ReplaceAll(s, "$", "$$") }

// addSecurity carries the pod's securityContext over to svc: the user and group
// the container runs as (the container's own fields win, as in Kubernetes), a
// read-only root filesystem, capabilities, and no privilege escalation. Seccomp
// RuntimeDefault is Docker's default profile, so it needs nothing.
func addSecurity(svc *composeService, pod *corev1.PodSecurityContext, c *corev1.SecurityContext) {
	var uid, gid *int64
	if pod != nil {
		uid, gid = pod.RunAsUser, pod.RunAsGroup
	}
	if c != nil {
		if c.RunAsUser != nil {
			uid = c.RunAsUser
		}
		if c.RunAsGroup != nil {
			gid = c.RunAsGroup
		}
	}
	switch {
	case uid != nil && gid != nil:
		svc.User = fmt.Sprintf("%d:%d", *uid, *gid)
	case uid != nil:
		svc.User = fmt.Sprint(*uid)
	case gid != nil:
		// Docker takes a group only after a user; the image's user is root.
		svc.User = fmt.Sprintf("0:%d", *gid)
	}
	if c == nil {
		return
	}
	svc.ReadOnly = c.ReadOnlyRootFilesystem != nil && *c.ReadOnlyRootFilesystem
	if c.Capabilities != nil {
		for _, capability := range c.Capabilities.Add {
			svc.CapAdd = append(svc.CapAdd, string(capability))
		}
		for _, capability := range c.Capabilities.Drop {
			svc.CapDrop = append(svc.CapDrop, string(capability))
		}
	}
	if c.AllowPrivilegeEscalation != nil && !*c.AllowPrivilegeEscalation {
		svc.SecurityOpt = []string{"no-new-privileges:true"}
	}
}

// tmpfsMounts turns the container's emptyDir mounts into tmpfs mounts. An
// emptyDir's sizeLimit bounds all its mounts together; compose can only bound
// each tmpfs, so each gets the whole limit. tmpfs pages count against the
// service's memory limit, as memory-backed emptyDirs do in Kubernetes.
func tmpfsMounts(volumes []corev1.Volume, mounts []corev1.VolumeMount) []composeVolume {
	emptyDirs := map[string]*corev1.EmptyDirVolumeSource{}
	for _, v := range volumes {
		if v.EmptyDir != nil {
			emptyDirs[v.Name] = v.EmptyDir
		}
	}
	var out []composeVolume
	for _, m := range mounts {
		e, ok := emptyDirs[m.Name]
		if !ok {
			continue
		}
		t := composeVolume{Type: "tmpfs", Target: escapeInterpolation(m.MountPath)}
		if e.SizeLimit != nil && e.SizeLimit.Value() > 0 {
			t.Tmpfs = &composeTmpfsSize{Size: e.SizeLimit.Value()}
		}
		out = append(out, t)
	}
	return out
}

// SecretDirEnv is the variable a compose file reads the host directory of a
// Secret volume from: MILVUS_COORD_<VOLUME>_DIR (etcd-tls is
// MILVUS_COORD_ETCD_TLS_DIR). Like the credentials, the Secret's files are
// never written into the compose file: the user points it at them.
func SecretDirEnv(volume string) string {
	return "MILVUS_COORD_" + strings.ToUpper(strings.ReplaceAll(volume, "-", "_")) + "_DIR"
}

// secretMounts turns the container's Secret volume mounts (TLS material) into
// read-only bind mounts of a host directory named by SecretDirEnv, which
// compose requires to be set.
func secretMounts(volumes []corev1.Volume, mounts []corev1.VolumeMount) []composeVolume {
	secrets := map[string]string{}
	for _, v := range volumes {
		if v.Secret != nil {
			secrets[v.Name] = v.Secret.SecretName
		}
	}
	var out []composeVolume
	for _, m := range mounts {
		name, ok := secrets[m.Name]
		if !ok {
			continue
		}
		env := SecretDirEnv(m.Name)
		out = append(out, composeVolume{Type: "bind", ReadOnly: true, Target: escapeInterpolation(m.MountPath),
			Source: fmt.Sprintf("${%s:?set %s to a directory holding the files of Secret %s}", env, env, escapeInterpolation(name))})
	}
	return out
}

func configMapOf(d *appsv1.Deployment) string {
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.ConfigMap != nil {
			return v.ConfigMap.Name
		}
	}
	return ""
}

// addConnectionEnv sets the env vars a Milvus container reads for its
// dependencies, from the user.yaml (env wins over files in Milvus, so they
// must agree with it): ETCD_ENDPOINTS, MINIO_ADDRESS and MINIO_PORT, and
// PULSAR_ADDRESS and PULSAR_PORT or KAFKA_BROKER_LIST, escaped for compose.
func addConnectionEnv(env map[string]string, userYAML string) error {
	var cfg struct {
		Etcd struct {
			Endpoints []string `json:"endpoints"`
		} `json:"etcd"`
		Minio struct {
			Address string `json:"address"`
			Port    int    `json:"port"`
		} `json:"minio"`
		MQ struct {
			Type string `json:"type"`
		} `json:"mq"`
		Pulsar struct {
			Address string `json:"address"`
			Port    int    `json:"port"`
		} `json:"pulsar"`
		Kafka struct {
			BrokerList string `json:"brokerList"`
		} `json:"kafka"`
	}
	if err := yaml.Unmarshal([]byte(userYAML), &cfg); err != nil {
		return err
	}
	set := func(name, value string) { env[name] = escapeInterpolation(value) }
	set("ETCD_ENDPOINTS", strings.Join(cfg.Etcd.Endpoints, ","))
	set("MINIO_ADDRESS", cfg.Minio.Address)
	set("MINIO_PORT", fmt.Sprint(cfg.Minio.Port))
	if cfg.MQ.Type == "kafka" {
		set("KAFKA_BROKER_LIST", cfg.Kafka.BrokerList)
	} else {
		set("PULSAR_ADDRESS", cfg.Pulsar.Address)
		set("PULSAR_PORT", fmt.Sprint(cfg.Pulsar.Port))
	}
	return nil
}

func resources(r corev1.ResourceRequirements) *composeResources {
	convert := func(l corev1.ResourceList) map[string]string {
		if len(l) == 0 {
			return nil
		}
		out := map[string]string{}
		names := make([]string, 0, len(l))
		for n := range l {
			names = append(names, string(n))
		}
		sort.Strings(names)
		for _, n := range names {
			q := l[corev1.ResourceName(n)]
			switch corev1.ResourceName(n) {
			case corev1.ResourceCPU:
				out["cpus"] = fmt.Sprintf("%g", float64(q.MilliValue())/1000)
			case corev1.ResourceMemory:
				out["memory"] = fmt.Sprintf("%db", q.Value())
			}
		}
		return out
	}
	res := composeResources{Limits: convert(r.Limits), Reservations: convert(r.Requests)}
	if res.Limits == nil && res.Reservations == nil {
		return nil
	}
	return &res
}

// NotCarried reports what of a Deployment's pod the forms outside Kubernetes
// (form: "the compose output", "the local output") cannot carry, so that they
// refuse it rather than start Milvus without it: an init container (heaptrack's
// copies the binary the Milvus container then runs), and a mount of a volume
// other than the user.yaml ConfigMap and emptyDirs (a Secret with TLS material,
// whose files Milvus would miss), Secrets excepted when the form binds them
// from host directories (secrets: compose). The error names the values to
// change.
func NotCarried(d *appsv1.Deployment, form string, secrets bool) error {
	pod := d.Spec.Template.Spec
	block := componentBlocks[d.Spec.Template.Labels[ComponentLabel]]
	valuesPath := func(key string) string {
		if block == "" {
			return key
		}
		return block + "." + key
	}
	for _, c := range pod.InitContainers {
		if c.Name == "heaptrack" {
			return fmt.Errorf("Deployment %s runs Milvus under heaptrack, which an init container copies into the pod first; %s has no init containers, so Milvus would not start: set %s: false for %s", d.Name, form, valuesPath("heaptrack.enabled"), form)
		}
		return fmt.Errorf("Deployment %s has init container %s, which %s cannot run before Milvus: remove it for %s", d.Name, c.Name, form, form)
	}
	if len(pod.Containers) == 0 {
		return nil
	}
	volumes := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = v
	}
	config := configMapOf(d)
	for _, m := range pod.Containers[0].VolumeMounts {
		v := volumes[m.Name]
		switch {
		case v.EmptyDir != nil:
			continue
		case v.ConfigMap != nil && v.ConfigMap.Name == config && m.MountPath == "/milvus/configs/user.yaml":
			continue
		case v.Secret != nil && secrets:
			continue // a read-only bind mount of a host directory (secretMounts)
		}
		elsewhere := "a volume in a compose override file (docker compose -f coordinators.yaml -f override.yaml)"
		if strings.Contains(form, "local") {
			elsewhere = "the files at the same path on the host"
		}
		return fmt.Errorf("Deployment %s mounts %s at %s, which %s cannot carry: Milvus would miss its files; for %s remove the mount from extraVolumeMounts or %s, and provide %s",
			d.Name, volumeKind(m.Name, v), m.MountPath, form, form, valuesPath("extraVolumeMounts"), elsewhere)
	}
	return nil
}

// volumeKind names a volume and what it holds, for messages.
func volumeKind(name string, v corev1.Volume) string {
	switch {
	case v.Secret != nil:
		return fmt.Sprintf("volume %s (Secret %s)", name, v.Secret.SecretName)
	case v.ConfigMap != nil:
		return fmt.Sprintf("volume %s (ConfigMap %s)", name, v.ConfigMap.Name)
	case v.PersistentVolumeClaim != nil:
		return fmt.Sprintf("volume %s (PersistentVolumeClaim %s)", name, v.PersistentVolumeClaim.ClaimName)
	case v.HostPath != nil:
		return fmt.Sprintf("volume %s (hostPath %s)", name, v.HostPath.Path)
	case v.Projected != nil:
		return fmt.Sprintf("volume %s (projected)", name)
	}
	return "volume " + name
}

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
// the environment or an .env file, and they are never written out.
func Compose(objs []Object, project string) ([]byte, error) {
	configMaps := map[string]*corev1.ConfigMap{}
	var deployments []*appsv1.Deployment
	for _, o := range objs {
		switch obj := o.Object.(type) {
		case *corev1.ConfigMap:
			configMaps[obj.Name] = obj
		case *appsv1.Deployment:
			deployments = append(deployments, obj)
		}
	}
	f := composeFile{Name: project, Services: map[string]composeService{}, Configs: map[string]composeConfig{}}
	for _, d := range deployments {
		role := d.Spec.Template.Labels[componentLabel]
		if _, ok := valuesKey[role]; !ok || len(d.Spec.Template.Spec.Containers) == 0 {
			continue
		}
		c := d.Spec.Template.Spec.Containers[0]
		svc := composeService{
			Image:       c.Image,
			Command:     c.Args,
			Environment: map[string]string{},
			Restart:     "unless-stopped",
			Labels:      map[string]string{"io.milvus.coord.role": role},
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
				svc.Environment[e.Name] = e.Value
			}
		}
		if cmName := configMapOf(d); cmName != "" {
			cm, ok := configMaps[cmName]
			if !ok {
				return nil, fmt.Errorf("Deployment %s mounts ConfigMap %s, which was not rendered", d.Name, cmName)
			}
			source := role + "-user-yaml"
			f.Configs[source] = composeConfig{Content: cm.Data["user.yaml"]}
			svc.Configs = []composeConfigMount{{Source: source, Target: "/milvus/configs/user.yaml"}}
			if err := addConnectionEnv(svc.Environment, cm.Data["user.yaml"]); err != nil {
				return nil, fmt.Errorf("ConfigMap %s: %w", cmName, err)
			}
		}
		if p := c.ReadinessProbe; p != nil && p.HTTPGet != nil {
			svc.Healthcheck = &composeHealthcheck{
				Test:        []string{"CMD", "curl", "-fsS", "http://localhost:9091" + p.HTTPGet.Path},
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
// PULSAR_ADDRESS and PULSAR_PORT or KAFKA_BROKER_LIST.
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
	env["ETCD_ENDPOINTS"] = strings.Join(cfg.Etcd.Endpoints, ",")
	env["MINIO_ADDRESS"] = cfg.Minio.Address
	env["MINIO_PORT"] = fmt.Sprint(cfg.Minio.Port)
	if cfg.MQ.Type == "kafka" {
		env["KAFKA_BROKER_LIST"] = cfg.Kafka.BrokerList
	} else {
		env["PULSAR_ADDRESS"] = cfg.Pulsar.Address
		env["PULSAR_PORT"] = fmt.Sprint(cfg.Pulsar.Port)
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

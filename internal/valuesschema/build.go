package valuesschema

import (
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/milvus-coord/milvus-coord/internal/coord"
)

// Coordinator describes one coordinator values block.
type Coordinator struct {
	Key        string // values key, e.g. rootCoordinator
	Role       string // Milvus role or roles it runs, for descriptions
	ConfigKey  string // Milvus config section of enableActiveStandby, for descriptions
	Port       int    // default gRPC port
	Separate   bool   // a separate coordinator (not mixCoordinator)
	portDetail string
	// replicasDetail qualifies "more than one replica requires activeStandby".
	replicasDetail string
}

// portSchema is the block's service.port: a port; mixCoordinator's may be
// null, for the port the image's Milvus ships.
func (c Coordinator) portSchema() *Schema {
	if c.Separate {
		return port("gRPC port, on the container and the Service.")
	}
	s := port("gRPC port of mixcoord" + c.portDetail)
	s.Type = []string{"integer", "null"}
	return s
}

// Coordinators are the chart's coordinator blocks, in render order, from the
// coordinator table of internal/coord.
var Coordinators = func() []Coordinator {
	var out []Coordinator
	for _, r := range coord.Required {
		out = append(out, Coordinator{Key: r.ValuesKey, Role: r.Name, ConfigKey: r.Section, Port: r.DefaultPort, Separate: true})
	}
	return append(out, Coordinator{Key: coord.MixcoordValuesKey, Role: coord.MixcoordName,
		ConfigKey: "rootCoord, queryCoord and dataCoord", Port: coord.RootCoord.DefaultPort,
		portDetail: " (rootCoord.port), on the container and the Service; null for the port the image's Milvus " +
			"ships (22125 from 2.6.8, 53100 before). 2.6 mixcoord listens on it alone; a 2.4/2.5 mixture also on " +
			"queryCoordinator.service.port and dataCoordinator.service.port.",
		replicasDetail: " before Milvus 2.6.8 (from 2.6.8 mixcoord is always active-standby)"})
}()

// roles is the subject of a coordinator's rule entries, as the rules name it:
// the roles the block serves.
func (c Coordinator) roles() string {
	if c.Separate {
		return c.Role
	}
	names := make([]string, len(coord.Required))
	for i, r := range coord.Required {
		names[i] = r.Name
	}
	return strings.Join(names, ", ")
}

// Build returns the chart's values schema. defaults, the chart's parsed
// values.yaml, supplies the "default" of every property it sets.
func Build(defaults map[string]any) *Schema {
	kube := newKubeTypes()
	props := map[string]*Schema{
		"nameOverride":     dnsLabel("Override the chart name in resource names (a DNS label: lower-case letters, digits, '-')."),
		"fullnameOverride": dnsLabel("Override the full resource name prefix, release name and chart name (a DNS label: lower-case letters, digits, '-')."),
		"image": object("Container image.", map[string]*Schema{
			"all": object("The Milvus image every coordinator runs.", map[string]*Schema{
				"repository": nonEmpty("Milvus image repository."),
				"tag": nonEmpty("Milvus image tag, a string (quote versions such as \"2.4\"). " +
					"Its version selects the coordinator commands: 2.6 and later only have mixcoord."),
				"pullPolicy": enum("Image pull policy.", "Always", "IfNotPresent", "Never"),
				"digest": {Description: "Image digest (sha256:<64 hex>) that pins the image: the reference becomes " +
					"repository:tag@digest, while labels and the version rules keep reading the tag. Empty for none.",
					Type: "string", Pattern: `^(sha256:[a-f0-9]{64})?$`},
			}),
			"pullSecrets": kube.schema([]corev1.LocalObjectReference{}, "Image pull secrets (`- name: regcred`)."),
		}),
		"milvus": object("Milvus configuration the chart owns, written to the user.yaml of every coordinator.", map[string]*Schema{
			"etcd": object("Milvus etcd settings.", map[string]*Schema{
				"rootPath": nonEmpty("etcd.rootPath: the key prefix of this Milvus instance in etcd; " +
					"coordinator sessions live under <rootPath>/meta/session/. Must match the rest of the cluster."),
			}),
			"session": object("Coordinator sessions in etcd.", map[string]*Schema{
				"ttl": integer("common.session.ttl in seconds: the lease of every coordinator session. "+
					"After a crash the standby takes over once it expires.", 1, 3600),
			}),
			"streaming": object("Milvus 2.5's streaming service.", map[string]*Schema{
				"enabled": boolean("Set MILVUS_STREAMING_SERVICE_ENABLED=1 on every coordinator (Milvus 2.5 only; it must match the rest of the cluster)."),
			}),
			"gracefulStopTimeout": integer("<role>.gracefulStopTimeout in seconds, for every role a pod stops "+
				"(2.6 mixcoord: rootCoord's): how long a coordinator may take to stop before Milvus exits without "+
				"revoking its session. Must exceed grpc.gracefulStopTimeout (10 s up to 2.5.4, 3 s later). Pods get "+
				"the sum over the roles they stop plus 30 s (terminationGracePeriodSeconds).", 1, 86400),
			"extraConfig": {
				Description: "Extra Milvus configuration merged over the generated user.yaml. It is Milvus' own " +
					"namespace, so any key is accepted; `<coord>.enableActiveStandby` must be a boolean equal to " +
					"the block's activeStandby.enabled.",
				Type: "object",
				Properties: map[string]*Schema{
					"rootCoord":  extraCoordConfig("rootCoord"),
					"queryCoord": extraCoordConfig("queryCoord"),
					"dataCoord":  extraCoordConfig("dataCoord"),
				},
			},
		}),
		"extraConfigFiles": object("Upstream-compatible extra config files.", map[string]*Schema{
			"user.yaml": str("Milvus user.yaml text, merged over the generated user.yaml before milvus.extraConfig."),
		}),
		"externalEtcd": object("The etcd the Milvus cluster uses.", map[string]*Schema{
			"enabled": alwaysTrue("Always true: the coordinators use an existing etcd. Kept for compatibility with the upstream chart."),
			"endpoints": {
				Description: "etcd endpoints (host:port), the ones the rest of the Milvus cluster uses.",
				Type:        "array",
				MinItems:    ptr(1),
				Items: &Schema{
					Description: "An etcd endpoint, host:port.",
					Type:        "string",
					Pattern:     `^(https?://)?[^\s,/]+:[0-9]{1,5}$`,
				},
			},
			"auth": object("etcd authentication (etcd.auth.*); must match the rest of the cluster.", map[string]*Schema{
				"enabled":        boolean("etcd.auth.enabled: log in to etcd."),
				"userName":       str("etcd.auth.userName."),
				"password":       str("etcd.auth.password, stored in a chart-made Secret (env ETCD_AUTH_PASSWORD). Ignored when existingSecret is set."),
				"existingSecret": str("An existing Secret with key etcdpassword; the chart then makes none for etcd."),
			}),
			"tls": object("etcd over TLS (etcd.ssl.*); must match the rest of the cluster.", map[string]*Schema{
				"secretName": dnsSubdomain("An existing Secret with keys tls.crt, tls.key and ca.crt, mounted at /milvus/tls/etcd/; empty for plain connections."),
				"minVersion": enum("etcd.ssl.tlsMinVersion.", "1.0", "1.1", "1.2", "1.3"),
			}),
		}),
		"externalS3": object("The object storage the Milvus cluster uses (minio.* in user.yaml).", map[string]*Schema{
			"enabled":        alwaysTrue("Always true: the coordinators use an existing object storage. Kept for compatibility with the upstream chart."),
			"host":           nonEmpty("minio.address: object storage host."),
			"port":           port("minio.port: object storage port."),
			"bucketName":     nonEmpty("minio.bucketName."),
			"rootPath":       str("minio.rootPath: key prefix inside the bucket."),
			"useSSL":         boolean("minio.useSSL: reach the object storage over TLS."),
			"useIAM":         boolean("minio.useIAM: use IAM credentials instead of access keys."),
			"cloudProvider":  enum("minio.cloudProvider.", "aws", "gcp", "aliyun", "azure", "gcpnative", "tencent"),
			"iamEndpoint":    str("minio.iamEndpoint; empty for the provider's default."),
			"region":         str("minio.region; empty for the provider's default."),
			"useVirtualHost": boolean("minio.useVirtualHost: virtual-host-style bucket addressing."),
			"accessKey":      str("Access key, stored in a chart-made Secret. Ignored when existingSecret is set."),
			"secretKey":      str("Secret key, stored in a chart-made Secret. Ignored when existingSecret is set."),
			"existingSecret": str("An existing Secret with keys accesskey and secretkey; the chart then makes none for S3."),
			"tls": object("Object storage TLS.", map[string]*Schema{
				"caSecretName": dnsSubdomain("An existing Secret with key ca.crt, mounted at /milvus/tls/s3/ca.crt (minio.ssl.tlsCACert); empty for the system CAs."),
			}),
		}),
		"externalPulsar": object("Pulsar as the message queue.", map[string]*Schema{
			"enabled":        boolean("Use Pulsar (mq.type: pulsar). Exactly one of externalPulsar and externalKafka is enabled."),
			"host":           nonEmpty("pulsar.address: broker host."),
			"port":           port("pulsar.port: broker port."),
			"webport":        port("pulsar.webport: the Pulsar admin (HTTP) port datacoord calls."),
			"maxMessageSize": integer("pulsar.maxMessageSize in bytes.", 1, 1<<31-1),
			"tenant":         nonEmpty("pulsar.tenant."),
			"namespace":      nonEmpty("pulsar.namespace."),
			"authPlugin":     str("pulsar.authPlugin; empty for none."),
			"authParams":     str("pulsar.authParams as key:value[,key:value] pairs, stored in a chart-made Secret. Ignored when existingSecret is set."),
			"existingSecret": str("An existing Secret with key authparams; the chart then makes none for Pulsar."),
		}),
		"externalKafka": object("Kafka as the message queue.", map[string]*Schema{
			"enabled":          boolean("Use Kafka (mq.type: kafka). Exactly one of externalPulsar and externalKafka is enabled."),
			"brokerList":       str("kafka.brokerList: bootstrap servers, comma separated."),
			"securityProtocol": enum("kafka.securityProtocol.", "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
			"sasl": object("SASL authentication.", map[string]*Schema{
				"mechanisms": enum("kafka.saslMechanisms.", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "GSSAPI", "OAUTHBEARER"),
				"username":   str("kafka.saslUsername."),
				"password":   str("kafka.saslPassword, stored in a chart-made Secret. Ignored when existingSecret is set."),
			}),
			"existingSecret": str("An existing Secret with key saslpassword; the chart then makes none for Kafka."),
		}),
		"podAntiAffinity": object("Pod anti-affinity for coordinators with more than one replica.", map[string]*Schema{
			"mode": enum("soft (preferred), hard (required: a replica stays Pending rather than share a node) "+
				"or none (replicas may share a node, which is not HA).", "soft", "hard", "none"),
			"topologyKey": nonEmpty("Node label the replicas spread across (kubernetes.io/hostname, topology.kubernetes.io/zone)."),
		}),
		"podDisruptionBudget": object("PodDisruptionBudgets.", map[string]*Schema{
			"enabled": boolean("A PodDisruptionBudget (maxUnavailable 1) for every coordinator with more than one replica."),
		}),
		"minReadySeconds": integer("Seconds a new active-standby pod must be Ready before the rollout goes on.", 0, 3600),
		"startupProbe":    probe("TCP startup probe on the metrics port 9091."),
		"livenessProbe":   probe("TCP liveness probe on the metrics port 9091."),
		"readinessProbe":  probe("HTTP readiness probe on /healthz of the metrics port 9091 (a STANDBY coordinator is Ready too)."),
		"serviceAccount": object("The coordinators' ServiceAccount (no API token is mounted).", map[string]*Schema{
			"create":      boolean("Make a ServiceAccount."),
			"name":        str("ServiceAccount name; empty for the release's full name."),
			"annotations": stringMap("ServiceAccount annotations."),
		}),
		"networkPolicy": object("An ingress NetworkPolicy for the coordinators.", map[string]*Schema{
			"enabled":           boolean("Make the NetworkPolicy (on by default; off leaves the coordinator ports open to every pod that can route to them)."),
			"milvusPodSelector": kube.schema(metav1.LabelSelector{}, "Pods of the release namespace that may reach the coordinator gRPC ports; {} admits every pod of the namespace."),
			"metrics": object("Who may scrape the metrics port 9091.", map[string]*Schema{
				"namespaceSelector": kube.schema(metav1.LabelSelector{}, "Namespaces whose pods may scrape the metrics port; {} admits every namespace."),
			}),
		}),
		"securityContext": kube.schema(corev1.PodSecurityContext{}, "Default pod securityContext of every coordinator; "+
			"the default (UID 1000 in group 0, runAsNonRoot, seccomp RuntimeDefault) meets the restricted Pod Security level."),
		"containerSecurityContext": kube.schema(corev1.SecurityContext{}, "Default container securityContext of every coordinator; "+
			"the default (read-only root filesystem, no privilege escalation, all capabilities dropped) meets the restricted Pod Security level."),
		"emptyDir": object("The emptyDir volume mounted at every path a coordinator writes (/run/milvus, /tmp, "+
			"localStorage.path, log.file.rootPath), so that the root filesystem can be read-only.", map[string]*Schema{
			"sizeLimit": kube.schema(resource.Quantity{}, "Size limit of the volume; the kubelet evicts a pod whose volume grows past it."),
		}),
		"extraVolumes": kube.schema([]corev1.Volume{}, "Volumes added to every coordinator pod, before a coordinator's own extraVolumes. "+
			"Names must differ from each other and from the chart's volumes (config, writable, heaptrack)."),
		"extraVolumeMounts": kube.schema([]corev1.VolumeMount{}, "Mounts added to the Milvus container of every coordinator, "+
			"before a coordinator's own extraVolumeMounts; each names a volume of extraVolumes."),
		"podLabels": stringMap("Labels added to every coordinator pod; a coordinator's podLabels are merged over them. " +
			"The selector labels (app.kubernetes.io/name, instance, component) are refused."),
		"priorityClassName": dnsSubdomain("PriorityClass of every coordinator pod; a coordinator's own replaces it. Empty for the cluster's default."),
		"heaptrack": object("heaptrack, for coordinators whose heaptrack.enabled is true (debugging only, never for production).", map[string]*Schema{
			"image": object("The image whose /opt/heaptrack an init container copies into the pod.", map[string]*Schema{
				"repository": nonEmpty("heaptrack image repository."),
				"tag":        nonEmpty("heaptrack image tag."),
				"pullPolicy": enum("Image pull policy.", "Always", "IfNotPresent", "Never"),
				"digest": {Description: "Image digest (sha256:<64 hex>) that pins the image: the reference becomes " +
					"repository:tag@digest. Empty for none.", Type: "string", Pattern: `^(sha256:[a-f0-9]{64})?$`},
			}),
			"resources": kube.schema(corev1.ResourceRequirements{}, "Resources of the init container that copies heaptrack."),
			"sizeLimit": kube.schema(resource.Quantity{}, "Size limit of the /milvus/tools emptyDir (heaptrack and its trace)."),
		}),
	}
	for _, c := range Coordinators {
		props[c.Key] = coordinator(kube, c)
	}
	root := object("Values of the milvus-coord chart: Milvus coordinators with active-standby high availability.", props)
	root.SchemaURI = "http://json-schema.org/draft-07/schema#"
	root.Title = "milvus-coord values"
	root.AllOf = ruleEntries()
	root.Definitions = kube.definitions
	setDefaults(root, defaults)
	return root
}

func coordinator(kube *kubeTypes, c Coordinator) *Schema {
	what := "Deploy " + c.Role + "."
	if !c.Separate {
		what = "Deploy rootcoord, querycoord and datacoord in one pod (mixcoord). Never together with a separate coordinator."
	}
	s := object("The "+c.Role+" coordinator.", map[string]*Schema{
		"enabled":  boolean(what),
		"replicas": integer("Number of pods. More than one requires activeStandby.enabled: true"+c.replicasDetail+".", 0, 100),
		"activeStandby": object("Active-standby mode.", map[string]*Schema{
			"enabled": boolean("Active-standby (" + c.ConfigKey + ".enableActiveStandby): replicas elect one ACTIVE " +
				"through etcd, the others wait as STANDBY and take over when it goes."),
		}),
		"resources":                 kube.schema(corev1.ResourceRequirements{}, "Container resources."),
		"nodeSelector":              stringMap("Node labels the pods must match."),
		"affinity":                  kube.schema(corev1.Affinity{}, "Pod affinity; a podAntiAffinity here replaces the chart's."),
		"tolerations":               kube.schema([]corev1.Toleration{}, "Pod tolerations."),
		"topologySpreadConstraints": kube.schema([]corev1.TopologySpreadConstraint{}, "Pod topology spread constraints."),
		"extraEnv":                  kube.schema([]corev1.EnvVar{}, "Extra container environment variables."),
		"annotations":               stringMap("Pod annotations."),
		"strategy":                  strategy(),
		"securityContext":           kube.schema(corev1.PodSecurityContext{}, "Pod securityContext; empty for the global securityContext."),
		"containerSecurityContext":  kube.schema(corev1.SecurityContext{}, "Container securityContext; empty for the global containerSecurityContext."),
		"heaptrack": object("heaptrack (debugging only, never for production).", map[string]*Schema{
			"enabled": boolean("Run " + c.Role + " under heaptrack: an init container copies it from heaptrack.image, the args start with it."),
		}),
		"profiling": object("Continuous profiling with Pyroscope.", map[string]*Schema{
			"enabled": boolean("Pyroscope annotations on the pods (pyroscope.io/scrape, application-name, port 9091)."),
		}),
		"podLabels":         stringMap("Pod labels, merged over the top-level podLabels; the selector labels are refused."),
		"priorityClassName": dnsSubdomain("PriorityClass of the pods; empty for the top-level priorityClassName."),
		"extraVolumes":      kube.schema([]corev1.Volume{}, "Volumes of the pods, after the top-level extraVolumes."),
		"extraVolumeMounts": kube.schema([]corev1.VolumeMount{}, "Mounts of the Milvus container, after the top-level extraVolumeMounts."),
		"service": object("The coordinator's Service (metrics and debugging; peers find the ACTIVE coordinator through etcd).", map[string]*Schema{
			"port":        c.portSchema(),
			"annotations": stringMap("Service annotations."),
			"labels":      stringMap("Service labels."),
		}),
	})
	return s
}

// ruleEntries are the HA rules the schema can say, so that Helm, helm lint and
// editors refuse them too. Each is a root allOf entry whose $comment names the
// valuescheck rule and subject of the same finding ("rule <id> <subject>"),
// which is how valuescheck knows that Helm refuses it.
func ruleEntries() []*Schema {
	entry := func(id, subject string, s *Schema) *Schema {
		s.Comment = "rule " + id + " " + subject
		return s
	}
	var out []*Schema
	for _, c := range Coordinators {
		if !c.Separate {
			// mixcoord is always active-standby from Milvus 2.6.8, which a
			// schema cannot tell: its two entries are guards of validate.yaml.
			continue
		}
		out = append(out,
			entry("ha-replicas-need-standby", c.roles(), replicasNeedStandby(c.Key)),
			entry("non-ha-rolling-update", c.roles(), nonHAIsRecreate(c.Key)))
	}
	for _, c := range Coordinators {
		if c.Separate {
			out = append(out, entry("mixcoord-exclusive", c.Role, mixCoordinatorExclusive(c.Key)))
		}
	}
	out = append(out,
		entry("coordinators-incomplete", "all", someCoordinator()),
		entry("message-queue", "queue", oneMessageQueue()),
		entry("message-queue", "kafka-brokers", kafkaBrokers()),
		entry("etcd-auth-incomplete", "etcd-auth@externalEtcd.auth.enabled", etcdAuthComplete()))
	return out
}

// block is a schema of the values block key with props, all required.
func block(key string, props map[string]*Schema) *Schema {
	required := slices.Sorted(maps.Keys(props))
	return &Schema{Properties: map[string]*Schema{key: {Properties: props, Required: required}}, Required: []string{key}}
}

// replicasNeedStandby: an enabled coordinator with replicas > 1 must run
// active-standby; otherwise the second pod crash-loops on the session key.
func replicasNeedStandby(key string) *Schema {
	return &Schema{
		If: block(key, map[string]*Schema{"enabled": {Const: true}, "replicas": {Minimum: ptr(2.0)}}),
		Then: block(key, map[string]*Schema{"activeStandby": {
			Properties: map[string]*Schema{"enabled": {Const: true}},
			Required:   []string{"enabled"},
		}}),
	}
}

// nonHAIsRecreate: without active-standby two pods must never overlap, so an
// enabled coordinator's strategy can only be Recreate, with no rollingUpdate.
func nonHAIsRecreate(key string) *Schema {
	return &Schema{
		If: block(key, map[string]*Schema{"enabled": {Const: true}, "activeStandby": {
			Properties: map[string]*Schema{"enabled": {Const: false}},
			Required:   []string{"enabled"},
		}}),
		Then: &Schema{Properties: map[string]*Schema{key: {Properties: map[string]*Schema{"strategy": {
			Properties: map[string]*Schema{"type": {Const: "Recreate"}},
			Not:        &Schema{Required: []string{"rollingUpdate"}},
		}}}}},
	}
}

// mixCoordinatorExclusive: mixcoord registers the same roles as the separate
// coordinator key, so they never run together.
func mixCoordinatorExclusive(key string) *Schema {
	return &Schema{
		If:   block(coord.MixcoordValuesKey, map[string]*Schema{"enabled": {Const: true}}),
		Then: &Schema{Properties: map[string]*Schema{key: {Properties: map[string]*Schema{"enabled": {Const: false}}}}},
	}
}

// someCoordinator: at least one coordinator block is enabled.
func someCoordinator() *Schema {
	s := &Schema{}
	for _, c := range Coordinators {
		s.AnyOf = append(s.AnyOf, block(c.Key, map[string]*Schema{"enabled": {Const: true}}))
	}
	return s
}

// kafkaBrokers: Kafka needs its bootstrap servers.
func kafkaBrokers() *Schema {
	return &Schema{
		If: block("externalKafka", map[string]*Schema{"enabled": {Const: true}}),
		Then: &Schema{Properties: map[string]*Schema{"externalKafka": {
			Properties: map[string]*Schema{"brokerList": {MinLength: ptr(1)}}}}},
	}
}

// etcdAuthComplete: etcd authentication needs a user name and a password
// (its own, or an existing Secret's).
func etcdAuthComplete() *Schema {
	auth := func(props map[string]*Schema, required ...string) *Schema {
		return &Schema{Properties: map[string]*Schema{"externalEtcd": {Properties: map[string]*Schema{
			"auth": {Properties: props, Required: required}}}}}
	}
	return &Schema{
		If: auth(map[string]*Schema{"enabled": {Const: true}}, "enabled"),
		Then: &Schema{AllOf: []*Schema{
			auth(map[string]*Schema{"userName": {MinLength: ptr(1)}}),
			{AnyOf: []*Schema{
				auth(map[string]*Schema{"password": {MinLength: ptr(1)}}),
				auth(map[string]*Schema{"existingSecret": {MinLength: ptr(1)}}),
			}},
		}},
	}
}

// oneMessageQueue: exactly one of Pulsar and Kafka.
func oneMessageQueue() *Schema {
	pulsar := func(enabled bool) *Schema {
		return &Schema{Properties: map[string]*Schema{"externalPulsar": {
			Properties: map[string]*Schema{"enabled": {Const: enabled}},
		}}}
	}
	return &Schema{
		If:   block("externalKafka", map[string]*Schema{"enabled": {Const: true}}),
		Then: pulsar(false),
		Else: pulsar(true),
	}
}

func strategy() *Schema {
	s := object("Deployment strategy, merged over the chart's (RollingUpdate maxSurge 1 maxUnavailable 0 with "+
		"active-standby; Recreate without, where it must stay Recreate).", map[string]*Schema{
		"type": enum("Strategy type.", "RollingUpdate", "Recreate"),
		"rollingUpdate": object("Rolling update parameters (RollingUpdate only).", map[string]*Schema{
			"maxSurge":       intOrPercent("Pods created above replicas during a rollout."),
			"maxUnavailable": intOrPercent("Pods that may be unavailable during a rollout."),
		}),
	})
	s.If = &Schema{Properties: map[string]*Schema{"type": {Const: "Recreate"}}, Required: []string{"type"}}
	s.Then = &Schema{Not: &Schema{Required: []string{"rollingUpdate"}}}
	return s
}

func extraCoordConfig(section string) *Schema {
	return &Schema{
		Description: section + " settings.",
		Type:        "object",
		Properties: map[string]*Schema{
			"enableActiveStandby": boolean(section + ".enableActiveStandby; set it through the block's activeStandby.enabled instead."),
		},
	}
}

func probe(description string) *Schema {
	return object(description, map[string]*Schema{
		"enabled":          boolean("Run the probe."),
		"periodSeconds":    integer("Seconds between probes.", 1, 3600),
		"timeoutSeconds":   integer("Seconds before a probe times out.", 1, 3600),
		"failureThreshold": integer("Failures in a row that count as failed.", 1, 1000),
	})
}

func object(description string, props map[string]*Schema) *Schema {
	return &Schema{Description: description, Type: "object", Properties: props, AdditionalProperties: false}
}

func str(description string) *Schema { return &Schema{Description: description, Type: "string"} }

// dnsLabel is a string that can prefix Kubernetes object names and label values.
func dnsLabel(description string) *Schema {
	return &Schema{Description: description, Type: "string", Pattern: `^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)?$`}
}

// dnsSubdomain is a string that may name a Kubernetes object such as a
// PriorityClass, or is empty.
func dnsSubdomain(description string) *Schema {
	return &Schema{Description: description, Type: "string",
		Pattern: `^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$`}
}

func nonEmpty(description string) *Schema {
	return &Schema{Description: description, Type: "string", MinLength: ptr(1)}
}

func boolean(description string) *Schema { return &Schema{Description: description, Type: "boolean"} }

func alwaysTrue(description string) *Schema {
	return &Schema{Description: description, Type: "boolean", Const: true}
}

func integer(description string, minimum, maximum float64) *Schema {
	return &Schema{Description: description, Type: "integer", Minimum: &minimum, Maximum: &maximum}
}

func port(description string) *Schema { return integer(description, 1, 65535) }

func enum(description string, values ...any) *Schema {
	return &Schema{Description: description, Type: "string", Enum: values}
}

func stringMap(description string) *Schema {
	return &Schema{Description: description, Type: "object", AdditionalProperties: &Schema{Type: "string"}}
}

func intOrPercent(description string) *Schema {
	return &Schema{Description: description, Type: []string{"integer", "string"}, Pattern: `^[0-9]+%$`, Minimum: ptr(0.0)}
}

func ptr[T any](v T) *T { return &v }

// setDefaults records the chart's default values on the properties they set,
// and makes required every default the templates cannot do without: a scalar,
// or a chart-owned object holding one. Helm validates values after coalescing
// them with the defaults, so only a user's `null` (which deletes a key) can
// break it: `--set image.all.tag=null` would render "milvusdb/milvus:<nil>".
// Kubernetes objects, lists and maps stay optional: null means "none".
func setDefaults(s *Schema, defaults map[string]any) {
	keys := slices.Sorted(maps.Keys(defaults))
	for _, key := range keys {
		p := s.Property(key)
		if p == nil {
			continue
		}
		switch value := defaults[key].(type) {
		case map[string]any:
			if len(p.Properties) == 0 {
				p.Default = value
				continue
			}
			setDefaults(p, value)
			if len(p.Required) > 0 {
				s.Required = append(s.Required, key)
			}
		case []any:
			p.Default = value
		case nil:
			// null: the templates compute it (mixCoordinator.service.port).
		default:
			p.Default = value
			s.Required = append(s.Required, key)
		}
	}
}

package coord

// Credential is a Milvus config key that holds a secret (read in the Milvus
// source, pkg/util/paramtable/service_param.go and component_param.go). This
// table is the one place that names them, the env var the chart (or a user)
// sets from a Secret for each, and the values that take it from one.
type Credential struct {
	Key string // Milvus config key: minio.secretAccessKey
	// Values is this chart's values key that takes the secret into a
	// chart-made Secret, and Secret the one that names an existing Secret
	// instead; both empty when the chart has none (the user then sets Env
	// from a Secret in every coordinator's extraEnv).
	Values, Secret string
}

// Credentials are the secrets Milvus reads from its config. A config file is
// a ConfigMap on Kubernetes, readable by anyone who may read ConfigMaps, and
// Milvus reads env over files: where the chart sets the env var from a Secret,
// a file's value is also silently overridden.
var Credentials = []Credential{
	{Key: "minio.accessKeyID", Values: "externalS3.accessKey", Secret: "externalS3.existingSecret"},
	{Key: "minio.secretAccessKey", Values: "externalS3.secretKey", Secret: "externalS3.existingSecret"},
	{Key: "minio.gcpCredentialJSON"},
	{Key: "etcd.auth.password", Values: "externalEtcd.auth.password", Secret: "externalEtcd.auth.existingSecret"},
	{Key: "kafka.saslPassword", Values: "externalKafka.sasl.password", Secret: "externalKafka.existingSecret"},
	{Key: "kafka.ssl.tlsKeyPassword"},
	{Key: "pulsar.authParams", Values: "externalPulsar.authParams", Secret: "externalPulsar.existingSecret"},
	{Key: "common.security.defaultRootPassword"},
}

// CredentialFor returns the credential whose key normalises to norm.
func CredentialFor(norm string) (Credential, bool) {
	for _, c := range Credentials {
		if NormalizeKey(c.Key) == norm {
			return c, true
		}
	}
	return Credential{}, false
}

// Env is the env var Milvus reads for the credential.
func (c Credential) Env() string { return EnvName(c.Key) }

// Config keys the credential and queue rules read.
const (
	MQTypeKey           = "mq.type"
	KafkaSASLUserKey    = "kafka.saslUsername"
	KafkaSASLPassKey    = "kafka.saslPassword"
	PulsarAuthParamsKey = "pulsar.authParams"
	EtcdAuthKey         = "etcd.auth.enabled"
	EtcdAuthUserKey     = "etcd.auth.userName"
	EtcdAuthPassKey     = "etcd.auth.password"
	// StreamingEnv is Milvus 2.5's switch of the streaming service, read
	// from the environment alone (internal/util/streamingutil/env.go:
	// os.Getenv(...) == "1"); no config key maps to it.
	StreamingEnv = "MILVUS_STREAMING_SERVICE_ENABLED"
)

// ClusterShared are the settings every Milvus pod of one cluster must read
// alike, coordinators included: where two coordinators read them otherwise,
// one of them talks to another etcd prefix, bucket, queue or channel set
// than the rest, or judges privileges otherwise (rootcoord filters
// ListDatabases and ShowCollections by common.security.authorizationEnabled).
var ClusterShared = []string{
	"etcd.endpoints", "etcd.rootPath", "etcd.auth.enabled", "etcd.auth.userName", "etcd.ssl.enabled",
	"minio.address", "minio.bucketName", "minio.rootPath", "minio.useSSL",
	MQTypeKey, "msgChannel.chanNamePrefix.cluster", "common.security.authorizationEnabled",
	StreamingEnv,
}

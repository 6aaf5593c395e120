{{/*
milvus-coord.name: the chart name (or nameOverride), cut to 63 characters.
*/}}
{{- define "milvus-coord.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
milvus-coord.fullname: the prefix of every resource name, cut to 63 characters.
*/}}
{{- define "milvus-coord.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
milvus-coord.chart: chart name and version for the helm.sh/chart label.
*/}}
{{- define "milvus-coord.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
milvus-coord.selectorLabels: labels that select the pods of the release; with a
component ("c" in the dict) they select that component's pods only. Selectors are
immutable on Deployments, so these never carry versions.
Takes (dict "root" $ "c" $component) or (dict "root" $).
*/}}
{{- define "milvus-coord.selectorLabels" -}}
app.kubernetes.io/name: {{ include "milvus-coord.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .c }}
app.kubernetes.io/component: {{ .role }}
{{- end }}
{{- end }}

{{/*
milvus-coord.labels: selector labels plus the descriptive ones.
Takes (dict "root" $ "c" $component) or (dict "root" $).
*/}}
{{- define "milvus-coord.labels" -}}
{{ include "milvus-coord.selectorLabels" . }}
app.kubernetes.io/version: {{ include "milvus-coord.versionLabel" .root | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: milvus
helm.sh/chart: {{ include "milvus-coord.chart" .root }}
{{- end }}

{{/*
milvus-coord.componentName: resource name of one component, "<fullname>-<role>",
with the prefix cut so the whole stays within 63 characters.
Takes (dict "root" $ "c" $component).
*/}}
{{- define "milvus-coord.componentName" -}}
{{- $max := sub 62 (len .c.role) | int }}
{{- printf "%s-%s" (include "milvus-coord.fullname" .root | trunc $max | trimSuffix "-") .c.role }}
{{- end }}

{{/*
milvus-coord.serviceAccountName: the ServiceAccount the pods run as.
*/}}
{{- define "milvus-coord.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "milvus-coord.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
milvus-coord.roles: every Milvus coordinator role with its config section, the
prefix of its environment variables and the values block that sets its port,
as JSON (read with fromJson: much cheaper than a YAML round trip).
*/}}
{{- define "milvus-coord.roles" -}}
{"rootcoord": {"configKey": "rootCoord", "env": "ROOT_COORD", "block": "rootCoordinator"},
 "querycoord": {"configKey": "queryCoord", "env": "QUERY_COORD", "block": "queryCoordinator"},
 "datacoord": {"configKey": "dataCoord", "env": "DATA_COORD", "block": "dataCoordinator"}}
{{- end }}

{{/*
milvus-coord.versionLabel: the image tag as a label value: a digest after "@" is
left out (it is in image.all.digest or the image reference), any character a
label value may not hold becomes "_", and the value is cut to 63 characters and
trimmed to start and end with a letter or digit, as the API server requires.
*/}}
{{- define "milvus-coord.versionLabel" -}}
{{- $tag := first (splitList "@" (toString .Values.image.all.tag)) }}
{{- $label := regexReplaceAll "[^-A-Za-z0-9_.]" $tag "_" | trunc 63 }}
{{- $label = regexReplaceAll "^[^A-Za-z0-9]+" $label "" }}
{{- regexReplaceAll "[^A-Za-z0-9]+$" $label "" }}
{{- end }}

{{/*
milvus-coord.image: the image reference: repository:tag, and @digest when
image.all.digest pins it.
*/}}
{{- define "milvus-coord.image" -}}
{{- $v := .Values.image.all }}
{{- $ref := printf "%s:%s" $v.repository (toString $v.tag) }}
{{- with $v.digest }}{{ $ref = printf "%s@%s" $ref . }}{{ end }}
{{- $ref }}
{{- end }}

{{/*
milvus-coord.parseBool: "true" or "false" as Milvus reads a config value
(strconv.ParseBool: 1, t, T, TRUE, true, True are true; 0, f, F, FALSE, false,
False are false); "invalid" for anything else, which Milvus reads as false.
*/}}
{{- define "milvus-coord.parseBool" -}}
{{- $s := toString . }}
{{- if has $s (list "1" "t" "T" "TRUE" "true" "True") }}true
{{- else if has $s (list "0" "f" "F" "FALSE" "false" "False") }}false
{{- else }}invalid
{{- end }}
{{- end }}

{{/*
milvus-coord.components: the enabled coordinator Deployments, in a fixed order, as
a JSON document {"components": [...]}: the values block (key), the component name
(role) and the Milvus roles it runs (roles).
*/}}
{{- define "milvus-coord.components" -}}
{{- $all := list
  (dict "key" "rootCoordinator" "role" "rootcoord" "roles" (list "rootcoord"))
  (dict "key" "queryCoordinator" "role" "querycoord" "roles" (list "querycoord"))
  (dict "key" "dataCoordinator" "role" "datacoord" "roles" (list "datacoord"))
  (dict "key" "mixCoordinator" "role" "mixcoord" "roles" (list "rootcoord" "querycoord" "datacoord")) }}
{{- $enabled := list }}
{{- range $all }}
{{- if (index $.Values .key).enabled }}
{{- $enabled = append $enabled . }}
{{- end }}
{{- end }}
{{- toJson (dict "components" $enabled) }}
{{- end }}

{{/*
milvus-coord.milvusVersion: "major.minor" of the image tag ("2.4" for v2.4.17), or
empty when the tag carries no version (a digest or a branch build).
*/}}
{{- define "milvus-coord.milvusVersion" -}}
{{- regexFind "^v?[0-9]+\\.[0-9]+" (toString .Values.image.all.tag) | trimPrefix "v" }}
{{- end }}

{{/*
milvus-coord.mixcoordOnly: "true" when the image is Milvus 2.6 or later, where the
separate coordinator binaries are gone and only `milvus run mixcoord` exists.
*/}}
{{- define "milvus-coord.mixcoordOnly" -}}
{{- $v := include "milvus-coord.milvusVersion" . }}
{{- if and $v (semverCompare ">=2.6.0-0" (printf "%s.0" $v)) }}true{{ end }}
{{- end }}

{{/*
milvus-coord.args: the container args (the image's entrypoint is tini).
Takes (dict "root" $ "c" $component).
*/}}
{{- define "milvus-coord.args" -}}
{{- if ne .c.role "mixcoord" }}
{{- toYaml (list "milvus" "run" .c.role) }}
{{- else if include "milvus-coord.mixcoordOnly" .root }}
{{- toYaml (list "milvus" "run" "mixcoord") }}
{{- else }}
{{- toYaml (list "milvus" "run" "mixture" "-rootcoord" "-querycoord" "-datacoord") }}
{{- end }}
{{- end }}

{{/*
milvus-coord.deepMerge: merges .src into .dst in place, recursing into mappings.
Unlike sprig's mergeOverwrite it copies false, 0 and "" too: a user who writes
`enableActiveStandby: false` must see that value win (or be refused), never dropped.
*/}}
{{- define "milvus-coord.deepMerge" -}}
{{- $dst := .dst }}
{{- range $k, $v := .src }}
{{- if and (kindIs "map" $v) (kindIs "map" (index $dst $k)) }}
{{- include "milvus-coord.deepMerge" (dict "dst" (index $dst $k) "src" $v) }}
{{- else }}
{{- $_ := set $dst $k (deepCopy $v) }}
{{- end }}
{{- end }}
{{- end }}

{{/*
milvus-coord.extraConfigFile: extraConfigFiles."user.yaml" parsed, as JSON ({} when
empty). A text that is not a YAML mapping stops the render (the tag names the
value for valuescheck).
*/}}
{{- define "milvus-coord.extraConfigFile" -}}
{{- $text := index .Values.extraConfigFiles "user.yaml" | default "" }}
{{- $parsed := dict }}
{{- if trim $text }}
{{- $parsed = fromYaml $text }}
{{- if hasKey $parsed "Error" }}
{{- fail (printf "extraConfigFiles.user.yaml is not a YAML mapping (%s): Milvus would not start with it; fix the text or move the settings to milvus.extraConfig [render-template extraConfigFiles[\"user.yaml\"]]" (index $parsed "Error")) }}
{{- end }}
{{- end }}
{{- toJson $parsed }}
{{- end }}

{{/*
milvus-coord.userConfigJSON: the user.yaml one component reads, as JSON. It carries
what every coordinator needs (etcd, object storage, message queue, session TTL,
graceful stop) and, for each role the component runs, its gRPC port and
`<role>.enableActiveStandby`, the key Milvus actually reads. extraConfigFiles and
milvus.extraConfig are merged over it, in that order.
Takes (dict "root" $ "c" $component).
*/}}
{{- define "milvus-coord.userConfigJSON" -}}
{{- $v := .root.Values }}
{{- $block := index $v .c.key }}
{{- $roles := include "milvus-coord.roles" .root | fromJson }}
{{- $etcd := dict "endpoints" $v.externalEtcd.endpoints "rootPath" $v.milvus.etcd.rootPath }}
{{- with $v.externalEtcd.auth }}
{{- if .enabled }}
{{- $_ := set $etcd "auth" (dict "enabled" true "userName" .userName) }}
{{- end }}
{{- end }}
{{- if $v.externalEtcd.tls.secretName }}
{{- $dir := include "milvus-coord.tlsDir" "etcd" }}
{{- $_ := set $etcd "ssl" (dict "enabled" true
    "tlsCert" (printf "%s/tls.crt" $dir) "tlsKey" (printf "%s/tls.key" $dir) "tlsCACert" (printf "%s/ca.crt" $dir)
    "tlsMinVersion" (toString $v.externalEtcd.tls.minVersion)) }}
{{- end }}
{{- $cfg := dict
  "etcd" $etcd
  "minio" (dict
    "address" $v.externalS3.host
    "port" $v.externalS3.port
    "bucketName" $v.externalS3.bucketName
    "rootPath" $v.externalS3.rootPath
    "useSSL" $v.externalS3.useSSL
    "useIAM" $v.externalS3.useIAM
    "cloudProvider" $v.externalS3.cloudProvider
    "iamEndpoint" $v.externalS3.iamEndpoint
    "region" $v.externalS3.region
    "useVirtualHost" $v.externalS3.useVirtualHost)
  "common" (dict
    "session" (dict "ttl" $v.milvus.session.ttl)
    "gracefulStopTimeout" $v.milvus.gracefulStopTimeout) }}
{{- if $v.externalS3.tls.caSecretName }}
{{- $_ := set $cfg.minio "ssl" (dict "tlsCACert" (printf "%s/ca.crt" (include "milvus-coord.tlsDir" "s3"))) }}
{{- end }}
{{- if $v.externalKafka.enabled }}
{{- $_ := set $cfg "mq" (dict "type" "kafka") }}
{{- $_ := set $cfg "kafka" (dict
    "brokerList" $v.externalKafka.brokerList
    "securityProtocol" $v.externalKafka.securityProtocol
    "saslMechanisms" $v.externalKafka.sasl.mechanisms
    "saslUsername" $v.externalKafka.sasl.username) }}
{{- else }}
{{- $_ := set $cfg "mq" (dict "type" "pulsar") }}
{{- $_ := set $cfg "pulsar" (dict
    "address" $v.externalPulsar.host
    "port" $v.externalPulsar.port
    "webport" $v.externalPulsar.webport
    "maxMessageSize" $v.externalPulsar.maxMessageSize
    "tenant" $v.externalPulsar.tenant
    "namespace" $v.externalPulsar.namespace
    "authPlugin" $v.externalPulsar.authPlugin) }}
{{- end }}
{{- range .c.roles }}
{{- $r := index $roles . }}
{{- $_ := set $cfg $r.configKey (dict
    "port" (index $v $r.block).service.port
    "enableActiveStandby" $block.activeStandby.enabled) }}
{{- end }}
{{- include "milvus-coord.deepMerge" (dict "dst" $cfg "src" (include "milvus-coord.extraConfigFile" .root | fromJson)) }}
{{- include "milvus-coord.deepMerge" (dict "dst" $cfg "src" $v.milvus.extraConfig) }}
{{- toJson $cfg }}
{{- end }}

{{/*
milvus-coord.strategy: the Deployment strategy. Without active-standby two pods of
a coordinator must never overlap (the second crash-loops on the session key), so it
is Recreate with no rollingUpdate block. With active-standby the new pod starts as a
standby before the old one stops: RollingUpdate, maxSurge 1, maxUnavailable 0,
with the user's strategy merged over it.
Takes (dict "root" $ "c" $component).
*/}}
{{- define "milvus-coord.strategy" -}}
{{- $block := index .root.Values .c.key }}
{{- $user := $block.strategy | default dict }}
{{- if and $block.activeStandby.enabled (ne ($user.type | default "RollingUpdate") "Recreate") }}
{{- $rolling := dict "maxSurge" 1 "maxUnavailable" 0 }}
{{- include "milvus-coord.deepMerge" (dict "dst" $rolling "src" ($user.rollingUpdate | default dict)) }}
{{- toYaml (dict "type" "RollingUpdate" "rollingUpdate" $rolling) }}
{{- else }}
{{- toYaml (dict "type" "Recreate") }}
{{- end }}
{{- end }}

{{/*
milvus-coord.affinity: the pod affinity. With more than one replica a pod
anti-affinity keeps replicas apart (podAntiAffinity.mode), unless the user's own
affinity brings a podAntiAffinity.
Takes (dict "root" $ "c" $component).
*/}}
{{- define "milvus-coord.affinity" -}}
{{- $block := index .root.Values .c.key }}
{{- $spread := .root.Values.podAntiAffinity }}
{{- $affinity := deepCopy ($block.affinity | default dict) }}
{{- if and (gt (int $block.replicas) 1) (ne $spread.mode "none") (not (hasKey $affinity "podAntiAffinity")) }}
{{- $term := dict
  "labelSelector" (dict "matchLabels" (include "milvus-coord.selectorLabels" . | fromYaml))
  "topologyKey" $spread.topologyKey }}
{{- if eq $spread.mode "hard" }}
{{- $_ := set $affinity "podAntiAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (list $term)) }}
{{- else }}
{{- $_ := set $affinity "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" (list (dict "weight" 100 "podAffinityTerm" $term))) }}
{{- end }}
{{- end }}
{{- if $affinity }}
{{- toYaml $affinity }}
{{- end }}
{{- end }}

{{/*
milvus-coord.credentialsSecret: name of the Secret the chart makes for credentials.
*/}}
{{- define "milvus-coord.credentialsSecret" -}}
{{- printf "%s-credentials" (include "milvus-coord.fullname" . | trunc 51 | trimSuffix "-") }}
{{- end }}

{{/*
milvus-coord.credentials: the credentials the chart must store in its own Secret,
as a YAML mapping of Secret key to value (empty when there are none).
*/}}
{{- define "milvus-coord.credentials" -}}
{{- $v := .Values }}
{{- $data := dict }}
{{- if and (not $v.externalS3.useIAM) (not $v.externalS3.existingSecret) }}
{{- $_ := set $data "accesskey" $v.externalS3.accessKey }}
{{- $_ := set $data "secretkey" $v.externalS3.secretKey }}
{{- end }}
{{- if and $v.externalPulsar.enabled $v.externalPulsar.authParams (not $v.externalPulsar.existingSecret) }}
{{- $_ := set $data "authparams" $v.externalPulsar.authParams }}
{{- end }}
{{- if and $v.externalKafka.enabled $v.externalKafka.sasl.password (not $v.externalKafka.existingSecret) }}
{{- $_ := set $data "saslpassword" $v.externalKafka.sasl.password }}
{{- end }}
{{- with $v.externalEtcd.auth }}
{{- if and .enabled .password (not .existingSecret) }}
{{- $_ := set $data "etcdpassword" .password }}
{{- end }}
{{- end }}
{{- if $data }}
{{- toYaml $data }}
{{- end }}
{{- end }}

{{/*
milvus-coord.credentialsEnv: the env vars that carry credentials from a Secret,
as a JSON list. Milvus maps MINIO_ACCESS_KEY_ID to minio.accessKeyID and so on.
*/}}
{{- define "milvus-coord.credentialsEnv" -}}
{{- $v := .Values }}
{{- $own := include "milvus-coord.credentialsSecret" . }}
{{- $env := list }}
{{- if not $v.externalS3.useIAM }}
{{- $s3 := $v.externalS3.existingSecret | default $own }}
{{- $env = append $env (dict "name" "MINIO_ACCESS_KEY_ID" "valueFrom" (dict "secretKeyRef" (dict "name" $s3 "key" "accesskey"))) }}
{{- $env = append $env (dict "name" "MINIO_SECRET_ACCESS_KEY" "valueFrom" (dict "secretKeyRef" (dict "name" $s3 "key" "secretkey"))) }}
{{- end }}
{{- if and $v.externalPulsar.enabled (or $v.externalPulsar.authParams $v.externalPulsar.existingSecret) }}
{{- $env = append $env (dict "name" "PULSAR_AUTH_PARAMS" "valueFrom" (dict "secretKeyRef" (dict "name" ($v.externalPulsar.existingSecret | default $own) "key" "authparams"))) }}
{{- end }}
{{- if and $v.externalKafka.enabled (or $v.externalKafka.sasl.password $v.externalKafka.existingSecret) }}
{{- $env = append $env (dict "name" "KAFKA_SASL_PASSWORD" "valueFrom" (dict "secretKeyRef" (dict "name" ($v.externalKafka.existingSecret | default $own) "key" "saslpassword"))) }}
{{- end }}
{{- with $v.externalEtcd.auth }}
{{- if and .enabled (or .password .existingSecret) }}
{{- $env = append $env (dict "name" "ETCD_AUTH_PASSWORD" "valueFrom" (dict "secretKeyRef" (dict "name" (.existingSecret | default $own) "key" "etcdpassword"))) }}
{{- end }}
{{- end }}
{{- toJson $env }}
{{- end }}

{{/*
milvus-coord.tlsDir: where the TLS files of one dependency ("etcd", "s3") are
mounted, read-only, from the Secret its values name.
*/}}
{{- define "milvus-coord.tlsDir" -}}
/milvus/tls/{{ . }}
{{- end }}

{{/*
milvus-coord.tlsVolumes: the Secret volumes of the TLS material the values name,
as a JSON list of {"name", "secret", "dir"}; empty when there is none.
*/}}
{{- define "milvus-coord.tlsVolumes" -}}
{{- $out := list }}
{{- with .Values.externalEtcd.tls.secretName }}
{{- $out = append $out (dict "name" "etcd-tls" "secret" . "dir" (include "milvus-coord.tlsDir" "etcd")) }}
{{- end }}
{{- with .Values.externalS3.tls.caSecretName }}
{{- $out = append $out (dict "name" "s3-tls" "secret" . "dir" (include "milvus-coord.tlsDir" "s3")) }}
{{- end }}
{{- toJson $out }}
{{- end }}

{{/*
milvus-coord.normalizedKeys: every scalar key of a Milvus config mapping, as
Milvus matches keys (lower-case, a leading "milvus." dropped, "_", "." and
"/" removed), added to the dict .out. Takes (dict "m" $mapping "prefix" "" "out" $dict).
*/}}
{{- define "milvus-coord.normalizedKeys" -}}
{{- $out := .out }}
{{- range $k, $v := .m }}
{{- $key := ternary $k (printf "%s.%s" $.prefix $k) (eq $.prefix "") }}
{{- if kindIs "map" $v }}
{{- include "milvus-coord.normalizedKeys" (dict "m" $v "prefix" $key "out" $out) }}
{{- else }}
{{- $_ := set $out (regexReplaceAll "[_./]" (trimPrefix "milvus." (lower $key)) "") true }}
{{- end }}
{{- end }}
{{- end }}

{{/*
milvus-coord.credentialKeys: the Milvus config keys that hold secrets (the
table is internal/coord/credentials.go; a chart test keeps the two equal),
normalised, each with the values that take it from a Secret ("" for none), as JSON.
*/}}
{{- define "milvus-coord.credentialKeys" -}}
{"minioaccesskeyid": {"key": "minio.accessKeyID", "values": "externalS3.accessKey", "secret": "externalS3.existingSecret"},
 "miniosecretaccesskey": {"key": "minio.secretAccessKey", "values": "externalS3.secretKey", "secret": "externalS3.existingSecret"},
 "miniogcpcredentialjson": {"key": "minio.gcpCredentialJSON", "values": "", "secret": ""},
 "etcdauthpassword": {"key": "etcd.auth.password", "values": "externalEtcd.auth.password", "secret": "externalEtcd.auth.existingSecret"},
 "kafkasaslpassword": {"key": "kafka.saslPassword", "values": "externalKafka.sasl.password", "secret": "externalKafka.existingSecret"},
 "kafkassltlskeypassword": {"key": "kafka.ssl.tlsKeyPassword", "values": "", "secret": ""},
 "pulsarauthparams": {"key": "pulsar.authParams", "values": "externalPulsar.authParams", "secret": "externalPulsar.existingSecret"},
 "commonsecuritydefaultrootpassword": {"key": "common.security.defaultRootPassword", "values": "", "secret": ""}}
{{- end }}

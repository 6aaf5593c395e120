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
milvus-coord.heaptrackImage: the heaptrack image reference: repository:tag, and
@digest when heaptrack.image.digest pins it.
*/}}
{{- define "milvus-coord.heaptrackImage" -}}
{{- $v := .Values.heaptrack.image }}
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
milvus-coord.milvusRelease: "major.minor.patch" of the image tag ("2.4.17" for
v2.4.17, "2.6.0" for 2.6), or empty when the tag names no release (a digest,
latest, a branch build). It reads tags as internal/coord.ParseVersion does.
*/}}
{{- define "milvus-coord.milvusRelease" -}}
{{- $tag := first (splitList "@" (toString .Values.image.all.tag)) }}
{{- if regexMatch "^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?([-+_].*)?$" $tag }}
{{- $n := regexFindAll "[0-9]+" (regexFind "^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?" $tag) -1 }}
{{- $patch := 0 }}
{{- if gt (len $n) 2 }}{{ $patch = atoi (index $n 2) }}{{ end }}
{{- printf "%d.%d.%d" (atoi (index $n 0)) (atoi (index $n 1)) $patch }}
{{- end }}
{{- end }}

{{/*
milvus-coord.milvusVersion: "major.minor" of the image tag ("2.4" for v2.4.17), or
empty when the tag carries no version (a digest or a branch build).
*/}}
{{- define "milvus-coord.milvusVersion" -}}
{{- with include "milvus-coord.milvusRelease" . }}{{ regexFind "^[0-9]+\\.[0-9]+" . }}{{ end }}
{{- end }}

{{/*
milvus-coord.mixcoordOnly: "true" when the image is Milvus 2.6 or later, where the
separate coordinator binaries are gone and only `milvus run mixcoord` exists.
*/}}
{{- define "milvus-coord.mixcoordOnly" -}}
{{- $v := include "milvus-coord.milvusRelease" . }}
{{- if and $v (semverCompare ">=2.6.0" $v) }}true{{ end }}
{{- end }}

{{/*
milvus-coord.mixcoordAlwaysStandby: "true" when the image is Milvus 2.6.8 or
later, where mixcoord runs active-standby whatever its config says (milvus PR
46457; internal/coord Version.MixcoordAlwaysStandby).
*/}}
{{- define "milvus-coord.mixcoordAlwaysStandby" -}}
{{- $v := include "milvus-coord.milvusRelease" . }}
{{- if and $v (semverCompare ">=2.6.8" $v) }}true{{ end }}
{{- end }}

{{/*
milvus-coord.ha: "true" when a component runs active-standby, which decides its
rollout, budget and spread: its activeStandby.enabled, or always for mixcoord
on Milvus 2.6.8 and later.
Takes (dict "root" $ "c" $component).
*/}}
{{- define "milvus-coord.ha" -}}
{{- $block := index .root.Values .c.key }}
{{- if or $block.activeStandby.enabled (and (eq .c.role "mixcoord") (include "milvus-coord.mixcoordAlwaysStandby" .root)) }}true{{ end }}
{{- end }}

{{/*
milvus-coord.mixcoordPort: the rootcoord gRPC port of mixcoord:
mixCoordinator.service.port, or where it is null the port the image's Milvus
ships (22125 from 2.6.8, 53100 before; internal/coord
Version.ShippedRootCoordPort).
*/}}
{{- define "milvus-coord.mixcoordPort" -}}
{{- $port := .Values.mixCoordinator.service.port }}
{{- if kindIs "invalid" $port }}
{{- $v := include "milvus-coord.milvusRelease" . }}
{{- $port = ternary 22125 53100 (and (ne $v "") (semverCompare ">=2.6.8" (default "0.0.0" $v))) }}
{{- end }}
{{- int $port }}
{{- end }}

{{/*
milvus-coord.ports: the gRPC ports a component listens on, as a JSON document
{"ports": [{"role": ..., "section": ..., "port": ...}]}: a separate coordinator
its block's service.port; a 2.4/2.5 mixture every role's (rootcoord's is
mixcoord's own port); 2.6 mixcoord only rootCoord.port.
Takes (dict "root" $ "c" $component).
*/}}
{{- define "milvus-coord.ports" -}}
{{- $roles := include "milvus-coord.roles" .root | fromJson }}
{{- $names := .c.roles }}
{{- if and (eq .c.role "mixcoord") (include "milvus-coord.mixcoordOnly" .root) }}
{{- $names = list "rootcoord" }}
{{- end }}
{{- $out := list }}
{{- range $names }}
{{- $r := index $roles . }}
{{- $port := (index $.root.Values $r.block).service.port }}
{{- if eq $.c.role "mixcoord" }}
{{- if eq . "rootcoord" }}{{ $port = include "milvus-coord.mixcoordPort" $.root }}{{ end }}
{{- end }}
{{- $out = append $out (dict "role" . "section" $r.configKey "port" (int $port)) }}
{{- end }}
{{- toJson (dict "ports" $out) }}
{{- end }}

{{/*
milvus-coord.stopSections: the config sections whose gracefulStopTimeout bounds a
component's stop, in the order Milvus stops them: 2.6 mixcoord reads
rootCoord's alone; a 2.4/2.5 mixture stops its three coordinators one after
another, each within its own (internal/coord Workload.StopSections).
Takes (dict "root" $ "c" $component); a JSON list.
*/}}
{{- define "milvus-coord.stopSections" -}}
{{- $roles := include "milvus-coord.roles" .root | fromJson }}
{{- $out := list }}
{{- if and (eq .c.role "mixcoord") (include "milvus-coord.mixcoordOnly" .root) }}
{{- $out = list "rootCoord" }}
{{- else }}
{{- range .c.roles }}{{ $out = append $out (index $roles .).configKey }}{{ end }}
{{- end }}
{{- toJson $out }}
{{- end }}

{{/*
milvus-coord.terminationGracePeriod: what a pod needs to stop: every timeout of
its stopSections (milvus.gracefulStopTimeout each) plus 30 s for the process to
exit (internal/coord StopMargin), so the kubelet never kills a coordinator
before it revoked its session.
Takes (dict "root" $ "c" $component).
*/}}
{{- define "milvus-coord.terminationGracePeriod" -}}
{{- $n := len (include "milvus-coord.stopSections" . | fromJsonArray) }}
{{- add (mul (int .root.Values.milvus.gracefulStopTimeout) $n) 30 }}
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
what every coordinator needs (etcd, object storage, message queue, session TTL)
and, for each role the component runs, `<role>.enableActiveStandby` (on 2.6 also
mixCoord's, which 2.6.0 to 2.6.7 read first), the gRPC port it listens on and
`<role>.gracefulStopTimeout` of the roles whose timeout bounds its stop (the
coordinators do not read common.gracefulStopTimeout). extraConfigFiles and
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
    "session" (dict "ttl" $v.milvus.session.ttl)) }}
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
{{- $_ := set $cfg (index $roles .).configKey (dict "enableActiveStandby" $block.activeStandby.enabled) }}
{{- end }}
{{- if and (eq .c.role "mixcoord") (include "milvus-coord.mixcoordOnly" .root) }}
{{- $_ := set $cfg "mixCoord" (dict "enableActiveStandby" $block.activeStandby.enabled) }}
{{- end }}
{{- range (include "milvus-coord.ports" . | fromJson).ports }}
{{- $_ := set (index $cfg .section) "port" .port }}
{{- end }}
{{- range include "milvus-coord.stopSections" . | fromJsonArray }}
{{- $_ := set (index $cfg .) "gracefulStopTimeout" $v.milvus.gracefulStopTimeout }}
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
{{- if and (include "milvus-coord.ha" .) (ne ($user.type | default "RollingUpdate") "Recreate") }}
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

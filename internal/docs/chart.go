package docs

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// chartMeta is the part of Chart.yaml the chart README shows.
type chartMeta struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Version     string `yaml:"version"`
	AppVersion  string `yaml:"appVersion"`
	KubeVersion string `yaml:"kubeVersion"`
}

// ChartReadme returns the chart's README.md: what the chart is, how to
// install it, and every value with its type, default and description.
func ChartReadme(chartYAML []byte, doc ValuesDoc) (string, error) {
	var meta chartMeta
	if err := yaml.Unmarshal(chartYAML, &meta); err != nil {
		return "", fmt.Errorf("Chart.yaml: %w", err)
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# %s\n\n", meta.Name)
	p("<!-- Generated from Chart.yaml, values.yaml and values.schema.json by internal/docs: run `make docs`, do not edit. -->\n\n")
	p("%s\n\n", strings.TrimSpace(meta.Description))
	p("Chart version %s, Milvus %s, Kubernetes %s.\n\n", meta.Version, meta.AppVersion, meta.KubeVersion)
	p("The chart runs only the coordinators: the rest of the Milvus cluster (proxies, nodes, etcd, object storage, the message queue) comes from the upstream milvus chart or elsewhere. ")
	p("The [repository README](../../README.md) says how to run both side by side, how failover works and how to find the ACTIVE coordinator; [examples/](../../examples) has values for common setups.\n\n")
	p("## Installing\n\n")
	p("From the top of the repository: check the values first (`valuescheck` reports every problem at its file, line and column, with the fix), then install.\n\n")
	p("```sh\n")
	p("valuescheck examples/production-ha.yaml\n")
	p("helm install milvus-coord ./charts/milvus-coord -f examples/production-ha.yaml\n")
	p("```\n\n")
	p("`values.schema.json` is the values contract: Helm refuses values that break it (a typo in a key, more than one replica without active-standby, mixcoord beside separate coordinators). ")
	p("Editors that speak the YAML language server check values files as you type when the file starts with a modeline, as `values.yaml` and every example does:\n\n")
	p("```yaml\n# yaml-language-server: $schema=values.schema.json\n```\n\n")
	p("## Values\n\n")
	p("Every key of `values.yaml`, in file order. Types come from `values.schema.json`. ")
	p("A value of a Kubernetes type takes that type's fields, checked by the schema; keys marked _unset_ are not in `values.yaml` and the chart's own behaviour applies until you set them.\n\n")
	p("| Key | Type | Default | Description |\n")
	p("| --- | --- | --- | --- |\n")
	for _, v := range doc.Values {
		def := "_unset_"
		switch {
		case v.Default != "":
			def = "`" + v.Default + "`"
		case v.HasKeys && v.InValues:
			def = "_keys below_"
		}
		p("| `%s` | %s | %s | %s |\n", strings.ReplaceAll(v.Path, "|", `\|`), Cell(v.Type), Cell(def), Cell(v.Description))
	}
	return b.String(), nil
}

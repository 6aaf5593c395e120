#!/bin/sh
# `helm valuescheck ARGS`: runs the valuescheck that the install hook put in
# plugin/bin (plugin/install.sh) with ARGS.
#
# Helm keeps -n/--namespace, --kube-context, --kubeconfig and --debug for
# itself: they never reach a plugin. It passes the namespace as HELM_NAMESPACE
# (from -n, else the kubeconfig context's namespace, else "default": what
# `helm template` would use), so it becomes --namespace of the commands that
# render: the check and `render`. Helm passes no Kubernetes version or other
# Capabilities to plugins; --kube-version reaches valuescheck unchanged.
# Other subcommands (rules, schema, manifests) get ARGS as they are.
# With `helm --debug`, the command line is printed to standard error first.
set -eu

dir=${HELM_PLUGIN_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=$dir/plugin/bin/valuescheck
if [ ! -x "$bin" ]; then
	echo "helm valuescheck: $bin is missing (its install hook failed?): run \`helm plugin update valuescheck\`, or uninstall the plugin and install it again" >&2
	exit 2
fi

# has_namespace ARGS: whether ARGS set the namespace themselves (valuescheck
# run directly, not through Helm).
has_namespace() {
	for a in "$@"; do
		case $a in
		--) return 1 ;;
		-n | -n* | --namespace | --namespace=*) return 0 ;;
		esac
	done
	return 1
}

namespace=${HELM_NAMESPACE:-}
case ${1:-} in
render)
	shift
	if [ -n "$namespace" ] && ! has_namespace "$@"; then
		set -- render --namespace "$namespace" "$@"
	else
		set -- render "$@"
	fi
	;;
rules | schema | manifests) ;;
*)
	if [ -n "$namespace" ] && ! has_namespace "$@"; then
		set -- --namespace "$namespace" "$@"
	fi
	;;
esac

if [ "${HELM_DEBUG:-false}" = true ]; then
	echo "helm valuescheck: $bin $*" >&2
fi
exec "$bin" "$@"

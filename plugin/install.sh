#!/bin/sh
# Installs valuescheck into DIR: the release binary for this platform, verified
# against the release's checksums.txt, or, when no release can be reached (no
# network, no release of this version yet, a platform without a release), a
# build with Go from the source this script belongs to.
#
# The Helm plugin's install and update hooks run it (plugin.yaml), and so does
# the GitHub Action (action.yml).
#
# Usage: install.sh DIR         installs DIR/valuescheck (DIR/valuescheck.exe on Windows)
#        install.sh --version   prints the version it would install
#
# Environment:
#   VALUESCHECK_VERSION      the release to install, e.g. 0.1.0 (default: the
#                            version in plugin.yaml next to this script)
#   VALUESCHECK_RELEASE_URL  where that release's files are (default: its GitHub
#                            release); for a mirror
#
# A download whose checksum does not match is refused (exit 1): it is never
# installed and never replaced by a build from source.
set -eu

die() {
	echo "valuescheck install: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: install.sh DIR, or install.sh --version"
dest=$1
src=$(cd "$(dirname "$0")/.." && pwd)

version=${VALUESCHECK_VERSION:-$(sed -n 's/^version:[[:space:]]*"\{0,1\}\([^"[:space:]]*\)"\{0,1\}[[:space:]]*$/\1/p' "$src/plugin.yaml")}
version=${version#v}
[ -n "$version" ] || die "no version to install: set VALUESCHECK_VERSION, or give $src/plugin.yaml a version line"
if [ "$dest" = --version ]; then
	echo "$version"
	exit 0
fi
base=${VALUESCHECK_RELEASE_URL:-https://github.com/milvus-coord/milvus-coord/releases/download/v$version}
base=${base%/}

# The platform names and archive names of .goreleaser.yaml.
os=$(uname -s | tr '[:upper:]' '[:lower:]')
case $os in
linux | darwin) ;;
mingw* | msys* | cygwin*) os=windows ;;
*) os= ;;
esac
arch=$(uname -m)
case $arch in
x86_64 | amd64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
*) arch= ;;
esac
exe=valuescheck
archive=valuescheck_${version}_${os}_${arch}.tar.gz
if [ "$os" = windows ]; then
	exe=valuescheck.exe
	archive=valuescheck_${version}_${os}_${arch}.zip
fi

# download URL FILE
download() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --retry 2 --connect-timeout 10 --max-time 300 -o "$2" "$1"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -T 30 -t 2 -O "$2" "$1"
	else
		echo "neither curl nor wget is on PATH" >&2
		return 1
	fi
}

# sha256 FILE: prints the file's SHA-256 in hex
sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum "$1" | cut -d ' ' -f 1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 "$1" | cut -d ' ' -f 1
	elif command -v openssl >/dev/null 2>&1; then
		openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1
	else
		die "cannot verify $archive: no sha256sum, shasum or openssl on PATH"
	fi
}

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t valuescheck)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
mkdir -p "$dest"

fetched=
if [ -z "$os" ] || [ -z "$arch" ]; then
	reason="no release is built for $(uname -s)/$(uname -m)"
elif ! download "$base/checksums.txt" "$tmp/checksums.txt" 2>"$tmp/err"; then
	reason="$base/checksums.txt: $(tail -n 1 "$tmp/err")"
elif ! download "$base/$archive" "$tmp/$archive" 2>"$tmp/err"; then
	reason="$base/$archive: $(tail -n 1 "$tmp/err")"
else
	fetched=yes
fi

if [ -n "$fetched" ]; then
	want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/checksums.txt")
	[ -n "$want" ] || die "$base/checksums.txt has no checksum for $archive: not installing it"
	got=$(sha256 "$tmp/$archive")
	[ "$want" = "$got" ] || die "checksum mismatch for $base/$archive: checksums.txt says $want, the download is $got: not installing it"
	mkdir "$tmp/x"
	case $archive in
	*.zip) unzip -q "$tmp/$archive" "$exe" -d "$tmp/x" ;;
	*) tar -xzf "$tmp/$archive" -C "$tmp/x" "$exe" ;;
	esac
	cp "$tmp/x/$exe" "$dest/.$exe.new"
	chmod 755 "$dest/.$exe.new"
	mv -f "$dest/.$exe.new" "$dest/$exe"
	echo "valuescheck install: $archive from $base, sha256 $got verified"
else
	echo "valuescheck install: no release $version to download ($reason): building from source in $src" >&2
	[ -f "$src/go.mod" ] || die "$src has no go.mod to build from"
	command -v go >/dev/null 2>&1 || die "go is not on PATH: install the Go version go.mod names, or download a release binary"
	(cd "$src" && CGO_ENABLED=0 go build -trimpath -o "$dest/$exe" ./cmd/valuescheck) || die "go build ./cmd/valuescheck failed in $src"
	echo "valuescheck install: built $dest/$exe from source"
fi
"$dest/$exe" --version

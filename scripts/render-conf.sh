#!/bin/sh
# Renders a configuration template: replaces @PORT@, @DATA_DIR@, @PREFIX@
# and @MODULE@ with the environment's PORT (8888), DATA_DIR (data, made
# absolute), PREFIX (/opt/fellowship) and MODULE (./build/fellowship.so).
# Lines in the environment's CONF_EXTRA are appended (tests use it).
#
#   scripts/render-conf.sh conf/dev.conf > build/dev.conf
set -eu
port="${PORT:-8888}"
data="${DATA_DIR:-data}"
prefix="${PREFIX:-/opt/fellowship}"
module="${MODULE:-./build/fellowship.so}"
case "$port" in
''|*[!0-9]*) echo "render-conf: PORT must be a number" >&2; exit 2 ;;
esac
mkdir -p "$data"
data=$(cd "$data" && pwd)
case "$data$prefix$module" in
*'|'*) echo "render-conf: paths must not contain |" >&2; exit 2 ;;
esac
sed -e "s|@PORT@|$port|g" -e "s|@DATA_DIR@|$data|g" \
    -e "s|@PREFIX@|$prefix|g" -e "s|@MODULE@|$module|g" "$1"
if [ -n "${CONF_EXTRA:-}" ]; then
	printf '%s\n' "$CONF_EXTRA"
fi

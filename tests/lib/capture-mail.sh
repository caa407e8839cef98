#!/bin/sh
# A stand-in for "sendmail -t -i" in the tests: stores each message it
# receives on standard input as a file in the directory given, and exits 0
# (or 75, "try again later", when the directory holds a file named FAIL).
set -eu
dir="$1"
mkdir -p "$dir"
if [ -e "$dir/FAIL" ]; then
	cat > /dev/null
	exit 75
fi
tmp="$dir/.incoming.$$"
cat > "$tmp"
mv "$tmp" "$dir/$(date +%s%N)-$$.eml"

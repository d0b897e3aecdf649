#!/usr/bin/env bash
# Runs unit test classes or packages of one module N times in one JVM, to find tests that fail only
# now and then (e.g. under the load of a full build). Run it beside a load (`stress-ng --cpu 2`, or a
# second `mvn -B verify`) to see what CI's 2 loaded cores do to timing.
#   bench/repeat-tests.sh [--runs N] [--module relay|policy-cache] SELECTOR...
#   bench/repeat-tests.sh --runs 200 org.stsrelay.spool org.stsrelay.queue org.stsrelay.tlsrpt
set -euo pipefail
cd "$(dirname "$0")/.."
runs=200
module=relay
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --module) module=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--runs N] [--module M] SELECTOR..." >&2; exit 2; }

mvn -B -q -pl "$module" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/repeat-tests.classpath -Dmdep.includeScope=test
junit=$(sed -n 's:.*/junit-jupiter-api/\([^/]*\)/.*:\1:p' <(tr ':' '\n' < "$module/target/repeat-tests.classpath") | head -1)
platform="1.${junit#5.}"
launcher="$HOME/.m2/repository/org/junit/platform/junit-platform-launcher/$platform/junit-platform-launcher-$platform.jar"
[ -f "$launcher" ] || mvn -B -q dependency:get -Dartifact="org.junit.platform:junit-platform-launcher:$platform"
classpath="$module/target/test-classes:$module/target/classes:$(cat "$module/target/repeat-tests.classpath"):$launcher"
exec java -cp "$classpath" bench/RepeatTests.java "$runs" "$@"

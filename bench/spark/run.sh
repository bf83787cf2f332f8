#!/usr/bin/env bash
# Seconds per iteration: the distributed engine in local[K] vs the single-JVM solver with K threads, side by side.
# Usage: bench/spark/run.sh [--density D] [--rounds K] [N M R ITERATIONS THREADS [ALGORITHM...]]
#   (default: 20000 2000 10 20 2, dense); the sparse target of issue 15:
#   bench/spark/run.sh --density 0.001 --rounds 2 200000 50000 10 10 2   (CSR V, generated in Java with seed 1)
# Needs `mvn -B -ntp -q package -DskipTests` first (Spark comes from the local Maven repository, provided scope).
set -euo pipefail
cd "$(dirname "$0")/../.."
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -B -ntp -q dependency:build-classpath -Dmdep.includeScope=provided -Dmdep.outputFile="$cp" >/dev/null
# Spark 4 on Java 17: the module openings its launcher passes (pom.xml, spark.jvm.args)
opens=$(sed -n "s:.*<spark.jvm.args>\(.*\)</spark.jvm.args>.*:\1:p" pom.xml)
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(20000 2000 10 20 2)
# shellcheck disable=SC2086
exec java -Xmx6g $opens -cp "target/classes:$(cat "$cp")" io.github.nmforacle.spark.SparkBench "${args[@]}"

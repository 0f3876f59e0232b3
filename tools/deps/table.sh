#!/usr/bin/env bash
# Prints the README's dependency table: for each module choice a user may make, the jars and MB on
# its runtime class path, resolved as a user's project resolves them (featurestore-bom imported,
# the modules named without versions). Needs the artifacts installed first: ./mvnw -B install -DskipTests
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' featurestore-bom/pom.xml | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

choice() { # name, then groupId:artifactId of each dependency
  local name=$1; shift
  local deps=""
  for ga in "$@"; do
    deps+="<dependency><groupId>${ga%%:*}</groupId><artifactId>${ga#*:}</artifactId></dependency>"
  done
  cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>example</groupId><artifactId>user</artifactId><version>1</version>
<dependencyManagement><dependencies><dependency><groupId>dev.featurestore</groupId>
<artifactId>featurestore-bom</artifactId><version>$version</version><type>pom</type><scope>import</scope>
</dependency></dependencies></dependencyManagement><dependencies>$deps</dependencies></project>
POM
  "$root/mvnw" -q -B -f "$work/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$work/cp.txt" >/dev/null
  tr ':' '\n' < "$work/cp.txt" | grep -c . > "$work/n" || true
  local mb
  mb=$(tr ':' '\n' < "$work/cp.txt" | xargs -r du -cb | tail -1 | awk '{printf "%.1f", $1 / 1048576}')
  printf '| %s | %s | %s |\n' "$name" "$(cat "$work/n")" "$mb"
}

echo "| you need | jars | MB |"
echo "|---|---|---|"
choice "in-memory store, compute and windows: featurestore-core" dev.featurestore:featurestore-core
choice "+ SQLite: featurestore-jdbc, sqlite-jdbc" dev.featurestore:featurestore-core \
    dev.featurestore:featurestore-jdbc org.xerial:sqlite-jdbc
choice "+ PostgreSQL: featurestore-jdbc, postgresql, flyway-database-postgresql" dev.featurestore:featurestore-core \
    dev.featurestore:featurestore-jdbc org.postgresql:postgresql org.flywaydb:flyway-database-postgresql
choice "SQLite + Parquet snapshots: + featurestore-parquet" dev.featurestore:featurestore-jdbc \
    org.xerial:sqlite-jdbc dev.featurestore:featurestore-parquet
choice "SQLite + Feather snapshots: + featurestore-arrow" dev.featurestore:featurestore-jdbc \
    org.xerial:sqlite-jdbc dev.featurestore:featurestore-arrow
choice "the quality report's HTML page: + featurestore-report-html" dev.featurestore:featurestore-core \
    dev.featurestore:featurestore-report-html
choice "everything: core, jdbc, both drivers, parquet, arrow, report-html" dev.featurestore:featurestore-jdbc \
    org.xerial:sqlite-jdbc org.postgresql:postgresql org.flywaydb:flyway-database-postgresql \
    dev.featurestore:featurestore-parquet dev.featurestore:featurestore-arrow dev.featurestore:featurestore-report-html

#!/usr/bin/env bash
# The scaling measurement of featurestore-spark/README.md: 100 secids x 260 trading days of 1m
# candles generated once, built by the Spark job on local[1] and local[2], and by the single-machine
# `featurestore run` on the same candles, one JVM each, one after the other.
# Usage (from the repository root): bash featurestore-spark/scaling.sh [WORK_DIR] [SECIDS] [DAYS]
set -euo pipefail
WORK=${1:-target/spark-scaling}
SECIDS=${2:-100}
DAYS=${3:-260}
./mvnw -o -B -q package -DskipTests -Dmaven.javadoc.skip=true -pl featurestore-spark,featurestore-cli -am \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/featurestore-spark/target/test.classpath"
CP="featurestore-spark/target/classes:featurestore-spark/target/test-classes:$(cat featurestore-spark/target/test.classpath)"
OPTS=$(sed -n 's:.*<spark.java.options>\(.*\)</spark.java.options>.*:\1:p' featurestore-spark/pom.xml)
rm -rf "$WORK" && mkdir -p "$WORK"
java -Xmx4g $OPTS -cp "$CP" dev.featurestore.spark.GenerateCandles "$WORK/candles" "$SECIDS" "$DAYS" 42 local[2]
END=$(java -cp "$CP" dev.featurestore.spark.GenerateCandles --end "$DAYS")
for n in 1 2; do
  echo "== Spark local[$n]"
  /usr/bin/time -f "wall %e s, cpu %U+%S s, max rss %M KB" java -Xmx4g $OPTS -cp "$CP" dev.featurestore.spark.SparkBuild \
      --master "local[$n]" --set tech_v2 --timeframe 5m --candles "$WORK/candles" --complete-through "$END" \
      --snapshot-output-dir "$WORK/spark-$n" --store "jdbc:sqlite:$WORK/spark-$n.db"
done
LIST=$(java -cp "$CP" dev.featurestore.spark.GenerateCandles --names "$SECIDS")
echo "== single machine: featurestore run"
/usr/bin/time -f "wall %e s, cpu %U+%S s, max rss %M KB" java -Xmx6g -jar featurestore-cli/target/featurestore.jar run \
    --synthetic --seed 42 --start 2024-01-08 --days "$DAYS" --secids "$LIST" --set tech_v2 --timeframe 5m \
    --format parquet --db "jdbc:sqlite:$WORK/single.db" --snapshot-dir "$WORK/single" --quality-dir "$WORK/quality" --plain

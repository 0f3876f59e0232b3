package dev.featurestore.spark;

import org.apache.spark.sql.SparkSession;

/** The Spark sessions of the tests: small, on the loopback address, without a UI. */
final class SparkSessions {
    private SparkSessions() {
    }

    static SparkSession local(int threads) {
        return configured(SparkSession.builder().master("local[" + threads + "]")).getOrCreate();
    }

    static SparkSession.Builder configured(SparkSession.Builder b) {
        return b.appName("featurestore-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
    }
}

package dev.featurestore.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.FeatureWindow;
import dev.featurestore.core.Store;
import dev.featurestore.core.source.SyntheticCandles;
import dev.featurestore.test.postgres.EmbeddedPostgresExtension;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's sample of a user's test against a real PostgreSQL (featurestore-test-postgres), run
 * as it is written there, less the lines marked {@code sample:omit} (a stand-in for the training
 * code under test, and its checks).
 */
@DisplayName("README sample: a unit test against a real PostgreSQL")
class PostgresSampleTest {

    // sample:begin readme-test-postgres
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    @Test
    void trains_on_stored_candles() {
        try (Store store = PG.newDatabase().openStore()) {                // jdbc:postgresql://localhost:PORT/fs_test_1
            store.candles().upsert(SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8)).tradingDays(5).generate("SBER"));
            // ... the training code under test, reading from store
            store.forSet("tech_v2").timeframe("5m").secids("SBER").build();                          // sample:omit
            FeatureWindow w = store.forSet("tech_v2").timeframe("5m").window(120).secid("SBER")     // sample:omit
                    .asOf(Instant.parse("2024-01-13T00:00:00Z")).fetch();                           // sample:omit
            assertThat(w.toArray()).hasNumberOfRows(120);                                           // sample:omit
            assertThat(w.toArray()[0]).hasSize(20);                                                 // sample:omit
        }
    }
    // sample:end readme-test-postgres
}

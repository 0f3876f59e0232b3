package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.core.registry.FeatureRegistry;
import dev.featurestore.test.postgres.EmbeddedPostgresExtension;
import dev.featurestore.test.postgres.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("1d rows in SQL: available_at is the next New York day's start, as-of reads bound ts in Java")
class ExchangeDaysSqlTest {
    @RegisterExtension
    static final EmbeddedPostgresExtension PG = new EmbeddedPostgresExtension();

    private static final Timeframe D1 = Timeframe.parse("1d");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final FeatureRegistry REGISTRY = FeatureRegistry.parse("new_york_daily.yaml", String.join("\n",
            "version: 1", "exchange:", "  timezone: America/New_York", "feature_sets:", "  daily_v1:",
            "    description: Three daily features.", "    default_window_size: 1", "    timeframes: [1d]",
            "    features: [return_1, intraday_range_pct, candle_body_pct]", ""));

    @TempDir
    java.nio.file.Path dir;

    /** Daily candles keyed at 12:00 New York time from 25 February to 10 November 2024 (both DST changes). */
    private static CandleSeries noonCandles() {
        CandleSeries.Builder b = CandleSeries.builder("AAPL").timeframe(D1);
        int i = 0;
        for (LocalDate d = LocalDate.of(2024, 2, 25); !d.isAfter(LocalDate.of(2024, 11, 10)); d = d.plusDays(1), i++) {
            double close = 180 + Math.sin(i * 0.3);
            b.add(d.atTime(12, 0).atZone(NEW_YORK).toInstant().toEpochMilli(), close - 0.2, close + 0.5, close - 0.6,
                    close, 1e6 + i);
        }
        return b.build();
    }

    private static void check(Store store, Connection sql) throws SQLException {
        ExchangeCalendar calendar = store.registry().calendar();
        store.candles().upsert(noonCandles());
        store.forSet("daily_v1").timeframe(D1).secid("AAPL").build();
        List<long[]> rows = new ArrayList<>();
        try (PreparedStatement ps = sql.prepareStatement("SELECT ts, available_at FROM features_daily_v1 "
                + "WHERE timeframe = '1d' ORDER BY ts");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        assertThat(rows).hasSizeGreaterThan(250);
        for (long[] r : rows) {
            LocalDate day = calendar.tradingDate(r[0]);
            assertThat(r[0]).isEqualTo(day.atStartOfDay(NEW_YORK).toInstant().toEpochMilli());
            assertThat(r[1]).as(day.toString()).isEqualTo(day.plusDays(1).atStartOfDay(NEW_YORK).toInstant().toEpochMilli());
        }
        long mar10 = Instant.parse("2024-03-10T05:00:00Z").toEpochMilli();
        long nov3 = Instant.parse("2024-11-03T04:00:00Z").toEpochMilli();
        assertThat(rows).filteredOn(r -> r[0] == mar10).singleElement()
                .satisfies(r -> assertThat(r[1] - r[0]).isEqualTo(23 * 3_600_000L));
        assertThat(rows).filteredOn(r -> r[0] == nov3).singleElement()
                .satisfies(r -> assertThat(r[1] - r[0]).isEqualTo(25 * 3_600_000L));
        // fetch as of either side of each changeover's next-day start
        assertThat(fetchTs(store, "2024-03-11T03:59:59.999Z")).isEqualTo(Instant.parse("2024-03-09T05:00:00Z"));
        assertThat(fetchTs(store, "2024-03-11T04:00:00Z")).isEqualTo(Instant.parse("2024-03-10T05:00:00Z"));
        assertThat(fetchTs(store, "2024-11-04T04:59:59.999Z")).isEqualTo(Instant.parse("2024-11-02T04:00:00Z"));
        assertThat(fetchTs(store, "2024-11-04T05:00:00Z")).isEqualTo(Instant.parse("2024-11-03T04:00:00Z"));
    }

    private static Instant fetchTs(Store store, String asOf) {
        return Instant.ofEpochMilli(store.forSet("daily_v1").timeframe(D1).secid("AAPL").window(1)
                .asOf(Instant.parse(asOf)).fetch().ts(0));
    }

    @Test
    @DisplayName("SQLite")
    void sqlite() throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("days.db");
        try (Store store = FeatureStore.builder().registry(REGISTRY).storage(url).build();
                Connection sql = DriverManager.getConnection(url)) {
            check(store, sql);
        }
    }

    @Test
    @DisplayName("PostgreSQL, COPY and batch writes")
    void postgres() throws SQLException {
        for (String method : List.of("copy", "batch")) {
            PostgresDatabase db = PG.newDatabase();
            try (Store store = FeatureStore.builder().registry(REGISTRY).storage(db.url()).user(db.user())
                    .password(db.password()).option("write.method", method).build();
                    Connection sql = DriverManager.getConnection(db.url(), db.user(), db.password())) {
                check(store, sql);
            }
        }
    }
}

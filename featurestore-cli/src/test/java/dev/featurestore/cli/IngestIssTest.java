package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.core.FeatureStore;
import dev.featurestore.core.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("featurestore ingest --iss against a local server speaking the ISS candle format")
class IngestIssTest {
    private static final DateTimeFormatter ISS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String COLUMNS = "[\"open\", \"close\", \"high\", \"low\", \"value\", \"volume\", \"begin\", \"end\"]";
    private static final LocalDateTime FIRST = LocalDateTime.of(2024, 1, 8, 10, 0);
    private static final int ROWS = 1200;

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String body;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        requests.add(exchange.getRequestURI().getPath() + "?" + query);
        int start = 0;
        for (String kv : query.split("&")) {
            if (kv.startsWith("start=")) {
                start = Integer.parseInt(kv.substring(6));
            }
        }
        String answer = body != null ? body : page(start);
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Rows {@code start ..} of the 1m candles, at most 500, as ISS pages them. */
    private static String page(int start) {
        List<String> rows = new ArrayList<>();
        for (int i = start; i < Math.min(ROWS, start + 500); i++) {
            LocalDateTime begin = FIRST.plusMinutes(i);
            double open = 270 + i * 0.01;
            double close = open + (i % 3 - 1) * 0.02;
            rows.add("[" + open + ", " + close + ", " + (Math.max(open, close) + 0.05) + ", " + (Math.min(open, close) - 0.05)
                    + ", " + (1000 * close) + ", " + (1000 + i) + ", \"" + ISS_TIME.format(begin) + "\", \""
                    + ISS_TIME.format(begin.plusSeconds(59)) + "\"]");
        }
        return "{\"candles\": {\"metadata\": {}, \"columns\": " + COLUMNS + ", \"data\": [" + String.join(",", rows) + "]}}";
    }

    private Cli.Run ingest() {
        return Cli.run("ingest", "--iss", "--iss-url", "http://127.0.0.1:" + server.getAddress().getPort(), "--secids",
                "SBER", "--from", "2024-01-08", "--to", "2024-01-09", "--db", "jdbc:sqlite:" + dir.resolve("fs.db"), "-q");
    }

    @Test
    @DisplayName("pages through the candles of a secid and stores them, converting Moscow time to UTC")
    void ingestsPages() {
        Cli.Run r = ingest();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("SBER: " + ROWS + " 1m candles read, " + ROWS + " new").contains("moex-iss");
        assertThat(requests).allSatisfy(q -> assertThat(q)
                .startsWith("/iss/engines/stock/markets/shares/boards/TQBR/securities/SBER/candles.json?")
                .contains("interval=1"));
        assertThat(requests.size()).isGreaterThanOrEqualTo(3);
        try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("fs.db")).build()) {
            CandleSeries stored = store.candles().readAll("SBER", Timeframe.ONE_MINUTE);
            assertThat(stored.size()).isEqualTo(ROWS);
            assertThat(stored.ts(0)).isEqualTo(FIRST.atZone(ZoneId.of("Europe/Moscow")).toInstant().toEpochMilli());
            assertThat(Instant.ofEpochMilli(stored.ts(0))).isEqualTo(Instant.parse("2024-01-08T07:00:00Z"));
            assertThat(stored.volume(ROWS - 1)).isEqualTo(1000 + ROWS - 1);
        }
    }

    @Test
    @DisplayName("a payload with the wrong columns exits 2 naming the URL and what is missing")
    void wrongColumnsExit2() {
        body = "{\"candles\": {\"columns\": [\"open\", \"close\"], \"data\": []}}";
        Cli.Run r = ingest();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("moex-iss").contains("candles.json")
                .contains("lacks columns");
    }
}

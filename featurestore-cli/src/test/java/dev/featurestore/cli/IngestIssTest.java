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
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final AtomicInteger requestCount = new AtomicInteger();
    private volatile String body;
    /** What the server answers to request number {@code no} (from 0) for page {@code start}; null: the page. */
    private volatile Answerer answerer = (start, no) -> null;

    /** A status and body the server sends instead of the page. */
    private record Answer(int status, String body) {
    }

    private interface Answerer {
        Answer answer(int start, int no);
    }

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
        Answer instead = answerer.answer(start, requestCount.getAndIncrement());
        String answer = instead != null ? instead.body() : body != null ? body : page(start);
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(instead != null ? instead.status() : 200, bytes.length);
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

    private Cli.Run ingest(String... more) {
        return ingestFrom("http://127.0.0.1:" + server.getAddress().getPort(), more);
    }

    private Cli.Run ingestFrom(String url, String... more) {
        List<String> args = new ArrayList<>(List.of("ingest", "--iss", "--iss-url", url, "--secids", "SBER", "--from",
                "2024-01-08", "--to", "2024-01-09", "--db", "jdbc:sqlite:" + dir.resolve("fs.db"), "-q"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    /** The 1m candles of SBER in the database; empty when none (or no database). */
    private CandleSeries stored() {
        try (Store store = FeatureStore.builder().storage("jdbc:sqlite:" + dir.resolve("fs.db")).build()) {
            return store.candles().readAll("SBER", Timeframe.ONE_MINUTE);
        }
    }

    /** A port on 127.0.0.1 where nothing listens. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
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
            assertThat(stored.ts()[0]).isEqualTo(FIRST.atZone(ZoneId.of("Europe/Moscow")).toInstant().toEpochMilli());
            assertThat(Instant.ofEpochMilli(stored.ts()[0])).isEqualTo(Instant.parse("2024-01-08T07:00:00Z"));
            assertThat(stored.volume()[ROWS - 1]).isEqualTo(1000 + ROWS - 1);
        }
    }

    @Test
    @DisplayName("a payload with the wrong columns on every attempt exits 69 naming the URL and what is missing")
    void wrongColumnsExit69() {
        body = "{\"candles\": {\"columns\": [\"open\", \"close\"], \"data\": []}}";
        Cli.Run r = ingest("--iss-retries", "1");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.SOURCE_UNAVAILABLE).isEqualTo(69);
        assertThat(r.errLines()).singleElement().asString().contains("moex-iss").contains("candles.json")
                .contains("lacks columns").endsWith("after 2 attempts");
        assertThat(requests).hasSize(2);
    }

    @Test
    @DisplayName("a truncated 200 page, then the same page whole: every candle is stored, once")
    void truncatedThenWhole() {
        answerer = (start, no) -> {
            if (start == 500 && requests.stream().filter(q -> q.endsWith("start=500")).count() == 1) {
                String full = page(500);
                return new Answer(200, full.substring(0, full.length() / 2));
            }
            return null;
        };
        Cli.Run r = ingest("--iss-retries", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("SBER: " + ROWS + " 1m candles read, " + ROWS + " new");
        assertThat(requests.stream().filter(q -> q.endsWith("start=500"))).hasSize(2);
        CandleSeries stored = stored();
        assertThat(stored.size()).isEqualTo(ROWS);
        assertThat(stored.volume()[ROWS - 1]).isEqualTo(1000 + ROWS - 1);
    }

    @Test
    @DisplayName("a page malformed on every attempt exits 69 and stores nothing of it; the whole pages before it stay")
    void alwaysMalformedExit69() {
        body = page(0).substring(0, 200);
        Cli.Run r = ingest("--iss-retries", "2");
        assertThat(r.code()).as(r.err()).isEqualTo(69);
        assertThat(r.errLines()).singleElement().asString().startsWith("featurestore ingest: moex-iss: http://127.0.0.1:")
                .contains("malformed JSON").endsWith("after 3 attempts");
        assertThat(stored().size()).isZero();

        // the first page whole, the second broken on every attempt: exactly the first page is stored
        body = null;
        requests.clear();
        answerer = (start, no) -> start == 500 ? new Answer(200, page(500).substring(0, 300)) : null;
        Cli.Run second = ingest("--iss-retries", "1");
        assertThat(second.code()).as(second.err()).isEqualTo(69);
        CandleSeries stored = stored();
        assertThat(stored.size()).isEqualTo(500);
        assertThat(Instant.ofEpochMilli(stored.ts()[499])).isEqualTo(Instant.parse("2024-01-08T07:00:00Z").plusSeconds(499 * 60));

        // the server mended: the same command resumes and stores the rest
        answerer = (start, no) -> null;
        assertThat(ingest().code()).isZero();
        assertThat(stored().size()).isEqualTo(ROWS);
    }

    @Test
    @DisplayName("HTTP 503 on every attempt exits 69 after the retries; a 404 is bad input, exit 2, not retried")
    void serverErrorsExit69() {
        answerer = (start, no) -> new Answer(503, "{\"error\": \"maintenance\"}");
        Cli.Run r = ingest("--iss-retries", "2");
        assertThat(r.code()).as(r.err()).isEqualTo(69);
        assertThat(r.errLines()).singleElement().asString().contains("HTTP 503").endsWith("after 3 attempts");
        assertThat(requests).hasSize(3);
        assertThat(stored().size()).isZero();

        requests.clear();
        answerer = (start, no) -> new Answer(404, "not found");
        Cli.Run notFound = ingest("--iss-retries", "2");
        assertThat(notFound.code()).as(notFound.err()).isEqualTo(2);
        assertThat(notFound.errLines()).singleElement().asString().contains("HTTP 404").contains("not retried");
        assertThat(requests).hasSize(1);
    }

    @Test
    @DisplayName("a connection refused exits 69 after the retries, naming the URL")
    void connectionRefusedExit69() throws IOException {
        int port = closedPort();
        Cli.Run r = ingestFrom("http://127.0.0.1:" + port, "--iss-retries", "1");
        assertThat(r.code()).as(r.err()).isEqualTo(69);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("featurestore ingest: moex-iss: http://127.0.0.1:" + port + "/iss/engines/stock/")
                .contains("ConnectException").endsWith("after 2 attempts");
    }

    @Test
    @DisplayName("--iss-url without a port names http://host/iss/..., never http://host:/iss/...")
    void urlWithoutPort() {
        // nothing is expected to listen on port 80 here; whatever answers, the URL printed has no empty port
        Cli.Run r = ingestFrom("http://127.0.0.1:", "--iss-retries", "0");
        assertThat(r.code()).as(r.err()).isNotZero();
        assertThat(r.err()).contains("http://127.0.0.1/iss/engines/stock/markets/shares/boards/TQBR/securities/SBER/")
                .doesNotContain("127.0.0.1:/");
    }

    @Test
    @DisplayName("bad usage of the ISS options still exits 2, before any request")
    void badUsageExit2() {
        Cli.Run missing = Cli.run("ingest", "--iss", "--secids", "SBER", "--db", "jdbc:sqlite:" + dir.resolve("fs.db"));
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.errLines()).singleElement().asString().contains("--iss needs --secids, --from and --to");
        Cli.Run retries = ingest("--iss-retries", "11");
        assertThat(retries.code()).isEqualTo(2);
        assertThat(retries.errLines()).singleElement().asString().contains("--iss-retries: maxRetries must be 0 to 10");
        Cli.Run url = ingestFrom("ftp://127.0.0.1");
        assertThat(url.code()).isEqualTo(2);
        assertThat(url.errLines()).singleElement().asString().contains("--iss-url: bad base URL 'ftp://127.0.0.1'");
        assertThat(requests).isEmpty();
    }
}

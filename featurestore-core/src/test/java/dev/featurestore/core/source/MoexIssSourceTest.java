package dev.featurestore.core.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.api.source.SourceException;
import dev.featurestore.api.source.SourceUnavailableException;
import dev.featurestore.core.resample.Resampler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs the ISS source against a local HTTP server on 127.0.0.1 that answers in the real ISS candle format. */
@DisplayName("MoexIssSource")
class MoexIssSourceTest {
    private static final DateTimeFormatter ISS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String COLUMNS = "[\"open\", \"close\", \"high\", \"low\", \"value\", \"volume\", \"begin\", \"end\"]";
    private static final String SBER_PATH = "/iss/engines/stock/markets/shares/boards/TQBR/securities/SBER/candles.json";
    private static final Clock NOW = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    /** One answer of the fake server: a status and a body. */
    private record Answer(int status, String body, long delayMillis) {
        static Answer ok(String body) {
            return new Answer(200, body, 0);
        }
    }

    /** A request the fake server saw. */
    private record Seen(String path, Map<String, String> query, long nanos) {
    }

    private interface Handler {
        Answer answer(String path, Map<String, String> query, int requestNo);
    }

    private HttpServer server;
    private ExecutorService executor;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile Handler handler;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long nanos = System.nanoTime();
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                query.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String path = exchange.getRequestURI().getPath();
        seen.add(new Seen(path, query, nanos));
        Answer a = handler.answer(path, query, count.getAndIncrement());
        if (a.delayMillis() > 0) {
            try {
                Thread.sleep(a.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(a.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private MoexIssSource.Builder source() {
        return MoexIssSource.builder().baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .minRequestInterval(Duration.ZERO).backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .requestTimeout(Duration.ofSeconds(5)).clock(NOW);
    }

    /** ISS rows of 1m candles starting at a Moscow time, in the real column order. */
    private static List<String> minuteRows(LocalDateTime firstMoscow, int n, long seed) {
        List<String> rows = new ArrayList<>();
        java.util.Random rnd = new java.util.Random(seed);
        double price = 270;
        for (int i = 0; i < n; i++) {
            LocalDateTime begin = firstMoscow.plusMinutes(i);
            double open = price;
            double close = Math.round((open + rnd.nextGaussian() * 0.3) * 100) / 100.0;
            double high = Math.max(open, close) + 0.05;
            double low = Math.min(open, close) - 0.05;
            long volume = 100 + rnd.nextInt(5000);
            rows.add("[" + open + ", " + close + ", " + high + ", " + low + ", " + (volume * close) + ", " + volume + ", \""
                    + ISS_TIME.format(begin) + "\", \"" + ISS_TIME.format(begin.plusSeconds(59)) + "\"]");
            price = close;
        }
        return rows;
    }

    private static String page(List<String> rows) {
        return "{\n\"candles\": {\n\t\"metadata\": {\"open\": {\"type\": \"double\"}, \"begin\": {\"type\": \"datetime\", \"bytes\": 19, \"max_size\": 0}},\n\t\"columns\": "
                + COLUMNS + ", \n\t\"data\": [\n" + String.join(",\n", rows) + "\n]}}";
    }

    /** Serves {@code rows} in pages of 500 by 'start', as ISS does. */
    private static Handler paged(List<String> rows) {
        return (path, query, no) -> {
            int start = Integer.parseInt(query.getOrDefault("start", "0"));
            return Answer.ok(page(rows.subList(Math.min(start, rows.size()), Math.min(start + 500, rows.size()))));
        };
    }

    private static Instant utc(String text) {
        return Instant.parse(text);
    }

    @Test
    @DisplayName("reads several pages of 500 via 'start' until an empty page, converting Moscow times to UTC")
    void severalPages() {
        List<String> rows = minuteRows(LocalDateTime.of(2024, 1, 8, 10, 0), 1200, 1);
        handler = paged(rows);
        MoexIssSource iss = source().build();
        List<CandleSeries> pages = new ArrayList<>();
        InputStats stats = iss.stream("SBER", Timeframe.ONE_MINUTE, utc("2024-01-08T00:00:00Z"), utc("2024-01-10T00:00:00Z"),
                pages::add);
        assertThat(pages).extracting(CandleSeries::size).containsExactly(500, 500, 200);
        assertThat(pages.get(0).ts(0)).isEqualTo(utc("2024-01-08T07:00:00Z").toEpochMilli());
        assertThat(pages.get(2).ts(199)).isEqualTo(utc("2024-01-08T07:00:00Z").toEpochMilli() + 1199 * 60_000L);
        assertThat(pages.get(0).open(0)).isEqualTo(270.0);
        assertThat(stats).isEqualTo(new InputStats("SBER", 1200, 0, 0));
        assertThat(seen).extracting(Seen::path).containsOnly(SBER_PATH);
        assertThat(seen).extracting(s -> s.query().get("start")).containsExactly("0", "500", "1000", "1200");
        assertThat(seen.get(0).query()).containsEntry("from", "2024-01-08").containsEntry("till", "2024-01-10")
                .containsEntry("interval", "1");
        CandleSeries one = iss.fetch("SBER", Timeframe.ONE_MINUTE, utc("2024-01-08T07:10:00Z"), utc("2024-01-08T07:20:00Z"));
        assertThat(one.size()).isEqualTo(10);
        assertThat(one.timeframe()).contains(Timeframe.ONE_MINUTE);
    }

    @Test
    @DisplayName("expects, from the range alone, the candles of 06:50 to midnight Moscow time each day that have closed by the clock")
    void expectedCandlesFromTheRange() {
        MoexIssSource iss = source().build();
        Instant from = utc("2024-01-08T00:00:00Z"); // 03:00 in Moscow
        Instant to = utc("2024-01-10T00:00:00Z");
        assertThat(iss.expectedCandles("SBER", Timeframe.ONE_MINUTE, from, to)).hasValue(2 * 1030);
        assertThat(iss.expectedCandles("SBER", Timeframe.parse("5m"), from, to)).hasValue(2 * 206);
        assertThat(iss.expectedCandles("SBER", Timeframe.parse("1h"), from, to)).hasValue(2 * 18); // 06:00 to 23:00
        // Moscow midnights of 9 and 10 January open in range (8 January's is before it)
        assertThat(iss.expectedCandles("SBER", Timeframe.parse("1d"), from, to)).hasValue(2);
        assertThat(iss.expectedCandles("SBER", Timeframe.ONE_MINUTE, from, from)).hasValue(0);
        MoexIssSource at13 = source().clock(Clock.fixed(utc("2024-01-08T10:00:00Z"), ZoneOffset.UTC)).build();
        assertThat(at13.expectedCandles("SBER", Timeframe.ONE_MINUTE, from, to)).hasValue(370); // 06:50 to 12:59 closed
        assertThat(at13.expectedCandles("SBER", Timeframe.parse("1h"), from, to)).hasValue(7); // 06:00 to 12:00

        handler = paged(minuteRows(LocalDateTime.of(2024, 1, 8, 10, 0), 1200, 1));
        long delivered = iss.fetch("SBER", Timeframe.ONE_MINUTE, from, to).size();
        assertThat(delivered).isEqualTo(1200).isLessThanOrEqualTo(iss.expectedCandles("SBER", Timeframe.ONE_MINUTE, from, to)
                .getAsLong());
    }

    @Test
    @DisplayName("an empty range gives an empty series after one request")
    void emptyRange() {
        handler = (path, query, no) -> Answer.ok(page(List.of()));
        CandleSeries s = source().build().fetch("SBER", Timeframe.parse("1h"), utc("2024-01-06T00:00:00Z"),
                utc("2024-01-07T00:00:00Z"));
        assertThat(s.size()).isZero();
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).query()).containsEntry("interval", "60");
    }

    @Test
    @DisplayName("retries after HTTP 500 and succeeds; gives up after the retries with the URL and status")
    void retriesServerErrors() {
        List<String> rows = minuteRows(LocalDateTime.of(2024, 1, 8, 10, 0), 3, 2);
        handler = (path, query, no) -> no == 0 ? new Answer(500, "{\"error\": \"busy\"}", 0) : paged(rows).answer(path, query, no);
        CandleSeries s = source().maxRetries(2).build().fetch("SBER", Timeframe.ONE_MINUTE, utc("2024-01-08T00:00:00Z"),
                utc("2024-01-09T00:00:00Z"));
        assertThat(s.size()).isEqualTo(3);
        assertThat(seen).hasSize(3); // 500, page, empty page

        seen.clear();
        handler = (path, query, no) -> new Answer(503, "down", 0);
        assertThatThrownBy(() -> source().maxRetries(2).build().fetch("SBER", Timeframe.ONE_MINUTE,
                utc("2024-01-08T00:00:00Z"), utc("2024-01-09T00:00:00Z")))
                .isInstanceOfSatisfying(SourceUnavailableException.class, e -> {
                    assertThat(e.source()).isEqualTo("moex-iss");
                    assertThat(e.location()).startsWith("http://127.0.0.1:").contains(SBER_PATH).contains("start=0");
                    assertThat(e.reason()).contains("HTTP 503").contains("after 3 attempts");
                    assertThat(e.attempts()).isEqualTo(3);
                });
        assertThat(seen).hasSize(3);
    }

    @Test
    @DisplayName("a 404 is not retried and names the URL")
    void clientErrorNotRetried() {
        handler = (path, query, no) -> new Answer(404, "not found", 0);
        assertThatThrownBy(() -> source().build().fetch("NOPE", Timeframe.ONE_MINUTE, utc("2024-01-08T00:00:00Z"),
                utc("2024-01-09T00:00:00Z")))
                .isInstanceOf(SourceException.class).isNotInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("/securities/NOPE/candles.json")
                .hasMessageContaining("HTTP 404").hasMessageContaining("not retried");
        assertThat(seen).hasSize(1);
    }

    @Test
    @DisplayName("a truncated body on every attempt is retried, then a SourceUnavailableException naming the URL; nothing is delivered")
    void truncatedBody() {
        String full = page(minuteRows(LocalDateTime.of(2024, 1, 8, 10, 0), 5, 3));
        handler = (path, query, no) -> Answer.ok(full.substring(0, full.length() / 2));
        List<CandleSeries> pages = new ArrayList<>();
        assertThatThrownBy(() -> source().maxRetries(2).build().stream("SBER", Timeframe.ONE_MINUTE,
                utc("2024-01-08T00:00:00Z"), utc("2024-01-09T00:00:00Z"), pages::add))
                .isInstanceOfSatisfying(SourceUnavailableException.class, e -> {
                    assertThat(e.location()).contains(SBER_PATH);
                    assertThat(e.reason()).startsWith("malformed JSON").endsWith("after 3 attempts");
                    assertThat(e.attempts()).isEqualTo(3);
                });
        assertThat(seen).hasSize(3);
        assertThat(pages).isEmpty();
    }

    @Test
    @DisplayName("a truncated 200 page, then the same page whole: the page is read again and delivered whole, once")
    void truncatedThenWhole() {
        List<String> rows = minuteRows(LocalDateTime.of(2024, 1, 8, 10, 0), 700, 8);
        Handler whole = paged(rows);
        // the second page (start=500) comes cut in the middle of a row the first time it is asked for
        AtomicInteger secondPageAsked = new AtomicInteger();
        handler = (path, query, no) -> {
            Answer a = whole.answer(path, query, no);
            if ("500".equals(query.get("start")) && secondPageAsked.getAndIncrement() == 0) {
                return Answer.ok(a.body().substring(0, a.body().length() * 2 / 3));
            }
            return a;
        };
        List<CandleSeries> pages = new ArrayList<>();
        InputStats stats = source().maxRetries(1).build().stream("SBER", Timeframe.ONE_MINUTE,
                utc("2024-01-08T00:00:00Z"), utc("2024-01-09T00:00:00Z"), pages::add);
        assertThat(pages).extracting(CandleSeries::size).containsExactly(500, 200);
        assertThat(stats).isEqualTo(new InputStats("SBER", 700, 0, 0));
        assertThat(seen).extracting(q -> q.query().get("start")).containsExactly("0", "500", "500", "700");
        assertThat(pages.get(1).ts(199)).isEqualTo(utc("2024-01-08T07:00:00Z").toEpochMilli() + 699 * 60_000L);
    }

    @Test
    @DisplayName("a body cut short of its Content-Length (connection closed) is retried like a failed request")
    void cutShortThenWhole() throws IOException {
        List<String> rows = minuteRows(LocalDateTime.of(2024, 1, 8, 10, 0), 3, 9);
        AtomicInteger served = new AtomicInteger();
        server.removeContext("/");
        server.createContext("/", exchange -> {
            String start = exchange.getRequestURI().getQuery().replaceAll(".*start=", "");
            seen.add(new Seen(exchange.getRequestURI().getPath(), Map.of("start", start), System.nanoTime()));
            byte[] body = page("0".equals(start) ? rows : List.of()).getBytes(StandardCharsets.UTF_8);
            if (served.getAndIncrement() == 0) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body, 0, body.length / 2);
                exchange.getResponseBody().flush();
                exchange.close(); // fewer bytes than announced
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        CandleSeries s = source().maxRetries(1).build().fetch("SBER", Timeframe.ONE_MINUTE, utc("2024-01-08T00:00:00Z"),
                utc("2024-01-09T00:00:00Z"));
        assertThat(s.size()).isEqualTo(3);
        assertThat(seen).extracting(q -> q.query().get("start")).containsExactly("0", "0", "3");
    }

    @Test
    @DisplayName("a connection refused is retried, then a SourceUnavailableException naming the URL")
    void connectionRefused() throws IOException {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = closed.getLocalPort();
        }
        MoexIssSource iss = source().baseUrl("http://127.0.0.1:" + port).maxRetries(1).build();
        assertThatThrownBy(() -> iss.fetch("SBER", Timeframe.ONE_MINUTE, utc("2024-01-08T00:00:00Z"),
                utc("2024-01-09T00:00:00Z")))
                .isInstanceOfSatisfying(SourceUnavailableException.class, e -> {
                    assertThat(e.location()).startsWith("http://127.0.0.1:" + port + SBER_PATH + "?");
                    assertThat(e.reason()).contains("I/O error").contains("ConnectException").endsWith("after 2 attempts");
                });
    }

    @Test
    @DisplayName("a base URL is rebuilt from its parts: no empty port, no trailing slash, a path prefix kept")
    void baseUrlNormalised() {
        assertThat(MoexIssSource.builder().baseUrl("http://127.0.0.1:").build().baseUrl()).hasToString("http://127.0.0.1");
        assertThat(MoexIssSource.builder().baseUrl("http://127.0.0.1:/").build().baseUrl()).hasToString("http://127.0.0.1");
        assertThat(MoexIssSource.builder().baseUrl("https://iss.moex.com/").build().baseUrl())
                .hasToString("https://iss.moex.com");
        assertThat(MoexIssSource.builder().baseUrl("http://[::1]:8080/proxy//").build().baseUrl())
                .hasToString("http://[::1]:8080/proxy");
        assertThatThrownBy(() -> MoexIssSource.builder().baseUrl("http://host/?a=1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without query");
        assertThatThrownBy(() -> MoexIssSource.builder().baseUrl("http://host:80x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad base URL 'http://host:80x'");

        // the URL asked for and named in errors has no ':' before the path when no port is given
        int port = server.getAddress().getPort();
        handler = (path, query, no) -> new Answer(404, "not found", 0);
        assertThatThrownBy(() -> source().baseUrl("http://127.0.0.1:" + port + "/").build().fetch("SBER",
                Timeframe.ONE_MINUTE, utc("2024-01-08T00:00:00Z"), utc("2024-01-09T00:00:00Z")))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.location())
                        .startsWith("http://127.0.0.1:" + port + SBER_PATH + "?from="));
        assertThat(seen).extracting(Seen::path).containsExactly(SBER_PATH);
        assertThatThrownBy(() -> MoexIssSource.builder().baseUrl("http://127.0.0.1:").maxRetries(0)
                .connectTimeout(Duration.ofMillis(500)).minRequestInterval(Duration.ZERO).build()
                .fetch("SBER", Timeframe.ONE_MINUTE, utc("2024-01-08T00:00:00Z"), utc("2024-01-09T00:00:00Z")))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.location())
                        .startsWith("http://127.0.0.1" + SBER_PATH + "?").doesNotContain("127.0.0.1:/"));
    }

    @Test
    @DisplayName("wrong or missing columns, a missing block, a short row, a non-numeric value, a bad time and HTML are retried, then clear errors; an invalid candle is not retried")
    void unexpectedPayloads() {
        MoexIssSource iss = source().build();
        Instant from = utc("2024-01-08T00:00:00Z");
        Instant to = utc("2024-01-09T00:00:00Z");
        handler = (path, query, no) -> Answer.ok("{\"candles\": {\"columns\": [\"open\", \"close\", \"high\", \"low\", \"value\", \"volume\", \"start\"], \"data\": []}}");
        assertThatThrownBy(() -> iss.fetch("SBER", Timeframe.ONE_MINUTE, from, to)).isInstanceOf(SourceException.class)
                .hasMessageContaining("lacks columns [begin]").hasMessageContaining("start");

        handler = (path, query, no) -> Answer.ok("{\"history\": {\"columns\": [], \"data\": []}}");
        assertThatThrownBy(() -> iss.fetch("SBER", Timeframe.ONE_MINUTE, from, to)).isInstanceOf(SourceException.class)
                .hasMessageContaining("no 'candles' block").hasMessageContaining("[history]");

        handler = (path, query, no) -> Answer.ok("{\"candles\": {\"columns\": " + COLUMNS
                + ", \"data\": [[1, 1, 1, 1, 10, 10, \"2024-01-08 10:00:00\"]]}}");
        assertThatThrownBy(() -> iss.fetch("SBER", Timeframe.ONE_MINUTE, from, to)).isInstanceOf(SourceException.class)
                .hasMessageContaining("data row 0 has 7 values");

        handler = (path, query, no) -> Answer.ok("{\"candles\": {\"columns\": " + COLUMNS
                + ", \"data\": [[1, 1, \"abc\", 1, 10, 10, \"2024-01-08 10:00:00\", \"2024-01-08 10:00:59\"]]}}");
        seen.clear();
        assertThatThrownBy(() -> iss.fetch("SBER", Timeframe.ONE_MINUTE, from, to))
                .isInstanceOfSatisfying(SourceUnavailableException.class, e -> {
                    assertThat(e.column()).isEqualTo("high");
                    assertThat(e.attempts()).isEqualTo(4);
                    assertThat(e.reason()).contains("non-numeric value 'abc'");
                    assertThat(e.location()).contains(SBER_PATH);
                });

        handler = (path, query, no) -> Answer.ok("{\"candles\": {\"columns\": " + COLUMNS
                + ", \"data\": [[1, 1, 1, 1, 10, 10, \"08.01.2024 10:00\", \"2024-01-08 10:00:59\"]]}}");
        assertThatThrownBy(() -> iss.fetch("SBER", Timeframe.ONE_MINUTE, from, to)).isInstanceOf(SourceException.class)
                .hasMessageContaining("column 'begin'").hasMessageContaining("not a time");

        handler = (path, query, no) -> Answer.ok("{\"candles\": {\"columns\": " + COLUMNS
                + ", \"data\": [[10, 10, 9, 8, 10, 10, \"2024-01-08 10:00:00\", \"2024-01-08 10:00:59\"]]}}");
        seen.clear();
        assertThatThrownBy(() -> iss.fetch("SBER", Timeframe.ONE_MINUTE, from, to))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e).as("a well-formed page with an invalid candle is not retried")
                            .isNotInstanceOf(SourceUnavailableException.class);
                    assertThat(e.column()).isEqualTo("high");
                    assertThat(e.reason()).startsWith("data row 0: ").contains("high must be >= max(open, close)");
                });
        assertThat(seen).hasSize(1);

        handler = (path, query, no) -> Answer.ok("<html>maintenance</html>");
        assertThatThrownBy(() -> iss.fetch("SBER", Timeframe.ONE_MINUTE, from, to)).isInstanceOf(SourceException.class)
                .hasMessageContaining("malformed JSON").hasMessageContaining("<html>");
    }

    @Test
    @DisplayName("a begin time with a fraction of a second is refused, never rounded to the second or millisecond")
    void fractionalTimeRefused() {
        MoexIssSource iss = source().maxRetries(0).build();
        handler = (path, query, no) -> Answer.ok("{\"candles\": {\"columns\": " + COLUMNS
                + ", \"data\": [[1, 1, 1, 1, 10, 10, \"2024-01-08 10:00:00.0001\", \"2024-01-08 10:00:59\"]]}}");
        assertThatThrownBy(() -> iss.fetch("SBER", Timeframe.ONE_MINUTE, utc("2024-01-08T00:00:00Z"),
                utc("2024-01-09T00:00:00Z")))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.column()).isEqualTo("begin");
                    assertThat(e.reason()).contains("2024-01-08 10:00:00.0001").contains("not a time");
                });
    }

    @Test
    @DisplayName("Moscow time converts with the zone's history: UTC+4 in 2013, UTC+3 since late 2014, no shift on the European DST dates")
    void moscowTimeConversion() {
        handler = (path, query, no) -> {
            if (!"0".equals(query.get("start"))) {
                return Answer.ok(page(List.of()));
            }
            return Answer.ok(page(List.of(
                    "[1, 1, 1, 1, 1, 1, \"2013-06-03 10:00:00\", \"2013-06-03 10:59:59\"]",
                    "[1, 1, 1, 1, 1, 1, \"2014-10-27 10:00:00\", \"2014-10-27 10:59:59\"]",
                    "[1, 1, 1, 1, 1, 1, \"2024-03-29 10:00:00\", \"2024-03-29 10:59:59\"]",
                    "[1, 1, 1, 1, 1, 1, \"2024-04-01 10:00:00\", \"2024-04-01 10:59:59\"]",
                    "[1, 1, 1, 1, 1, 1, \"2024-10-28 23:00:00\", \"2024-10-28 23:59:59\"]")));
        };
        CandleSeries s = source().build().fetch("SBER", Timeframe.parse("1h"), utc("2013-01-01T00:00:00Z"),
                utc("2024-12-31T00:00:00Z"));
        assertThat(s.timestamps()).containsExactly(utc("2013-06-03T06:00:00Z").toEpochMilli(),
                utc("2014-10-27T07:00:00Z").toEpochMilli(), utc("2024-03-29T07:00:00Z").toEpochMilli(),
                utc("2024-04-01T07:00:00Z").toEpochMilli(), utc("2024-10-28T20:00:00Z").toEpochMilli());
    }

    @Test
    @DisplayName("5m comes from 1m candles resampled; a candle still forming at the clock's time is left out")
    void resamplesFiveMinutes() {
        List<String> rows = minuteRows(LocalDateTime.of(2024, 1, 8, 10, 0), 60, 4);
        handler = paged(rows);
        Clock midSession = Clock.fixed(utc("2024-01-08T07:42:30Z"), ZoneOffset.UTC);
        MoexIssSource iss = source().clock(midSession).build();
        CandleSeries fiveMin = iss.fetch("SBER", Timeframe.parse("5m"), utc("2024-01-08T07:03:00Z"), utc("2024-01-08T08:00:00Z"));
        assertThat(seen.get(0).query()).containsEntry("interval", "1");
        CandleSeries oneMinute = source().clock(midSession).build().fetch("SBER", Timeframe.ONE_MINUTE,
                utc("2024-01-08T07:00:00Z"), utc("2024-01-08T08:00:00Z"));
        assertThat(oneMinute.size()).isEqualTo(42); // 07:00 .. 07:41 have closed by 07:42:30
        CandleSeries expected = Resampler.resample(oneMinute, Timeframe.parse("5m"), utc("2024-01-08T07:42:30Z"), ZoneOffset.UTC);
        // buckets opening at 07:05 .. 07:35 (07:00 opens before 'from', 07:40 is still forming)
        assertThat(fiveMin.timestamps()).containsExactly(java.util.Arrays.copyOfRange(expected.timestamps(), 1, 8));
        assertThat(fiveMin.closes()).containsExactly(java.util.Arrays.copyOfRange(expected.closes(), 1, 8));
        assertThat(fiveMin.volumes()).containsExactly(java.util.Arrays.copyOfRange(expected.volumes(), 1, 8));
        assertThat(fiveMin.timeframe()).contains(Timeframe.parse("5m"));
        assertThat(iss.supports(Timeframe.parse("15m"))).isTrue();
        assertThat(iss.supports(Timeframe.parse("7m"))).isTrue(); // any whole number of minutes comes from 1m
        assertThat(iss.nativeTimeframes()).containsExactlyInAnyOrder(Timeframe.ONE_MINUTE, Timeframe.parse("10m"),
                Timeframe.parse("1h"), Timeframe.parse("1d"));
    }

    @Test
    @DisplayName("a row a previous page already delivered is dropped and counted as a repeat")
    void countsRepeatsAcrossPages() {
        List<String> first = minuteRows(LocalDateTime.of(2024, 1, 8, 10, 0), 4, 5);
        List<String> second = new ArrayList<>(minuteRows(LocalDateTime.of(2024, 1, 8, 10, 3), 3, 5));
        handler = (path, query, no) -> Answer.ok(page(switch (query.get("start")) {
            case "0" -> first;
            case "4" -> second; // 10:03 again (a repeat), then 10:04, 10:05
            default -> List.of();
        }));
        List<CandleSeries> pages = new ArrayList<>();
        InputStats stats = source().build().stream("SBER", Timeframe.ONE_MINUTE, utc("2024-01-08T00:00:00Z"),
                utc("2024-01-09T00:00:00Z"), pages::add);
        assertThat(pages).extracting(CandleSeries::size).containsExactly(4, 2);
        assertThat(stats).isEqualTo(new InputStats("SBER", 7, 1, 0));
        assertThat(pages.get(1).ts(0)).isEqualTo(utc("2024-01-08T07:04:00Z").toEpochMilli());
    }

    @Test
    @DisplayName("rows out of order within a page are sorted and counted")
    void countsDisorderWithinPage() {
        List<String> rows = new ArrayList<>(minuteRows(LocalDateTime.of(2024, 1, 8, 10, 0), 5, 7));
        java.util.Collections.swap(rows, 1, 3);
        handler = (path, query, no) -> Answer.ok(page("0".equals(query.get("start")) ? rows : List.of()));
        List<CandleSeries> pages = new ArrayList<>();
        InputStats stats = source().build().stream("SBER", Timeframe.ONE_MINUTE, utc("2024-01-08T00:00:00Z"),
                utc("2024-01-09T00:00:00Z"), pages::add);
        assertThat(stats).isEqualTo(new InputStats("SBER", 5, 0, 2)); // 10:00, 10:03, 10:02, 10:01, 10:04: two steps back
        assertThat(pages.get(0).size()).isEqualTo(5);
    }

    @Test
    @DisplayName("keeps at least the minimum interval between requests")
    void politeRate() {
        handler = paged(minuteRows(LocalDateTime.of(2024, 1, 8, 10, 0), 1500, 6));
        long t0 = System.nanoTime();
        CandleSeries all = source().minRequestInterval(Duration.ofMillis(80)).build().fetch("SBER", Timeframe.ONE_MINUTE,
                utc("2024-01-08T00:00:00Z"), utc("2024-01-10T00:00:00Z"));
        assertThat(all.size()).as("three pages gathered into one series").isEqualTo(1500);
        // four requests on a local server take a few milliseconds unpaced; paced, at least three intervals
        // (measured at the client: arrival times at the server jitter on a busy machine)
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(240));
        assertThat(seen).hasSize(4);
    }

    @Test
    @DisplayName("a response slower than the request timeout is retried, then reported as a timeout")
    void requestTimeout() {
        handler = (path, query, no) -> new Answer(200, page(List.of()), 1_500);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> source().requestTimeout(Duration.ofMillis(150)).maxRetries(1).build()
                .fetch("SBER", Timeframe.ONE_MINUTE, utc("2024-01-08T00:00:00Z"), utc("2024-01-09T00:00:00Z")))
                .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("timed out")
                .hasMessageContaining("request timeout 150 ms").hasMessageContaining("after 2 attempts");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1_400));
        assertThat(seen).hasSize(2);
    }

    @Test
    @DisplayName("backoff doubles from the initial wait up to the cap; settings are checked at once")
    void backoffAndSettings() {
        MoexIssSource iss = MoexIssSource.builder().backoff(Duration.ofMillis(100), Duration.ofMillis(700)).build();
        assertThat(List.of(iss.backoff(0), iss.backoff(1), iss.backoff(2), iss.backoff(3), iss.backoff(40)))
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                        Duration.ofMillis(700), Duration.ofMillis(700));
        assertThat(MoexIssSource.builder().build().baseUrl()).hasToString("https://iss.moex.com");
        assertThatThrownBy(() -> MoexIssSource.builder().baseUrl("ftp://x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MoexIssSource.builder().board("TQ/BR")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MoexIssSource.builder().maxRetries(11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MoexIssSource.builder().requestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> iss.fetch("SB ER", Timeframe.ONE_MINUTE, Instant.EPOCH, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad secid");
    }

    @Test
    @DisplayName("engine, market and board go into the path")
    void customBoard() {
        handler = (path, query, no) -> Answer.ok(page(List.of()));
        source().engine("currency").market("selt").board("CETS").build().fetch("USD000UTSTOM", Timeframe.parse("1d"),
                utc("2024-01-08T00:00:00Z"), utc("2024-02-08T00:00:00Z"));
        assertThat(seen.get(0).path()).isEqualTo("/iss/engines/currency/markets/selt/boards/CETS/securities/USD000UTSTOM/candles.json");
        assertThat(seen.get(0).query()).containsEntry("interval", "24").containsEntry("from", "2024-01-08")
                .containsEntry("till", "2024-02-08");
    }
}

package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
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
import java.time.LocalDate;
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
    private static final Timeframe D1 = Timeframe.parse("1d");

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    private volatile String body;
    /** What the server answers to request number {@code no} (from 0) for page {@code start}; null: the page. */
    private volatile Answerer answerer = (start, no) -> null;
    /** A secid the server answers 404 for, as ISS does for an unknown one; null: none. */
    private volatile String unknownSecid;

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
        Answer instead = unknownSecid != null && exchange.getRequestURI().getPath().contains("/" + unknownSecid + "/")
                ? new Answer(404, "unknown security") : answerer.answer(start, requestCount.getAndIncrement());
        String answer = instead != null ? instead.body() : body != null ? body
                : query.contains("interval=24") ? dailyPage(start) : page(start);
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
        return block(rows);
    }

    private static String block(List<String> rows) {
        return "{\"candles\": {\"metadata\": {}, \"columns\": " + COLUMNS + ", \"data\": [" + String.join(",", rows) + "]}}";
    }

    /** Every weekday of two spans (August 2004, September and October 2008), keyed by ISS at Moscow midnight. */
    private static final List<LocalDate> DAYS = weekdays(LocalDate.of(2004, 8, 16), LocalDate.of(2004, 8, 31),
            LocalDate.of(2008, 9, 1), LocalDate.of(2008, 10, 31));

    private static List<LocalDate> weekdays(LocalDate... spans) {
        List<LocalDate> out = new ArrayList<>();
        for (int s = 0; s < spans.length; s += 2) {
            for (LocalDate d = spans[s]; !d.isAfter(spans[s + 1]); d = d.plusDays(1)) {
                if (d.getDayOfWeek().getValue() <= 5) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static double[] daily(int i) {
        double open = 100 + 3 * Math.sin(i * 0.41);
        double close = open * (1 + 0.012 * Math.cos(i * 0.77));
        return new double[] {open, Math.max(open, close) + 0.25, Math.min(open, close) - 0.3, close, 5e5 + 37 * i};
    }

    /** Rows {@code start ..} of the daily candles (interval=24), 100 a page, begin and end in Moscow time. */
    private static String dailyPage(int start) {
        List<String> rows = new ArrayList<>();
        for (int i = start; i < Math.min(DAYS.size(), start + 100); i++) {
            double[] c = daily(i);
            LocalDateTime begin = DAYS.get(i).atStartOfDay();
            rows.add("[" + c[0] + ", " + c[3] + ", " + c[1] + ", " + c[2] + ", " + (c[3] * c[4]) + ", " + c[4] + ", \""
                    + ISS_TIME.format(begin) + "\", \"" + ISS_TIME.format(begin.plusDays(1).minusSeconds(1)) + "\"]");
        }
        return block(rows);
    }

    /** The same days as a CSV keyed at 00:00Z of each date, as many daily files are. */
    private Path dailyCsv() {
        List<String> lines = new ArrayList<>();
        lines.add("secid,ts,open,high,low,close,volume");
        for (int i = 0; i < DAYS.size(); i++) {
            double[] c = daily(i);
            lines.add("SBER," + DAYS.get(i) + "T00:00:00Z," + c[0] + "," + c[1] + "," + c[2] + "," + c[3] + "," + c[4]);
        }
        return Cli.write(dir.resolve("daily.csv"), lines);
    }

    private Path dailyRegistry() {
        return Cli.write(dir.resolve("daily.yaml"), List.of("version: 1", "feature_sets:", "  daily_v1:",
                "    description: Three daily features.", "    default_window_size: 1", "    timeframes: [1d]",
                "    features: [return_1, intraday_range_pct, candle_body_pct]"));
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String db(Path file) {
        return "jdbc:sqlite:" + file;
    }

    private static long moscowMidnight(LocalDate d) {
        return d.atStartOfDay(ZoneId.of("Europe/Moscow")).toInstant().toEpochMilli();
    }

    @Test
    @DisplayName("a secid failing mid-ingest: the error is the first stderr line, then the progress, whose stage says FAILED (not done); the earlier secid stays stored")
    void failureMidIngest() {
        unknownSecid = "NOPE";
        String db = db(dir.resolve("fail.db"));
        Cli.Run r = Cli.run("ingest", "--iss", "--iss-url", url(), "--secids", "SBER,NOPE", "--from", "2024-01-08",
                "--to", "2024-01-09", "--db", db);
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        List<String> err = r.errLines();
        assertThat(err.get(0)).startsWith("featurestore ingest: moex-iss: ").contains("/NOPE/").contains("404");
        assertThat(err.subList(1, err.size())).containsExactly("ingest SBER: " + ROWS + " rows (1/2)",
                err.get(err.size() - 1));
        assertThat(err.get(err.size() - 1)).startsWith("ingest: FAILED after ").contains("(1 of 2 secids done)")
                .contains("404");
        assertThat(r.err()).doesNotContain("done in");
        try (Store store = FeatureStore.builder().storage(db).build()) {
            assertThat(store.candles().readAll("SBER", Timeframe.ONE_MINUTE).size()).isEqualTo(ROWS);
        }
    }

    @Test
    @DisplayName("ingest --iss --timeframe 1d of one date stores that date's candle, keyed by its Moscow midnight")
    void oneDailyDate() {
        Cli.Run r = Cli.run("ingest", "--iss", "--iss-url", url(), "--secids", "SBER", "--timeframe", "1d",
                "--from", "2004-08-23", "--to", "2004-08-23", "--db", db(dir.resolve("one.db")), "-q");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(requests).anySatisfy(q -> assertThat(q).contains("from=2004-08-23").contains("till=2004-08-23")
                .contains("interval=24"));
        try (Store store = FeatureStore.builder().storage(db(dir.resolve("one.db"))).build()) {
            CandleSeries stored = store.candles().readAll("SBER", D1);
            assertThat(stored.size()).isEqualTo(1);
            assertThat(Instant.ofEpochMilli(stored.ts(0))).isEqualTo(Instant.parse("2004-08-22T20:00:00Z"));
            assertThat(stored.close(0)).isEqualTo(daily(DAYS.indexOf(LocalDate.of(2004, 8, 23)))[3]);
        }
    }

    @Test
    @DisplayName("ISS daily pages and a CSV of the same days keyed at 00:00Z store the same candles, once")
    void issAndCsvAgree() {
        String iss = db(dir.resolve("iss.db"));
        String csv = db(dir.resolve("csv.db"));
        Cli.Run a = Cli.run("ingest", "--iss", "--iss-url", url(), "--secids", "SBER", "--timeframe", "1d",
                "--from", "2004-08-16", "--to", "2008-10-31", "--db", iss, "-q");
        assertThat(a.code()).as(a.err()).isZero();
        Path file = dailyCsv();
        Cli.Run b = Cli.run("ingest", "--csv", file.toString(), "--timeframe", "1d", "--db", csv, "-q");
        assertThat(b.code()).as(b.err()).isZero();
        // the CSV into the ISS database: every day is already there, nothing new, nothing twice
        Cli.Run c = Cli.run("ingest", "--csv", file.toString(), "--timeframe", "1d", "--db", iss, "--no-resume", "-q");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("SBER: " + DAYS.size() + " 1d candles read, 0 new, 0 replaced, " + DAYS.size()
                + " unchanged");
        try (Store fromIss = FeatureStore.builder().storage(iss).build();
                Store fromCsv = FeatureStore.builder().storage(csv).build()) {
            CandleSeries x = fromIss.candles().readAll("SBER", D1);
            CandleSeries y = fromCsv.candles().readAll("SBER", D1);
            assertThat(x.size()).isEqualTo(DAYS.size());
            assertThat(y.timestamps()).isEqualTo(x.timestamps());
            assertThat(y.opens()).isEqualTo(x.opens());
            assertThat(y.highs()).isEqualTo(x.highs());
            assertThat(y.lows()).isEqualTo(x.lows());
            assertThat(y.closes()).isEqualTo(x.closes());
            assertThat(y.volumes()).isEqualTo(x.volumes());
            for (int i = 0; i < DAYS.size(); i++) {
                assertThat(x.ts(i)).as(DAYS.get(i).toString()).isEqualTo(moscowMidnight(DAYS.get(i)));
            }
        }
    }

    @Test
    @DisplayName("build and export --timeframe 1d --from 2008-10-01 --to 2008-10-03 give 3 rows and the same file name from either source")
    void threeTradingDays() {
        Path registry = dailyRegistry();
        for (String source : List.of("iss", "csv")) {
            String db = db(dir.resolve(source + "-build.db"));
            Cli.Run in = source.equals("iss")
                    ? Cli.run("ingest", "--iss", "--iss-url", url(), "--secids", "SBER", "--timeframe", "1d",
                            "--from", "2008-09-01", "--to", "2008-10-31", "--db", db, "-q")
                    : Cli.run("ingest", "--csv", dailyCsv().toString(), "--timeframe", "1d", "--db", db, "-q");
            assertThat(in.code()).as(in.err()).isZero();
            String[] range = {"--set", "daily_v1", "--timeframe", "1d", "--secids", "SBER", "--from", "2008-10-01",
                "--to", "2008-10-03", "--config", registry.toString(), "--db", db, "-q"};
            Cli.Run build = Cli.run(concat("build", range));
            assertThat(build.code()).as(build.err()).isZero();
            Path snapshots = dir.resolve(source + "-snap");
            Cli.Run export = Cli.run(concat("export", concat("--snapshot-dir", concat(snapshots.toString(), range))));
            assertThat(export.code()).as(export.err()).isZero();
            // the last row, 3 October, is known at the start of 4 October in Moscow
            assertThat(snapshots.resolve("daily_v1/1d/20081004.parquet")).as(source).isRegularFile();
            try (Store store = FeatureStore.builder().registry(registry).storage(db).build()) {
                FeatureFrame rows = store.forSet("daily_v1").timeframe(D1).secid("SBER").frame();
                assertThat(rows.size()).as(source).isEqualTo(3);
                assertThat(rows.ts(0)).isEqualTo(moscowMidnight(LocalDate.of(2008, 10, 1)));
                assertThat(rows.ts(2)).isEqualTo(moscowMidnight(LocalDate.of(2008, 10, 3)));
            }
        }
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
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
            assertThat(stored.ts(0)).isEqualTo(FIRST.atZone(ZoneId.of("Europe/Moscow")).toInstant().toEpochMilli());
            assertThat(Instant.ofEpochMilli(stored.ts(0))).isEqualTo(Instant.parse("2024-01-08T07:00:00Z"));
            assertThat(stored.volume(ROWS - 1)).isEqualTo(1000 + ROWS - 1);
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
        assertThat(stored.volume(ROWS - 1)).isEqualTo(1000 + ROWS - 1);
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
        assertThat(Instant.ofEpochMilli(stored.ts(499))).isEqualTo(Instant.parse("2024-01-08T07:00:00Z").plusSeconds(499 * 60));

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

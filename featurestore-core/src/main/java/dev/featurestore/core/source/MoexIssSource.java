package dev.featurestore.core.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.InvalidCandleException;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.source.CandleSource;
import dev.featurestore.api.source.InputStats;
import dev.featurestore.api.source.SourceException;
import dev.featurestore.core.calendar.ExchangeCalendar;
import dev.featurestore.api.source.SourceUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Candles from the Moscow Exchange's information and statistics server (ISS), over HTTP:
 * {@code GET {base}/iss/engines/{engine}/markets/{market}/boards/{board}/securities/{secid}/candles.json?from=&till=&interval=&start=}.
 *
 * <pre>{@code
 * MoexIssSource iss = MoexIssSource.builder().board("TQBR").minRequestInterval(Duration.ofMillis(250)).build();
 * CandleSeries sber = iss.fetch("SBER", Timeframe.parse("5m"), from, to);   // 1m candles, resampled
 * }</pre>
 *
 * <p>ISS serves candle intervals 1, 10, 60 and 24 ({@code 1m, 10m, 1h, 1d}); other timeframes
 * are resampled with {@link dev.featurestore.core.resample.Resampler} from the coarsest of those
 * that divides them ({@code 5m} and {@code 15m} from {@code 1m}, {@code 30m} from {@code 10m},
 * {@code 4h} from {@code 1h}). A response has a {@code candles} block with {@code columns}
 * ({@code open, close, high, low, value, volume, begin, end}) and {@code data} rows; {@code begin}
 * is the candle's open time, {@code YYYY-MM-DD hh:mm:ss} in Moscow time, converted here to UTC with
 * the {@code Europe/Moscow} rules (UTC+3 since October 2014, UTC+4 and UTC+3/+4 before). Pages hold
 * up to 500 rows; the next page is asked for with {@code start} until an empty page. The request
 * names whole Moscow days ({@code from} and {@code till}); candles are then kept when they open in
 * {@code [from, to)} and have closed by the source's clock (a candle still forming is never
 * returned). A daily ({@code interval=24}) candle's {@code begin} is Moscow midnight; its
 * {@code ts} is the start of the trading day that instant lies in, in the exchange zone
 * ({@link Builder#exchangeZone(ZoneId)}, {@code Europe/Moscow} by default; see
 * {@link ExchangeCalendar}), so it stays Moscow midnight unless another zone is named.
 *
 * <p>HTTP: one {@link HttpClient} per source, a connect and a per-request timeout, at least
 * {@link Builder#minRequestInterval(Duration)} between the starts of two requests (shared by all
 * threads using this source), and retries with exponential backoff, up to
 * {@link Builder#maxRetries(int)} retries, on HTTP 5xx and 429, timeouts, I/O errors (a connection
 * refused or cut short) and an HTTP 200 whose payload is not what ISS sends (not JSON, truncated, no
 * {@code candles} block, missing columns, a row of the wrong length, a value that is not a number
 * or a time). Only whole pages count: a page is read completely and checked before any of its
 * candles is handed on, so nothing of a broken page reaches the store. When every attempt failed,
 * the error is a {@link SourceUnavailableException} naming the URL, the last problem and the
 * number of attempts. Any other status (a 404 for an unknown board or secid, say) is a
 * {@link SourceException} at once, and so is a well-formed page holding an invalid candle.
 *
 * <p>Immutable and thread-safe.
 */
public final class MoexIssSource implements CandleSource {
    /** The name of this source in errors. */
    public static final String NAME = "moex-iss";
    /** The default server. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://iss.moex.com");
    /** The zone of ISS times. */
    public static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    /** The columns of the {@code candles} block this source reads (ISS also sends {@code value} and {@code end}). */
    public static final List<String> REQUIRED_COLUMNS = List.of("open", "close", "high", "low", "volume", "begin");

    /**
     * The earliest trading time of a day, Moscow time: the stock and currency markets' morning
     * session opens at 06:50 (the futures market later); the evening session closes by midnight.
     */
    public static final LocalTime TRADING_WINDOW_OPEN = LocalTime.of(6, 50);

    private static final Map<Timeframe, Integer> INTERVALS = Map.of(Timeframe.ONE_MINUTE, 1, Timeframe.parse("10m"), 10,
            Timeframe.parse("1h"), 60, Timeframe.parse("1d"), 24);
    private static final DateTimeFormatter ISS_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final Logger LOG = LoggerFactory.getLogger(MoexIssSource.class);
    private static final Pattern PATH_PART = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final URI baseUrl;
    private final String engine;
    private final String market;
    private final String board;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration minRequestInterval;
    private final Clock clock;
    private final ExchangeCalendar calendar;
    private final HttpClient client;
    private final Object paceLock = new Object();
    private long nextRequestNanos = Long.MIN_VALUE;

    private MoexIssSource(Builder b) {
        this.baseUrl = b.baseUrl;
        this.engine = b.engine;
        this.market = b.market;
        this.board = b.board;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.minRequestInterval = b.minRequestInterval;
        this.clock = b.clock;
        this.calendar = ExchangeCalendar.of(b.exchangeZone);
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** {@return a new builder with the defaults: {@code https://iss.moex.com}, stock/shares/TQBR (see {@link Builder})} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@code 1m, 10m, 1h, 1d}: the intervals ISS serves. */
    @Override
    public Set<Timeframe> nativeTimeframes() {
        return INTERVALS.keySet();
    }

    @Override
    public boolean supports(Timeframe target) {
        return SourceTimeframes.baseFor(nativeTimeframes(), target) != null;
    }

    /** {@return the server asked, as {@link Builder#baseUrl(String)} normalised it} */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * At most how many candles {@link #stream} delivers, counted from the requested range alone
     * (ISS says nothing of a range's size before its pages are read): the candles of
     * {@code timeframe} that open in {@code [from, to)}, have closed by the source's clock and
     * overlap the trading window {@link #TRADING_WINDOW_OPEN}–midnight Moscow time on any day,
     * weekends included (the earliest morning session of the stock, currency and futures markets
     * to the end of the evening session, and the weekend sessions inside it). A history with
     * weekends or hours without trades gets fewer. {@code 1d} counts the trading days in range.
     *
     * @param secid the instrument (every secid has the same window)
     * @param timeframe the timeframe asked of {@link #stream}
     * @param from the first open time
     * @param to the end, exclusive
     * @return the count, or empty when the timeframe is not one this source delivers or the range is reversed
     */
    @Override
    public OptionalLong expectedCandles(String secid, Timeframe timeframe, Instant from, Instant to) {
        if (!supports(timeframe) || from.isAfter(to)) {
            return OptionalLong.empty();
        }
        long start = from.toEpochMilli();
        long stop = to.toEpochMilli();
        long now = clock.millis();
        long end = Math.min(stop, now);
        long count = 0;
        if (start >= end) {
            return OptionalLong.of(0);
        }
        ZoneId zone = timeframe.isDaily() ? calendar.zone() : MOSCOW;
        LocalDate last = Instant.ofEpochMilli(end - 1).atZone(zone).toLocalDate();
        for (LocalDate day = Instant.ofEpochMilli(start).atZone(zone).toLocalDate(); !day.isAfter(last);
                day = day.plusDays(1)) {
            if (timeframe.isDaily()) {
                long ts = calendar.dayStart(day);
                count += ts >= start && ts < stop && calendar.availableAt(timeframe, ts) <= now ? 1 : 0;
                continue;
            }
            long lo = Math.max(start, day.atTime(TRADING_WINDOW_OPEN).atZone(MOSCOW).toInstant().toEpochMilli());
            long hi = Math.min(stop, day.plusDays(1).atStartOfDay(MOSCOW).toInstant().toEpochMilli());
            if (lo < hi) {
                // the candles [k p, (k + 1) p) that overlap [lo, hi), open no earlier than from and have closed by now
                long p = timeframe.millis();
                long first = Math.max(Math.floorDiv(lo, p), -Math.floorDiv(-start, p));
                long lastOpen = Math.min(Math.floorDiv(hi - 1, p), Math.floorDiv(now, p) - 1);
                count += Math.max(0, lastOpen - first + 1);
            }
        }
        return OptionalLong.of(count);
    }

    @Override
    public InputStats stream(String secid, Timeframe target, Instant from, Instant to, Consumer<CandleSeries> pages) {
        Objects.requireNonNull(secid, "secid");
        Objects.requireNonNull(pages, "pages");
        if (!PATH_PART.matcher(secid).matches()) {
            throw new IllegalArgumentException("bad secid '" + secid + "': use letters, digits, '_', '.' or '-' (at most 64)");
        }
        Timeframe base = SourceTimeframes.requireBase(NAME, nativeTimeframes(), target);
        SourceTimeframes.checkRange(from, to);
        long f = from.toEpochMilli();
        long t = to.toEpochMilli();
        if (base.equals(target)) {
            return streamNative(secid, target, f, t, pages);
        }
        long[] range = SourceTimeframes.baseRange(target, f, t, MOSCOW);
        CandleSeries.Builder all = CandleSeries.builder(secid).timeframe(base);
        InputStats stats = streamNative(secid, base, range[0], range[1], page -> {
            for (int i = 0; i < page.size(); i++) {
                all.add(page.ts(i), page.open(i), page.high(i), page.low(i), page.close(i), page.volume(i));
            }
        });
        Instant complete = Instant.ofEpochMilli(Math.min(range[1], clock.millis()));
        SourceTimeframes.resampleInto(all.build(), target, f, t, complete, MOSCOW, pages);
        return stats;
    }

    private InputStats streamNative(String secid, Timeframe tf, long from, long to, Consumer<CandleSeries> pages) {
        InputStats total = InputStats.empty(secid);
        if (from >= to) {
            return total;
        }
        LocalDate fromDay = Instant.ofEpochMilli(from).atZone(MOSCOW).toLocalDate();
        LocalDate tillDay = Instant.ofEpochMilli(to - 1).atZone(MOSCOW).toLocalDate();
        String path = baseUrl.getPath() + "/iss/engines/" + engine + "/markets/" + market + "/boards/" + board
                + "/securities/" + secid + "/candles.json";
        String query = "from=" + fromDay + "&till=" + tillDay + "&interval=" + INTERVALS.get(tf) + "&start=";
        long now = clock.millis();
        long lastEmitted = Long.MIN_VALUE;
        long lastRaw = Long.MIN_VALUE;
        long crossDuplicates = 0;
        long crossOutOfOrder = 0;
        long previousFirst = Long.MIN_VALUE;
        int previousSize = -1;
        int start = 0;
        while (true) {
            URI uri = requestUri(path, query + start);
            String url = uri.toString();
            Page read = fetchPage(uri, secid, from, to, tf.isDaily() ? calendar : null);
            RawRows rows = read.rows();
            long[] page = read.counts();
            int n = (int) page[0];
            if (n == 0) {
                break;
            }
            if (page[1] == previousFirst && n == previousSize) {
                throw new SourceException(NAME, url, "the server sent the same page again as for the previous 'start' (first "
                        + "candle " + Instant.ofEpochMilli(page[1]) + ", " + n + " rows); it seems to ignore 'start'", null);
            }
            previousFirst = page[1];
            previousSize = n;
            if (lastRaw != Long.MIN_VALUE && page[1] < lastRaw) {
                crossOutOfOrder++;
            }
            lastRaw = page[2];
            start += n;
            if (rows.size() == 0) {
                continue;
            }
            RawRows.Result whole = rows.build(tf, (pos, e) -> new SourceException(NAME, url, 0, e.field(),
                    "data row " + pos + ": invalid candle (begin " + Instant.ofEpochMilli(e.tsMillis()) + " UTC): "
                            + e.field() + " = " + e.value() + ": " + e.reason(), e));
            total = total.plus(whole.stats());
            // deliver the candles that have closed by now and that no previous page delivered
            CandleSeries s = whole.series();
            int a = 0;
            while (a < s.size() && s.ts(a) <= lastEmitted) {
                a++;
            }
            crossDuplicates += a;
            int b = s.size();
            while (b > a && calendar.availableAt(tf, s.ts(b - 1)) > now) {
                b--;
            }
            if (b > a) {
                CandleSeries out = a == 0 && b == s.size() ? s : s.slice(a, b);
                lastEmitted = out.ts(out.size() - 1);
                pages.accept(out);
            }
        }
        return new InputStats(secid, total.rowsRead(), total.duplicates() + crossDuplicates,
                total.outOfOrder() + crossOutOfOrder);
    }

    /**
     * Reads one page, adding the rows that open in {@code [from, to)} to {@code rows} (daily rows
     * keyed by the start of their trading day in {@code days}, when given); returns the number of
     * data rows on the page and the open times of its first and last row.
     */
    private static long[] parsePage(String url, byte[] body, long from, long to, ExchangeCalendar days,
            RawRows rows) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SourceException(NAME, url, "malformed JSON (truncated or not JSON): " + e.getOriginalMessage()
                    + " at byte " + e.getLocation().getByteOffset() + " of " + body.length + "; starts with '"
                    + snippet(body) + "'", e);
        } catch (IOException e) {
            throw new SourceException(NAME, url, "cannot read the response: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SourceException(NAME, url, "expected a JSON object with a 'candles' block, got '" + snippet(body) + "'",
                    null);
        }
        JsonNode block = root.get("candles");
        if (block == null || !block.isObject()) {
            List<String> names = new ArrayList<>();
            root.fieldNames().forEachRemaining(names::add);
            throw new SourceException(NAME, url, "no 'candles' block in the response; found blocks " + names, null);
        }
        JsonNode columns = block.get("columns");
        JsonNode data = block.get("data");
        if (columns == null || !columns.isArray() || data == null || !data.isArray()) {
            throw new SourceException(NAME, url, "block 'candles' must hold arrays 'columns' and 'data'", null);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode c : columns) {
            names.add(c.isTextual() ? c.asText().toLowerCase(java.util.Locale.ROOT) : String.valueOf(c));
        }
        int[] at = new int[REQUIRED_COLUMNS.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < at.length; i++) {
            at[i] = names.indexOf(REQUIRED_COLUMNS.get(i));
            if (at[i] < 0) {
                missing.add(REQUIRED_COLUMNS.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new SourceException(NAME, url, "block 'candles' lacks columns " + missing + "; found " + names
                    + "; ISS sends [open, close, high, low, value, volume, begin, end]", null);
        }
        int n = 0;
        long first = 0;
        long last = 0;
        Iterator<JsonNode> it = data.elements();
        while (it.hasNext()) {
            JsonNode row = it.next();
            if (!row.isArray() || row.size() != names.size()) {
                throw new SourceException(NAME, url, "data row " + n + " has " + (row.isArray() ? row.size() + " values"
                        : "no array") + ", but the block names " + names.size() + " columns", null);
            }
            double o = number(url, row, at[0], n, "open");
            double c = number(url, row, at[1], n, "close");
            double h = number(url, row, at[2], n, "high");
            double l = number(url, row, at[3], n, "low");
            double v = number(url, row, at[4], n, "volume");
            long ts = time(url, row.get(at[5]), n);
            if (days != null) {
                ts = tradingDayStart(url, days, rows.secid(), ts, n);
            }
            if (ts >= from && ts < to) {
                rows.add(ts, o, h, l, c, v, n);
            }
            if (n == 0) {
                first = ts;
            }
            last = ts;
            n++;
        }
        return new long[] {n, first, last};
    }

    private static double number(String url, JsonNode row, int index, int rowNo, String column) {
        JsonNode value = row.get(index);
        if (value == null || !value.isNumber()) {
            throw new SourceException(NAME, url, 0, column, "data row " + rowNo + ": non-numeric value "
                    + (value == null || value.isNull() ? "null" : value.isTextual() ? "'" + value.asText() + "'" : value.toString())
                    + "; expected a number", null);
        }
        return value.doubleValue();
    }

    private static long time(String url, JsonNode value, int rowNo) {
        if (value != null && value.isTextual()) {
            try {
                return LocalDateTime.parse(value.asText(), ISS_TIME).atZone(MOSCOW).toInstant().toEpochMilli();
            } catch (DateTimeException e) {
                // reported below
            }
        }
        throw new SourceException(NAME, url, 0, "begin", "data row " + rowNo + ": not a time: " + value
                + "; expected 'YYYY-MM-DD hh:mm:ss' in Moscow time", null);
    }

    private static long tradingDayStart(String url, ExchangeCalendar days, String secid, long ts, int rowNo) {
        try {
            return days.tradingDayStart(secid, rowNo, ts);
        } catch (InvalidCandleException e) {
            throw new SourceException(NAME, url, 0, "begin", "data row " + rowNo + ": daily candle of secid '" + secid
                    + "' at " + Instant.ofEpochMilli(ts) + " " + e.reason(), e);
        }
    }

    private static String snippet(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        return body.length > 80 ? s + "..." : s;
    }

    /** A page read whole: its rows in range, and its row count and first and last open times. */
    private record Page(RawRows rows, long[] counts) {
    }

    /** The request URI of a page: the base URL's scheme, host, port (only when it has one) and path, then {@code path}. */
    private URI requestUri(String path, String query) {
        try {
            return new URI(baseUrl.getScheme(), baseUrl.getRawUserInfo(), baseUrl.getHost(), baseUrl.getPort(), path,
                    query, null);
        } catch (URISyntaxException e) {
            throw new SourceException(NAME, baseUrl + path + "?" + query, "not a valid URL: " + e.getMessage(), e);
        }
    }

    /**
     * GETs one page and reads it whole: paced, with a request timeout, retrying
     * with backoff on HTTP 5xx and 429, timeouts, I/O errors (a connection refused or cut short)
     * and an HTTP 200 whose body is not a whole, well-formed ISS page. Each attempt reads into new
     * rows, so nothing of a broken page is kept.
     *
     * @return the page's rows that open in {@code [from, to)}, its number of data rows and the open
     *     times of its first and last row
     * @throws SourceUnavailableException when every attempt failed so
     * @throws SourceException on a status that is not retried (4xx other than 429)
     */
    private Page fetchPage(URI uri, String secid, long from, long to, ExchangeCalendar days) {
        String url = uri.toString();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json")
                    .GET().build();
        } catch (IllegalArgumentException e) {
            throw new SourceException(NAME, url, "not a valid URL: " + e.getMessage(), e);
        }
        int attempt = 0;
        while (true) {
            String problem;
            String column = null;
            Throwable cause = null;
            pace(url);
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status == 200) {
                    RawRows rows = new RawRows(secid);
                    try {
                        return new Page(rows, parsePage(url, response.body(), from, to, days, rows));
                    } catch (SourceException e) {
                        problem = e.reason();
                        column = e.column();
                        cause = e;
                    }
                } else {
                    problem = "HTTP " + status + " (" + snippet(response.body()) + ")";
                    if (status < 500 && status != 429) {
                        throw new SourceException(NAME, url, problem + "; not retried", null);
                    }
                }
            } catch (HttpTimeoutException e) {
                problem = "timed out (request timeout " + requestTimeout.toMillis() + " ms, connect timeout "
                        + connectTimeout.toMillis() + " ms)";
                cause = e;
            } catch (IOException e) {
                problem = "I/O error: " + e;
                cause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(NAME, url, "interrupted while waiting for the response", e);
            }
            if (attempt >= maxRetries) {
                throw new SourceUnavailableException(NAME, url, column, problem, attempt + 1, cause);
            }
            LOG.debug("{}: {}; retrying (attempt {} of {})", url, problem, attempt + 2, maxRetries + 1);
            sleep(url, backoff(attempt));
            attempt++;
        }
    }

    /** The wait before retry number {@code attempt + 1}: the initial backoff doubled per attempt, capped. */
    Duration backoff(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt, 30);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    private void pace(String url) {
        long interval = minRequestInterval.toNanos();
        if (interval == 0) {
            return;
        }
        synchronized (paceLock) {
            long now = System.nanoTime();
            if (nextRequestNanos != Long.MIN_VALUE && nextRequestNanos - now > 0) {
                sleep(url, Duration.ofNanos(nextRequestNanos - now));
                now = System.nanoTime();
            }
            nextRequestNanos = now + interval;
        }
    }

    private static void sleep(String url, Duration d) {
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException(NAME, url, "interrupted while waiting to send the request", e);
        }
    }

    @Override
    public String toString() {
        return "MoexIssSource[" + baseUrl + ", " + engine + "/" + market + "/" + board + "]";
    }

    /**
     * Settings of a {@link MoexIssSource}. Defaults: base URL {@code https://iss.moex.com}, engine
     * {@code stock}, market {@code shares}, board {@code TQBR}, connect timeout 10 s, request
     * timeout 30 s, 3 retries with backoff from 500 ms doubling up to 10 s, at least 250 ms between
     * requests, the system clock.
     */
    public static final class Builder {
        private URI baseUrl = DEFAULT_BASE_URL;
        private String engine = "stock";
        private String market = "shares";
        private String board = "TQBR";
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxRetries = 3;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration minRequestInterval = Duration.ofMillis(250);
        private Clock clock = Clock.systemUTC();
        private ZoneId exchangeZone = ExchangeCalendar.DEFAULT_ZONE;

        private Builder() {
        }

        /**
         * The exchange zone whose trading days key daily candles ({@code Europe/Moscow} by default;
         * give the registry's {@code exchange.timezone}).
         *
         * @param zone the exchange's time zone
         * @return this builder
         */
        public Builder exchangeZone(ZoneId zone) {
            this.exchangeZone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * The server, e.g. {@code https://iss.moex.com} or {@code http://127.0.0.1:8080}; a path
         * (a proxy's prefix) is kept, trailing slashes and an empty port ({@code http://host:}) are
         * dropped, so {@link #baseUrl()} and the URLs in errors read {@code http://host/iss/...}.
         *
         * @param url the server's URL, {@code http[s]://host[:port][/path]}
         * @return this builder
         * @throws IllegalArgumentException unless it is an http or https URL with a host and
         *     without query or fragment
         */
        public Builder baseUrl(String url) {
            Objects.requireNonNull(url, "url");
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("bad base URL '" + url + "': " + e.getMessage(), e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("bad base URL '" + url
                        + "': use http://host[:port][/path] or https://host[:port][/path], without query or fragment");
            }
            try {
                // rebuilt from its parts: an empty port ("http://host:") goes, trailing slashes go
                this.baseUrl = new URI(uri.getScheme(), uri.getRawUserInfo(), uri.getHost(), uri.getPort(),
                        uri.getPath().replaceAll("/+$", ""), null, null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("bad base URL '" + url + "': " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * The ISS engine, {@code stock} by default.
         *
         * @param engine the engine's name: letters, digits, {@code _}, {@code .} or {@code -}, at most 64
         * @return this builder
         * @throws IllegalArgumentException when the name has other characters or is too long
         */
        public Builder engine(String engine) {
            this.engine = pathPart("engine", engine);
            return this;
        }

        /**
         * The ISS market, {@code shares} by default.
         *
         * @param market the market's name: letters, digits, {@code _}, {@code .} or {@code -}, at most 64
         * @return this builder
         * @throws IllegalArgumentException when the name has other characters or is too long
         */
        public Builder market(String market) {
            this.market = pathPart("market", market);
            return this;
        }

        /**
         * The board (trading mode), {@code TQBR} by default.
         *
         * @param board the board's name: letters, digits, {@code _}, {@code .} or {@code -}, at most 64
         * @return this builder
         * @throws IllegalArgumentException when the name has other characters or is too long
         */
        public Builder board(String board) {
            this.board = pathPart("board", board);
            return this;
        }

        /**
         * How long to wait for a connection (10 s by default).
         *
         * @param timeout the wait, positive
         * @return this builder
         * @throws IllegalArgumentException when {@code timeout} is zero or negative
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /**
         * How long to wait for one response, from sending the request (30 s by default).
         *
         * @param timeout the wait, positive
         * @return this builder
         * @throws IllegalArgumentException when {@code timeout} is zero or negative
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive("requestTimeout", timeout);
            return this;
        }

        /**
         * How many times to retry a request after a 5xx, 429, timeout or I/O error (3 by default).
         *
         * @param retries the retries after the first attempt, 0 to 10
         * @return this builder
         * @throws IllegalArgumentException when {@code retries} is outside 0 to 10
         */
        public Builder maxRetries(int retries) {
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("maxRetries must be 0 to 10, got " + retries);
            }
            this.maxRetries = retries;
            return this;
        }

        /**
         * The wait before the first retry (doubled for each next one) and the most it may grow to
         * (500 ms and 10 s by default).
         *
         * @param initial the wait before the first retry, not negative
         * @param max the longest wait, at least {@code initial}
         * @return this builder
         * @throws IllegalArgumentException when a wait is negative or {@code max} is below {@code initial}
         */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = notNegative("initial backoff", initial);
            this.maxBackoff = notNegative("max backoff", max);
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is below the initial backoff " + initial);
            }
            return this;
        }

        /**
         * The least time between the starts of two requests (250 ms by default), shared by all
         * threads using the source.
         *
         * @param interval the least time, not negative; zero for none
         * @return this builder
         * @throws IllegalArgumentException when {@code interval} is negative
         */
        public Builder minRequestInterval(Duration interval) {
            this.minRequestInterval = notNegative("minRequestInterval", interval);
            return this;
        }

        /**
         * The clock that decides which candles have closed (the system clock by default).
         *
         * @param clock the clock; a candle is kept once its end is not after the clock's instant
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The source; the builder may go on to build others.
         *
         * @return an immutable source of these settings
         */
        public MoexIssSource build() {
            return new MoexIssSource(this);
        }

        private static String pathPart(String what, String value) {
            Objects.requireNonNull(value, what);
            if (!PATH_PART.matcher(value).matches()) {
                throw new IllegalArgumentException("bad " + what + " '" + value
                        + "': use letters, digits, '_', '.' or '-' (at most 64)");
            }
            return value;
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }

        private static Duration notNegative(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, got " + d);
            }
            return d;
        }
    }
}

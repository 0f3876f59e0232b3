package dev.featurestore.core.source;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.Timeframe;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A seeded generator of realistic 1-minute candles, for demos, examples, benchmarks and tests of
 * training code that need market-like data without a network.
 *
 * <pre>{@code
 * CandleSeries sber = SyntheticCandles.seed(42).start(LocalDate.of(2024, 1, 8)).tradingDays(5).generate("SBER");
 * List<CandleSeries> three = SyntheticCandles.seed(42).tradingDays(5).generate(List.of("SBER", "GAZP", "LKOH"));
 * }</pre>
 *
 * <p>What the candles look like:
 * <ul>
 *   <li>Candles fall in the main trading session of the Moscow Exchange, 10:00 to 18:40 Moscow
 *       time (07:00 to 15:40 UTC), on weekdays only (holidays are not modelled): at most 520
 *       candles a day, the last opening at 18:39. Nights and weekends are gaps.</li>
 *   <li>Prices follow a geometric random walk whose per-minute volatility clusters (a GARCH(1,1)
 *       variance), rises at the open and the close, and is pulled weakly back towards the
 *       starting level so that very long series stay in a plausible range. The session opens
 *       with an overnight gap.</li>
 *   <li>Prices are rounded to the tick size (0.01 unless set); volumes are whole lots following an
 *       intraday U-shaped profile (heavy at the open and the close, light at midday), with
 *       log-normal noise and more volume on bigger moves.</li>
 *   <li>Some minutes are flat ({@code open = high = low = close}, little volume) and some minutes
 *       have no candle at all (no trade), as in real 1-minute data.</li>
 * </ul>
 *
 * <p>The output depends only on the configuration and the secid: the same seed and secid always
 * give the same candles, bit for bit, on any JVM; different secids or seeds give different paths.
 * Every candle satisfies the rules that {@link CandleSeries} checks.
 *
 * <p>Immutable: each setter returns a new configuration, so one can be shared and specialised.
 */
public final class SyntheticCandles {
    /** The exchange whose main session is modelled. */
    public static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    /** The session's first minute, Moscow time. */
    public static final LocalTime SESSION_OPEN = LocalTime.of(10, 0);
    /** The end of the session, Moscow time: the last candle opens one minute earlier. */
    public static final LocalTime SESSION_CLOSE = LocalTime.of(18, 40);
    /** The number of 1-minute candles in a full session. */
    public static final int MINUTES_PER_SESSION = 520;

    private static final long MINUTE = 60_000L;
    /** The default first trading day: Monday 8 January 2024. */
    private static final LocalDate DEFAULT_START = LocalDate.of(2024, 1, 8);

    private final long seed;
    private final LocalDate start;
    private final int tradingDays;
    private final double tickSize;
    private final double startPrice;
    private final double dailyVolatility;
    private final double flatProbability;
    private final double missingProbability;

    private SyntheticCandles(long seed, LocalDate start, int tradingDays, double tickSize, double startPrice,
            double dailyVolatility, double flatProbability, double missingProbability) {
        this.seed = seed;
        this.start = start;
        this.tradingDays = tradingDays;
        this.tickSize = tickSize;
        this.startPrice = startPrice;
        this.dailyVolatility = dailyVolatility;
        this.flatProbability = flatProbability;
        this.missingProbability = missingProbability;
    }

    /**
     * A generator with this seed and the defaults: start Monday 2024-01-08, 5 trading days, tick
     * 0.01, a start price drawn per secid between 20 and 500, daily volatility 2%, 2% flat minutes
     * and 1% missing minutes.
     *
     * @param seed any value; with the secid it decides every candle
     * @return the generator
     */
    public static SyntheticCandles seed(long seed) {
        return new SyntheticCandles(seed, DEFAULT_START, 5, 0.01, Double.NaN, 0.02, 0.02, 0.01);
    }

    /**
     * The first calendar day; when it falls on a weekend the series starts the next Monday.
     *
     * @param day the first day, a Moscow date
     * @return a new generator starting then, the other settings unchanged
     */
    public SyntheticCandles start(LocalDate day) {
        return new SyntheticCandles(seed, Objects.requireNonNull(day, "start"), tradingDays, tickSize, startPrice,
                dailyVolatility, flatProbability, missingProbability);
    }

    /**
     * The number of weekdays with a session.
     *
     * @param days at least 1, and few enough that {@code days * 520} candles fit in one array
     * @return a new generator of that many days, the other settings unchanged
     * @throws IllegalArgumentException when {@code days} is below 1 or too large
     */
    public SyntheticCandles tradingDays(int days) {
        if (days < 1) {
            throw new IllegalArgumentException("tradingDays must be >= 1, got " + days);
        }
        if ((long) days * MINUTES_PER_SESSION > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tradingDays " + days + " would give more candles than an array holds");
        }
        return new SyntheticCandles(seed, start, days, tickSize, startPrice, dailyVolatility, flatProbability,
                missingProbability);
    }

    /**
     * The price step every price is rounded to.
     *
     * @param tick the step, e.g. 0.01; positive and finite
     * @return a new generator with this tick, the other settings unchanged
     * @throws IllegalArgumentException when {@code tick} is not positive and finite
     */
    public SyntheticCandles tickSize(double tick) {
        if (!(tick > 0) || Double.isInfinite(tick)) {
            throw new IllegalArgumentException("tickSize must be finite and > 0, got " + tick);
        }
        return new SyntheticCandles(seed, start, tradingDays, tick, startPrice, dailyVolatility, flatProbability,
                missingProbability);
    }

    /**
     * The first open of every secid (default: drawn per secid between 20 and 500).
     *
     * @param price the first open, positive and finite (rounded to the tick like every price)
     * @return a new generator with this start price, the other settings unchanged
     * @throws IllegalArgumentException when {@code price} is not positive and finite
     */
    public SyntheticCandles startPrice(double price) {
        if (!(price > 0) || Double.isInfinite(price)) {
            throw new IllegalArgumentException("startPrice must be finite and > 0, got " + price);
        }
        return new SyntheticCandles(seed, start, tradingDays, tickSize, price, dailyVolatility, flatProbability,
                missingProbability);
    }

    /**
     * The typical standard deviation of one session's log return.
     *
     * @param volatility the deviation as a fraction, e.g. 0.02 for 2%; in (0, 0.5]
     * @return a new generator with this volatility, the other settings unchanged
     * @throws IllegalArgumentException when {@code volatility} is outside (0, 0.5]
     */
    public SyntheticCandles dailyVolatility(double volatility) {
        if (!(volatility > 0 && volatility <= 0.5)) {
            throw new IllegalArgumentException("dailyVolatility must be in (0, 0.5], got " + volatility);
        }
        return new SyntheticCandles(seed, start, tradingDays, tickSize, startPrice, volatility, flatProbability,
                missingProbability);
    }

    /**
     * The share of minutes that are flat ({@code o = h = l = c}).
     *
     * @param probability the chance of a minute being flat; in [0, 0.5]
     * @return a new generator with this share, the other settings unchanged
     * @throws IllegalArgumentException when {@code probability} is outside [0, 0.5]
     */
    public SyntheticCandles flatMinutes(double probability) {
        if (!(probability >= 0 && probability <= 0.5)) {
            throw new IllegalArgumentException("flatMinutes must be in [0, 0.5], got " + probability);
        }
        return new SyntheticCandles(seed, start, tradingDays, tickSize, startPrice, dailyVolatility, probability,
                missingProbability);
    }

    /**
     * The share of session minutes without any candle.
     *
     * @param probability the chance of a session minute having no candle; in [0, 0.5]
     * @return a new generator with this share, the other settings unchanged
     * @throws IllegalArgumentException when {@code probability} is outside [0, 0.5]
     */
    public SyntheticCandles missingMinutes(double probability) {
        if (!(probability >= 0 && probability <= 0.5)) {
            throw new IllegalArgumentException("missingMinutes must be in [0, 0.5], got " + probability);
        }
        return new SyntheticCandles(seed, start, tradingDays, tickSize, startPrice, dailyVolatility, flatProbability,
                probability);
    }

    /** {@return the seed} */
    public long seed() {
        return seed;
    }

    /** {@return the first trading day (the configured start, moved past a weekend)} */
    public LocalDate firstTradingDay() {
        LocalDate d = start;
        while (isWeekend(d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    /** {@return the last trading day: the {@link #tradingDays()}-th weekday from the first} */
    public LocalDate lastTradingDay() {
        LocalDate d = firstTradingDay();
        for (int i = 1; i < tradingDays; i++) {
            d = nextTradingDay(d);
        }
        return d;
    }

    /**
     * The close of the last session (18:40 Moscow time): the generated candles are complete
     * through this time, so a resampled bucket ending by then is final.
     *
     * @return the end of the last session
     */
    public Instant end() {
        return lastTradingDay().atTime(SESSION_CLOSE).atZone(MOSCOW).toInstant();
    }

    /** {@return the number of trading days, at least 1} */
    public int tradingDays() {
        return tradingDays;
    }

    /** {@return the tick size every price is rounded to} */
    public double tickSize() {
        return tickSize;
    }

    /** {@return the most candles one secid can get: {@link #MINUTES_PER_SESSION} per trading day} */
    public int maxCandles() {
        return tradingDays * MINUTES_PER_SESSION;
    }

    /**
     * The session minutes of the generated trading days that open in {@code [fromMs, toMs)}: the
     * most candles {@link #forEach} gives there for one secid.
     *
     * @param fromMs the first open time, epoch milliseconds
     * @param toMs the end, exclusive
     * @return the count, 0 when the range holds none
     */
    public long sessionMinutes(long fromMs, long toMs) {
        long count = 0;
        LocalDate day = firstTradingDay();
        for (int d = 0; d < tradingDays; d++) {
            long open = day.atTime(SESSION_OPEN).atZone(MOSCOW).toInstant().toEpochMilli();
            long end = open + MINUTES_PER_SESSION * MINUTE;
            // the minutes m with open + m * MINUTE in [fromMs, toMs)
            long lo = Math.max(open, fromMs);
            long hi = Math.min(end, toMs);
            if (lo < hi) {
                count += ceilDiv(hi - open, MINUTE) - ceilDiv(lo - open, MINUTE);
            }
            day = nextTradingDay(day);
        }
        return count;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /**
     * The validated 1-minute series of one secid.
     *
     * @param secid the instrument's code, not blank; it seeds the path with the seed
     * @return the candles, oldest first, at {@code 1m}
     * @throws IllegalArgumentException when the secid is blank
     */
    public CandleSeries generate(String secid) {
        CandleSeries.Builder builder = CandleSeries.builder(checkSecid(secid)).timeframe(Timeframe.ONE_MINUTE)
                .expectedSize(maxCandles());
        forEach(secid, builder::add);
        return builder.build();
    }

    /**
     * One validated series per secid, in the order given.
     *
     * @param secids the instruments' codes, distinct, none blank
     * @return one series per secid, in the order given
     * @throws IllegalArgumentException when a secid is blank or given twice
     */
    public List<CandleSeries> generate(List<String> secids) {
        Objects.requireNonNull(secids, "secids");
        if (new LinkedHashSet<>(secids).size() != secids.size()) {
            throw new IllegalArgumentException("secids must be distinct, got " + secids);
        }
        List<CandleSeries> out = new ArrayList<>(secids.size());
        for (String secid : secids) {
            out.add(generate(secid));
        }
        return out;
    }

    /**
     * Streams the candles of one secid, oldest first, without holding them: the way to write
     * series too long to keep in memory. Gives the same candles as {@link #generate(String)}.
     *
     * @param secid the instrument's code, not blank
     * @param sink called once per candle, oldest first
     * @throws IllegalArgumentException when the secid is blank
     */
    public void forEach(String secid, CandleSink sink) {
        checkSecid(secid);
        Objects.requireNonNull(sink, "sink");
        SplittableRandom rnd = new SplittableRandom(mix(seed, secid));
        double minuteVol = dailyVolatility / Math.sqrt(MINUTES_PER_SESSION);
        // GARCH(1,1) on the per-minute log return: long-run variance minuteVol^2.
        double alpha = 0.06;
        double beta = 0.92;
        double omega = minuteVol * minuteVol * (1 - alpha - beta);
        double variance = minuteVol * minuteVol;
        double anchor = Math.log(Double.isNaN(startPrice) ? 20 * Math.exp(rnd.nextDouble() * Math.log(25)) : startPrice);
        double logPrice = anchor;
        // Mean reversion of the log price, half-life about 250 sessions.
        double kappa = Math.log(2) / (250.0 * MINUTES_PER_SESSION);
        double baseVolume = Math.round(200 + rnd.nextDouble() * 4800);
        double lastClose = Double.NaN;
        double minPrice = 10 * tickSize;
        LocalDate day = firstTradingDay();
        for (int d = 0; d < tradingDays; d++) {
            long open = day.atTime(SESSION_OPEN).atZone(MOSCOW).toInstant().toEpochMilli();
            for (int m = 0; m < MINUTES_PER_SESSION; m++) {
                double x = (m + 0.5) / MINUTES_PER_SESSION;
                double u = (2 * x - 1) * (2 * x - 1);
                double profile = 0.55 + 2.4 * u * u + 1.2 * Math.exp(-x * 40);
                double previousVariance = variance;
                if (m == 0 && d > 0) {
                    // The overnight gap: the session opens away from the last close.
                    logPrice += 0.3 * dailyVolatility * gaussian(rnd);
                }
                double r = Math.sqrt(previousVariance * profile) * gaussian(rnd) - kappa * (logPrice - anchor);
                variance = omega + alpha * r * r / profile + beta * previousVariance;
                boolean missing = m > 0 && rnd.nextDouble() < missingProbability;
                boolean flat = rnd.nextDouble() < flatProbability;
                double wickUp = Math.abs(gaussian(rnd));
                double wickDown = Math.abs(gaussian(rnd));
                double noise = gaussian(rnd);
                if (missing) {
                    continue;
                }
                double o = m == 0 ? round(Math.exp(logPrice), minPrice) : lastClose;
                double h;
                double l;
                double c;
                double v;
                if (flat) {
                    c = o;
                    h = o;
                    l = o;
                    v = Math.floor(baseVolume * 0.05 * Math.exp(0.5 * noise));
                } else {
                    logPrice += r;
                    c = round(Math.exp(logPrice), minPrice);
                    double sd = Math.sqrt(previousVariance * profile);
                    h = Math.max(round(Math.max(o, c) * Math.exp(0.6 * sd * wickUp), minPrice), Math.max(o, c));
                    l = Math.min(round(Math.min(o, c) * Math.exp(-0.6 * sd * wickDown), minPrice), Math.min(o, c));
                    double move = Math.abs(r) / sd;
                    v = Math.floor(baseVolume * profile * (0.6 + 0.4 * move) * Math.exp(0.5 * noise - 0.125)) + 1;
                }
                lastClose = c;
                sink.accept(open + m * MINUTE, o, h, l, c, v);
            }
            day = nextTradingDay(day);
        }
    }

    private double round(double price, double floor) {
        double ticks = Math.rint(price / tickSize);
        double perUnit = 1 / tickSize;
        double rounded;
        if (perUnit == Math.rint(perUnit) && perUnit < 1e9) {
            // ticks / 100 is the double nearest the decimal (3466 / 100 is 34.66); ticks * 0.01 may not be.
            rounded = ticks / perUnit;
        } else {
            rounded = new BigDecimal(Math.round(ticks)).multiply(BigDecimal.valueOf(tickSize)).doubleValue();
        }
        return Math.max(rounded, floor);
    }

    private static double gaussian(SplittableRandom rnd) {
        // Marsaglia's polar method: exact for a given stream of uniforms on every JVM.
        double u;
        double v;
        double s;
        do {
            u = rnd.nextDouble() * 2 - 1;
            v = rnd.nextDouble() * 2 - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    private static LocalDate nextTradingDay(LocalDate day) {
        LocalDate d = day.plusDays(1);
        while (isWeekend(d)) {
            d = d.plusDays(1);
        }
        return d;
    }

    private static boolean isWeekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    private static String checkSecid(String secid) {
        Objects.requireNonNull(secid, "secid");
        if (secid.isBlank()) {
            throw new IllegalArgumentException("secid must not be blank");
        }
        return secid;
    }

    /** A stable 64-bit seed from (seed, secid): FNV-1a over the secid's UTF-8, then a SplitMix finaliser. */
    private static long mix(long seed, String secid) {
        long h = 0xcbf29ce484222325L;
        for (byte b : secid.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        long z = seed * 0x9E3779B97F4A7C15L + h;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "SyntheticCandles[seed " + seed + ", from " + firstTradingDay() + ", " + tradingDays
                + " trading days, tick " + tickSize + "]";
    }

    /** Receives one candle at a time from {@link #forEach(String, CandleSink)}. */
    @FunctionalInterface
    public interface CandleSink {
        /**
         * One 1-minute candle.
         *
         * @param tsMillis the open time, epoch milliseconds UTC
         * @param open the first price
         * @param high the highest price
         * @param low the lowest price
         * @param close the last price
         * @param volume the traded volume in lots, a whole number
         */
        void accept(long tsMillis, double open, double high, double low, double close, double volume);
    }
}

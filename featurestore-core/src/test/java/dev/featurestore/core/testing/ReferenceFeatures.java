package dev.featurestore.core.testing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An independent, deliberately naive implementation of the twenty built-in features, written from
 * the normative definitions only. Every value is computed row by row in {@link BigDecimal}: each
 * SMA and standard deviation is recomputed from its own window (two passes: mean, then squared
 * deviations from it), maxima and minima by scanning, and EMAs by their recursion, all with 34
 * significant digits. Only the final value is rounded to a double, so this is the yardstick the
 * library's fast kernels are measured against.
 */
public final class ReferenceFeatures {
    private static final MathContext MC = MathContext.DECIMAL128;
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigDecimal FIFTY = BigDecimal.valueOf(50);

    /** The seventeen features of {@code tech_v1}, in the registry's order. */
    public static final List<String> TECH_V1 = List.of("return_1", "sma_ratio_5_20", "ema_ratio_12_26", "macd_line",
            "macd_signal", "macd_hist", "rsi_14", "volatility_20", "atr_14", "volume_zscore_20", "price_position_20",
            "intraday_range_pct", "candle_body_pct", "upper_shadow_pct", "lower_shadow_pct", "bullish_engulfing",
            "bearish_engulfing");

    /** The twenty features of {@code tech_v2}, in the registry's order. */
    public static final List<String> TECH_V2 = List.of("return_1", "sma_ratio_5_20", "ema_ratio_12_26", "macd_line",
            "macd_signal", "macd_hist", "rsi_14", "volatility_20", "atr_14", "volume_zscore_20", "price_position_20",
            "intraday_range_pct", "candle_body_pct", "upper_shadow_pct", "lower_shadow_pct", "bullish_engulfing",
            "bearish_engulfing", "bollinger_band_pct", "stoch_k_14", "stoch_d_3");

    /** Features in price units, whose absolute tolerance scales with the close. */
    public static final Set<String> PRICE_UNITS = Set.of("macd_line", "macd_signal", "macd_hist", "atr_14");

    /** Categorical features, compared exactly. */
    public static final Set<String> CATEGORICAL = Set.of("bullish_engulfing", "bearish_engulfing");

    /** The first defined row of each feature, as the definitions state it. */
    public static final Map<String, Integer> FIRST_DEFINED_ROW = Map.ofEntries(Map.entry("return_1", 1),
            Map.entry("sma_ratio_5_20", 19), Map.entry("ema_ratio_12_26", 25), Map.entry("macd_line", 25),
            Map.entry("macd_signal", 33), Map.entry("macd_hist", 33), Map.entry("rsi_14", 14),
            Map.entry("volatility_20", 20), Map.entry("atr_14", 14), Map.entry("volume_zscore_20", 19),
            Map.entry("price_position_20", 19), Map.entry("intraday_range_pct", 0), Map.entry("candle_body_pct", 0),
            Map.entry("upper_shadow_pct", 0), Map.entry("lower_shadow_pct", 0), Map.entry("bullish_engulfing", 1),
            Map.entry("bearish_engulfing", 1), Map.entry("bollinger_band_pct", 19), Map.entry("stoch_k_14", 13),
            Map.entry("stoch_d_3", 15));

    private ReferenceFeatures() {
    }

    /** All twenty features over the given columns, by name, NaN where undefined. */
    public static Map<String, double[]> compute(double[] open, double[] high, double[] low, double[] close,
            double[] volume) {
        int n = close.length;
        BigDecimal[] o = exact(open);
        BigDecimal[] h = exact(high);
        BigDecimal[] l = exact(low);
        BigDecimal[] c = exact(close);
        BigDecimal[] v = exact(volume);
        Map<String, double[]> out = new LinkedHashMap<>();

        // return_1 = c[t]/c[t-1] - 1, taken as (c[t] - c[t-1]) / c[t-1] so no digit is lost
        BigDecimal[] ret = new BigDecimal[n];
        for (int t = 1; t < n; t++) {
            ret[t] = c[t].subtract(c[t - 1]).divide(c[t - 1], MC);
        }
        out.put("return_1", toDouble(ret));

        // sma_ratio_5_20 = SMA_5(c) / SMA_20(c)
        BigDecimal[] smaRatio = new BigDecimal[n];
        for (int t = 19; t < n; t++) {
            smaRatio[t] = mean(c, t - 4, t).divide(mean(c, t - 19, t), MC);
        }
        out.put("sma_ratio_5_20", toDouble(smaRatio));

        // EMA_12, EMA_26 of the close, each seeded with its own SMA
        BigDecimal[] ema12 = ema(c, 12, emaK(12));
        BigDecimal[] ema26 = ema(c, 26, emaK(26));
        BigDecimal[] emaRatio = new BigDecimal[n];
        BigDecimal[] macd = new BigDecimal[n];
        for (int t = 0; t < n; t++) {
            if (ema12[t] != null && ema26[t] != null) {
                emaRatio[t] = ema12[t].divide(ema26[t], MC);
                macd[t] = ema12[t].subtract(ema26[t]);
            }
        }
        out.put("ema_ratio_12_26", toDouble(emaRatio));
        out.put("macd_line", toDouble(macd));
        BigDecimal[] signal = ema(macd, 9, emaK(9));
        BigDecimal[] hist = new BigDecimal[n];
        for (int t = 0; t < n; t++) {
            if (signal[t] != null) {
                hist[t] = macd[t].subtract(signal[t]);
            }
        }
        out.put("macd_signal", toDouble(signal));
        out.put("macd_hist", toDouble(hist));

        // rsi_14: Wilder averages of gains and losses from row 1; 50 when both are 0
        BigDecimal[] gain = new BigDecimal[n];
        BigDecimal[] loss = new BigDecimal[n];
        for (int t = 1; t < n; t++) {
            BigDecimal d = c[t].subtract(c[t - 1]);
            gain[t] = d.signum() > 0 ? d : BigDecimal.ZERO;
            loss[t] = d.signum() < 0 ? d.negate() : BigDecimal.ZERO;
        }
        BigDecimal[] ag = ema(gain, 14, wilderK(14));
        BigDecimal[] al = ema(loss, 14, wilderK(14));
        BigDecimal[] rsi = new BigDecimal[n];
        for (int t = 0; t < n; t++) {
            if (ag[t] != null) {
                BigDecimal sum = ag[t].add(al[t]);
                rsi[t] = sum.signum() == 0 ? FIFTY : HUNDRED.multiply(ag[t]).divide(sum, MC);
            }
        }
        out.put("rsi_14", toDouble(rsi));

        // volatility_20 = STD_20(return_1), sample
        BigDecimal[] vol = new BigDecimal[n];
        for (int t = 20; t < n; t++) {
            vol[t] = std(ret, t - 19, t, 19);
        }
        out.put("volatility_20", toDouble(vol));

        // atr_14 = WILDER_14(TR), TR from row 1
        BigDecimal[] tr = new BigDecimal[n];
        for (int t = 1; t < n; t++) {
            BigDecimal hl = h[t].subtract(l[t]);
            BigDecimal hc = h[t].subtract(c[t - 1]).abs();
            BigDecimal lc = l[t].subtract(c[t - 1]).abs();
            tr[t] = hl.max(hc).max(lc);
        }
        out.put("atr_14", toDouble(ema(tr, 14, wilderK(14))));

        // volume_zscore_20 = (v - SMA_20(v)) / STD_20(v); 0 when the std is 0
        BigDecimal[] vz = new BigDecimal[n];
        for (int t = 19; t < n; t++) {
            if (allEqual(v, t - 19, t)) {
                vz[t] = BigDecimal.ZERO;
            } else {
                vz[t] = v[t].subtract(mean(v, t - 19, t)).divide(std(v, t - 19, t, 19), MC);
            }
        }
        out.put("volume_zscore_20", toDouble(vz));

        // price_position_20 = (c - LL_20) / (HH_20 - LL_20); 0.5 when HH_20 = LL_20
        BigDecimal[] pp = new BigDecimal[n];
        for (int t = 19; t < n; t++) {
            BigDecimal hh = max(h, t - 19, t);
            BigDecimal ll = min(l, t - 19, t);
            BigDecimal range = hh.subtract(ll);
            pp[t] = range.signum() == 0 ? HALF : c[t].subtract(ll).divide(range, MC);
        }
        out.put("price_position_20", toDouble(pp));

        // candle shape
        BigDecimal[] range = new BigDecimal[n];
        BigDecimal[] body = new BigDecimal[n];
        BigDecimal[] upper = new BigDecimal[n];
        BigDecimal[] lower = new BigDecimal[n];
        for (int t = 0; t < n; t++) {
            BigDecimal hl = h[t].subtract(l[t]);
            range[t] = hl.divide(c[t], MC);
            if (hl.signum() == 0) {
                body[t] = BigDecimal.ZERO;
                upper[t] = BigDecimal.ZERO;
                lower[t] = BigDecimal.ZERO;
            } else {
                body[t] = c[t].subtract(o[t]).divide(hl, MC);
                upper[t] = h[t].subtract(o[t].max(c[t])).divide(hl, MC);
                lower[t] = o[t].min(c[t]).subtract(l[t]).divide(hl, MC);
            }
        }
        out.put("intraday_range_pct", toDouble(range));
        out.put("candle_body_pct", toDouble(body));
        out.put("upper_shadow_pct", toDouble(upper));
        out.put("lower_shadow_pct", toDouble(lower));

        // engulfing patterns, exact comparisons of the inputs
        double[] bull = new double[n];
        double[] bear = new double[n];
        bull[0] = Double.NaN;
        bear[0] = Double.NaN;
        for (int t = 1; t < n; t++) {
            double o1 = open[t - 1];
            double c1 = close[t - 1];
            double o0 = open[t];
            double c0 = close[t];
            boolean bullish = c1 < o1 && c0 > o0 && o0 <= c1 && c0 >= o1 && (o0 < c1 || c0 > o1);
            boolean bearish = c1 > o1 && c0 < o0 && o0 >= c1 && c0 <= o1 && (o0 > c1 || c0 < o1);
            bull[t] = bullish ? 1 : 0;
            bear[t] = bearish ? 1 : 0;
        }
        out.put("bullish_engulfing", bull);
        out.put("bearish_engulfing", bear);

        // bollinger_band_pct: mid = SMA_20, sd = PSTD_20, %B = (c - dn) / (up - dn); 0.5 when sd = 0
        BigDecimal[] bb = new BigDecimal[n];
        for (int t = 19; t < n; t++) {
            if (allEqual(c, t - 19, t)) {
                bb[t] = HALF;
            } else {
                BigDecimal mid = mean(c, t - 19, t);
                BigDecimal sd = std(c, t - 19, t, 20);
                BigDecimal up = mid.add(TWO.multiply(sd));
                BigDecimal dn = mid.subtract(TWO.multiply(sd));
                bb[t] = c[t].subtract(dn).divide(up.subtract(dn), MC);
            }
        }
        out.put("bollinger_band_pct", toDouble(bb));

        // stoch_k_14 = 100 (c - LL_14) / (HH_14 - LL_14); 50 when HH_14 = LL_14; stoch_d_3 = SMA_3(k)
        BigDecimal[] k = new BigDecimal[n];
        for (int t = 13; t < n; t++) {
            BigDecimal hh = max(h, t - 13, t);
            BigDecimal ll = min(l, t - 13, t);
            BigDecimal r = hh.subtract(ll);
            k[t] = r.signum() == 0 ? FIFTY : HUNDRED.multiply(c[t].subtract(ll)).divide(r, MC);
        }
        BigDecimal[] d = new BigDecimal[n];
        for (int t = 15; t < n; t++) {
            d[t] = mean(k, t - 2, t);
        }
        out.put("stoch_k_14", toDouble(k));
        out.put("stoch_d_3", toDouble(d));
        return out;
    }

    private static BigDecimal[] exact(double[] xs) {
        BigDecimal[] out = new BigDecimal[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = new BigDecimal(xs[i]);
        }
        return out;
    }

    private static double[] toDouble(BigDecimal[] xs) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = xs[i] == null ? Double.NaN : xs[i].doubleValue();
        }
        return out;
    }

    private static BigDecimal emaK(int n) {
        return TWO.divide(BigDecimal.valueOf(n + 1L), MC);
    }

    private static BigDecimal wilderK(int n) {
        return BigDecimal.ONE.divide(BigDecimal.valueOf(n), MC);
    }

    /**
     * EMA with smoothing {@code k}: undefined before the n-th defined input, there the mean of the
     * first n defined inputs, then {@code k x[t] + (1 - k) EMA[t-1]}. Inputs are defined from their
     * first non-null value on.
     */
    private static BigDecimal[] ema(BigDecimal[] x, int n, BigDecimal k) {
        BigDecimal[] out = new BigDecimal[x.length];
        int first = 0;
        while (first < x.length && x[first] == null) {
            first++;
        }
        int seed = first + n - 1;
        if (seed >= x.length) {
            return out;
        }
        out[seed] = mean(x, first, seed);
        BigDecimal oneMinusK = BigDecimal.ONE.subtract(k);
        for (int t = seed + 1; t < x.length; t++) {
            out[t] = k.multiply(x[t]).add(oneMinusK.multiply(out[t - 1]), MC);
        }
        return out;
    }

    /** Mean of {@code x[from..to]} (inclusive). */
    private static BigDecimal mean(BigDecimal[] x, int from, int to) {
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = from; i <= to; i++) {
            sum = sum.add(x[i]);
        }
        return sum.divide(BigDecimal.valueOf(to - from + 1L), MC);
    }

    /**
     * Standard deviation of {@code x[from..to]} with the given divisor (n - 1 sample, n
     * population), two passes: the mean, then the squared deviations from it. Exactly 0 when all
     * values are equal.
     */
    private static BigDecimal std(BigDecimal[] x, int from, int to, int divisor) {
        if (allEqual(x, from, to)) {
            return BigDecimal.ZERO;
        }
        BigDecimal m = mean(x, from, to);
        BigDecimal ss = BigDecimal.ZERO;
        for (int i = from; i <= to; i++) {
            BigDecimal dev = x[i].subtract(m, MC);
            ss = ss.add(dev.multiply(dev, MC), MC);
        }
        return ss.divide(BigDecimal.valueOf(divisor), MC).sqrt(MC);
    }

    private static boolean allEqual(BigDecimal[] x, int from, int to) {
        for (int i = from + 1; i <= to; i++) {
            if (x[i].compareTo(x[from]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static BigDecimal max(BigDecimal[] x, int from, int to) {
        BigDecimal m = x[from];
        for (int i = from + 1; i <= to; i++) {
            m = m.max(x[i]);
        }
        return m;
    }

    private static BigDecimal min(BigDecimal[] x, int from, int to) {
        BigDecimal m = x[from];
        for (int i = from + 1; i <= to; i++) {
            m = m.min(x[i]);
        }
        return m;
    }
}

package dev.featurestore.bench;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureFrame;
import dev.featurestore.core.FeatureStore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.ta4j.core.BarSeries;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.MACDIndicator;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.bollinger.PercentBIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.helpers.HighPriceIndicator;
import org.ta4j.core.indicators.helpers.HighestValueIndicator;
import org.ta4j.core.indicators.helpers.LowPriceIndicator;
import org.ta4j.core.indicators.helpers.LowestValueIndicator;
import org.ta4j.core.num.Num;

/**
 * Checks that {@link ComputeBenchmark#ta4j()} computes the same quantities as {@code tech_v2}: on
 * the benchmark's candles, compares ta4j's values with ours on the last rows of the series, where
 * the different seeding of ta4j's moving averages (from the first bar, not from a simple mean)
 * has long died away. Differences are relative to the value, or to the close for the MACD line
 * and the ATR (both in price units), and to 1 at least. Exits with status 1 when one exceeds 1e-6.
 *
 * <pre>{@code
 * java -Xmx8g -cp featurestore-bench/target/benchmarks.jar dev.featurestore.bench.CrossCheck
 * }</pre>
 */
public final class CrossCheck {
    private static final double TOLERANCE = 1e-6;
    private static final int ROWS = 1000;

    private CrossCheck() {
    }

    /** Runs the check on {@link ComputeBenchmark}'s candles and prints the largest differences. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        CandleSeries series = BenchCandles.series(ComputeBenchmark.CANDLES, ComputeBenchmark.SEED);
        BarSeries bars = BenchCandles.toBarSeries(series);
        FeatureFrame frame = FeatureStore.forSet("tech_v2").computeAllRows(series);
        int n = series.size();
        ClosePriceIndicator close = new ClosePriceIndicator(bars);
        EMAIndicator ema12 = new EMAIndicator(close, 12);
        EMAIndicator ema26 = new EMAIndicator(close, 26);
        MACDIndicator macd = new MACDIndicator(close, 12, 26);
        RSIIndicator rsi = new RSIIndicator(close, 14);
        ATRIndicator atr = new ATRIndicator(bars, 14);
        PercentBIndicator percentB = new PercentBIndicator(close, 20, 2.0);
        HighestValueIndicator highest = new HighestValueIndicator(new HighPriceIndicator(bars), 14);
        LowestValueIndicator lowest = new LowestValueIndicator(new LowPriceIndicator(bars), 14);
        double[] worst = new double[7];
        String[] names = {"ema_ratio_12_26", "macd_line", "rsi_14", "atr_14", "bollinger_band_pct", "stoch_k_14",
            "close (sanity)"};
        for (int i = 0; i < n; i++) {
            // ta4j's recursive indicators are evaluated in order, as in the benchmark.
            Num e12 = ema12.getValue(i);
            Num e26 = ema26.getValue(i);
            Num m = macd.getValue(i);
            Num r = rsi.getValue(i);
            Num a = atr.getValue(i);
            Num b = percentB.getValue(i);
            Num ll = lowest.getValue(i);
            Num range = highest.getValue(i).minus(ll);
            double k = range.isZero() ? 50.0 : 100 * close.getValue(i).minus(ll).dividedBy(range).doubleValue();
            if (i < n - ROWS) {
                continue;
            }
            double[] theirs = {e12.doubleValue() / e26.doubleValue(), m.doubleValue(), r.doubleValue(),
                a.doubleValue(), b.doubleValue(), k, close.getValue(i).doubleValue()};
            double[] ours = {frame.value(i, "ema_ratio_12_26"), frame.value(i, "macd_line"), frame.value(i, "rsi_14"),
                frame.value(i, "atr_14"), frame.value(i, "bollinger_band_pct"), frame.value(i, "stoch_k_14"),
                series.close(i)};
            // MACD and ATR are prices: measure them against the price level, the rest on their own
            // scale (at least 1, so a value near 0 does not inflate the difference).
            double price = series.close(i);
            double[] floor = {1, price, 1, price, 1, 1, price};
            for (int j = 0; j < ours.length; j++) {
                double scale = Math.max(floor[j], Math.max(Math.abs(ours[j]), Math.abs(theirs[j])));
                double diff = Math.abs(ours[j] - theirs[j]) / scale;
                worst[j] = Math.max(worst[j], Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff);
            }
        }
        boolean ok = true;
        out.printf(Locale.ROOT, "largest relative difference from ta4j over the last %d of %d rows:%n", ROWS, n);
        for (int j = 0; j < names.length; j++) {
            out.printf(Locale.ROOT, "  %-20s %.3g%n", names[j], worst[j]);
            ok &= worst[j] <= TOLERANCE;
        }
        out.println(ok ? "agree within " + TOLERANCE : "DIFFER by more than " + TOLERANCE);
        if (!ok) {
            System.exit(1);
        }
    }
}

package dev.featurestore.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.CandleSeries;
import dev.featurestore.api.FeatureKind;
import dev.featurestore.api.Timeframe;
import dev.featurestore.api.indicator.Indicator;
import dev.featurestore.core.indicator.BuiltinIndicators;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A custom indicator cannot write into the series, another feature or the result")
class ComputationGuardTest {

    @Test
    @DisplayName("writes into the context's arrays change only the custom indicator's copies")
    void customWritesStayInCopies() {
        int n = 50;
        long[] ts = new long[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = 1_700_000_000_000L + i * 60_000L;
            c[i] = 100 + Math.sin(i);
        }
        CandleSeries series = CandleSeries.of("SBER", Timeframe.ONE_MINUTE, ts, c, c, c, c, c);
        Indicator vandal = Indicator.define("vandal", FeatureKind.NUMERIC, List.of("close"), Map.of(), 0, "writes",
                (ctx, out) -> {
                    Arrays.fill(ctx.close(), -1);
                    Arrays.fill(ctx.ts(), -1);
                    Arrays.fill(ctx.feature("return_1"), -1);
                    assertThat(ctx.claim("return_1")).isNull();
                    Arrays.fill(out, 1);
                });
        Map<String, Indicator> catalog = new HashMap<>();
        for (Indicator i : new BuiltinIndicators().indicators()) {
            catalog.put(i.name(), i);
        }
        catalog.put("vandal", vandal);
        Indicator ret = catalog.get("return_1");
        double[] alone = Computation.run(series, List.of(ret), catalog::get)[0];
        double[][] both = Computation.run(series, List.of(vandal, ret), catalog::get);
        assertThat(series.closes()).containsExactly(c);
        assertThat(series.timestamps()).containsExactly(ts);
        assertThat(both[1]).containsExactly(alone);
        assertThat(both[0]).containsOnly(1.0);
    }
}

package dev.featurestore.api.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.FeatureKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Indicator.streamTail and withStreamTail")
class StreamTailTest {
    private static final IndicatorFunction FILL = (ctx, out) -> java.util.Arrays.fill(out, 1.0);
    private static final Indicator TEN = Indicator.define("ten_rows", FeatureKind.NUMERIC, List.of("close"),
            Map.of("period", 10), 9, "ten rows", FILL);

    @Test
    @DisplayName("by default a feature streams over its whole history")
    void defaultIsWholeHistory() {
        assertThat(TEN.streamTail()).isEqualTo(Indicator.WHOLE_HISTORY);
    }

    @Test
    @DisplayName("a declared tail is kept and everything else delegated")
    void declaredTail() {
        Indicator tailed = TEN.withStreamTail(10);
        assertThat(tailed.streamTail()).isEqualTo(10);
        assertThat(tailed.name()).isEqualTo("ten_rows");
        assertThat(tailed.kind()).isEqualTo(FeatureKind.NUMERIC);
        assertThat(tailed.inputs()).containsExactly("close");
        assertThat(tailed.parameters()).isEqualTo(Map.of("period", 10));
        assertThat(tailed.firstDefinedRow()).isEqualTo(9);
        assertThat(tailed.description()).isEqualTo("ten rows");
        assertThat(tailed.withStreamTail(12).streamTail()).isEqualTo(12);
    }

    @Test
    @DisplayName("a tail shorter than the warm-up is refused, saying the least that would do")
    void tooShort() {
        assertThatThrownBy(() -> TEN.withStreamTail(9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ten_rows").hasMessageContaining("at least firstDefinedRow() + 1 = 10");
    }
}

package dev.featurestore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Timeframe")
class TimeframeTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"1m, 60000", "5m, 300000", "15m, 900000", "1h, 3600000", "4h, 14400000", "1d, 86400000",
        "60m, 3600000", "999999m, 59999940000"})
    @DisplayName("parse round-trips through toString and knows its length")
    void roundTrip(String text, long millis) {
        Timeframe tf = Timeframe.parse(text);
        assertThat(tf.toString()).isEqualTo(text);
        assertThat(Timeframe.parse(tf.toString())).isEqualTo(tf);
        assertThat(tf.millis()).isEqualTo(millis);
        assertThat(tf.duration()).isEqualTo(Duration.ofMillis(millis));
        assertThat(tf.isDaily()).isEqualTo(text.endsWith("d"));
        assertThat(tf.hashCode()).isEqualTo(Timeframe.parse(text).hashCode());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "m", "5", "0m", "05m", "-5m", "+5m", "5 m", " 5m", "5M", "5s", "2d", "1w", "1.5h",
        "1000000m", "8785h", "abc"})
    @DisplayName("a bad text is an IllegalArgumentException quoting it")
    void bad(String text) {
        assertThatThrownBy(() -> Timeframe.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    @DisplayName("null is refused")
    void nullText() {
        assertThatThrownBy(() -> Timeframe.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @DisplayName("60m and 1h last equally long but are different names, ordered by length then name")
    void equality() {
        Timeframe sixty = Timeframe.parse("60m");
        Timeframe hour = Timeframe.parse("1h");
        assertThat(sixty).isNotEqualTo(hour);
        assertThat(sixty.millis()).isEqualTo(hour.millis());
        assertThat(sixty.compareTo(hour)).isNotZero();
        assertThat(Timeframe.parse("5m")).isLessThan(Timeframe.parse("15m"));
        assertThat(Timeframe.parse("15m")).isLessThan(Timeframe.parse("1h"));
        assertThat(Timeframe.ONE_MINUTE).isEqualTo(Timeframe.parse("1m"));
        assertThat(Timeframe.parse("15m").amount()).isEqualTo(15);
        assertThat(Timeframe.parse("15m").unit()).isEqualTo('m');
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"5s", "2d", "0m", "8785h", "1000000m"})
    @DisplayName("a bad text is an InvalidTimeframeException that quotes it and lists the valid forms")
    void invalidTimeframe(String text) {
        assertThatThrownBy(() -> Timeframe.parse(text)).isInstanceOf(InvalidTimeframeException.class)
                .hasMessageContaining("'" + text + "'").hasMessageContaining(Timeframe.validForms())
                .extracting(e -> ((InvalidTimeframeException) e).text()).isEqualTo(text);
        assertThat(Timeframe.validForms()).contains("Nm (1 to 999999 minutes)", "Nh (1 to 8784 hours)", "1d");
    }
}

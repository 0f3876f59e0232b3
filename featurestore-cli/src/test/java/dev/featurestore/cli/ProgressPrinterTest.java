package dev.featurestore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.core.progress.Stage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Progress output: a bar redrawn in place on a terminal, plain lines otherwise")
class ProgressPrinterTest {
    private static String drive(boolean bars) {
        StringWriter text = new StringWriter();
        ProgressPrinter p = ProgressPrinter.forTest(new PrintWriter(text), bars, null);
        p.stageStarted(Stage.BUILD, List.of("SBER", "GAZP"));
        p.advanced(Stage.BUILD, "SBER", 50, 100);
        p.secidFinished(Stage.BUILD, "SBER", 100);
        p.advanced(Stage.BUILD, "GAZP", 10, -1);
        p.secidFinished(Stage.BUILD, "GAZP", 40);
        p.stageFinished(Stage.BUILD, Duration.ofMillis(1500));
        return text.toString();
    }

    @Test
    @DisplayName("bars: each redraw starts with a carriage return and the share done grows to 100%, then one closing line")
    void bars() {
        String out = drive(true);
        List<String> frames = Arrays.stream(out.split("\r")).filter(f -> !f.isEmpty()).toList();
        assertThat(frames).extracting(f -> f.replaceAll("^.*\\]\\s+(\\d+)%.*$", "$1").strip())
                .startsWith("0", "25", "50", "50", "100");
        assertThat(frames.get(4)).contains("[##############################]").contains("GAZP 40/40 rows");
        assertThat(frames.get(frames.size() - 1)).startsWith("build: done in 1.5 s").endsWith("\n");
        assertThat(out.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    @DisplayName("plain: one line per finished secid and one per stage, no carriage return")
    void plain() {
        assertThat(drive(false).lines().toList()).containsExactly("build SBER: 100 rows (1/2)", "build GAZP: 40 rows (2/2)",
                "build: done in 1.5 s");
        assertThat(drive(false)).doesNotContain("\r");
    }
}

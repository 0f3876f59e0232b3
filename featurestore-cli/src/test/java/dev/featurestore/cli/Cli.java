package dev.featurestore.cli;

import dev.featurestore.api.CandleSeries;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;

/** Runs the command line in-process and captures what it prints; writes and reads test CSV files. */
final class Cli {
    private Cli() {
    }

    /** One run: exit code, standard output, standard error. */
    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.newCommandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Writes series as canonical compute input: secid,ts,open,high,low,close,volume with ISO ts. */
    static Path writeCandles(Path file, List<CandleSeries> series) {
        return writeCandles(file, series, ts -> Instant.ofEpochMilli(ts).toString());
    }

    static Path writeCandles(Path file, List<CandleSeries> series, LongFunction<String> tsFormat) {
        List<String> lines = new ArrayList<>();
        lines.add("secid,ts,open,high,low,close,volume");
        for (CandleSeries s : series) {
            for (int i = 0; i < s.size(); i++) {
                lines.add(s.secid() + "," + tsFormat.apply(s.ts(i)) + "," + s.open(i) + "," + s.high(i) + ","
                        + s.low(i) + "," + s.close(i) + "," + s.volume(i));
            }
        }
        return write(file, lines);
    }

    static Path write(Path file, List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the files in a directory. */
    static List<String> listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

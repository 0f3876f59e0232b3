package dev.featurestore.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.StorageException;
import dev.featurestore.core.FeatureStore;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The JDBC drivers are optional: a URL whose driver is missing is refused naming the artifact to add")
class MissingDriverTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("Without sqlite-jdbc, postgresql and flyway-database-postgresql on the class path, each URL names "
            + "what it needs and nothing is created")
    void namesTheMissingArtifacts() throws Exception {
        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            boolean driver = name.startsWith("sqlite-jdbc-") || name.startsWith("postgresql-")
                    || name.startsWith("flyway-database-postgresql-");
            (driver ? dropped : kept).add(entry);
        }
        assertThat(dropped).as("the three optional jars are on the test class path").hasSize(3);
        Path db = dir.resolve("none.db");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                String.join(File.pathSeparator, kept), OpenWithoutDrivers.class.getName(), "jdbc:sqlite:" + db,
                "jdbc:postgresql://127.0.0.1:1/none?password=secret").redirectErrorStream(true).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        List<String> lines = Arrays.stream(out.split("\n")).filter(l -> l.startsWith("REFUSED"))
                .collect(Collectors.toList());
        assertThat(lines).as(out).hasSize(2);
        assertThat(lines.get(0)).contains(StorageException.class.getSimpleName(), "jdbc:sqlite:", "SQLite",
                "org.xerial:sqlite-jdbc", "featurestore-bom").doesNotContain("postgresql");
        assertThat(lines.get(1)).contains("PostgreSQL", "org.postgresql:postgresql",
                "org.flywaydb:flyway-database-postgresql", "password=***").doesNotContain("secret", "sqlite");
        assertThat(Files.exists(db)).isFalse();
    }

    /** Opens each URL given and prints {@code REFUSED <exception> <message>} or {@code OPENED <url>}. */
    public static final class OpenWithoutDrivers {
        private OpenWithoutDrivers() {
        }

        public static void main(String[] args) {
            for (String url : args) {
                try (var store = FeatureStore.builder().storage(url).build()) {
                    System.out.println("OPENED " + url + " " + store);
                } catch (RuntimeException e) {
                    System.out.println("REFUSED " + e.getClass().getSimpleName() + " " + e.getMessage());
                }
            }
        }
    }
}

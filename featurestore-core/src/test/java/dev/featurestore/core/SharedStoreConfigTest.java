package dev.featurestore.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.featurestore.api.RegistryException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The shared store's registry file: a bad one is a RegistryException on every call, a fixed one works")
class SharedStoreConfigTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("featurestore.config naming a missing file, then the file appearing, in a fresh JVM")
    void missingThenFixed() throws Exception {
        Path config = dir.resolve("my_feature_store.yaml");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + FeatureStore.CONFIG_PROPERTY + "=" + config, "-cp", classPath(),
                ThreeCalls.class.getName(), config.toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.lines().toList()).containsExactly(
                "1: RegistryException " + config + ": named by the system property featurestore.config, but no such file exists",
                "2: RegistryException " + config + ": named by the system property featurestore.config, but no such file exists",
                "3: tech_v2");
    }

    /** The test JVM's class path and module path, as one class path (the tests run core on the module path). */
    private static String classPath() {
        String modules = System.getProperty("jdk.module.path", "");
        return System.getProperty("java.class.path") + (modules.isEmpty() ? "" : java.io.File.pathSeparator + modules);
    }

    /** Calls {@code FeatureStore.forSet} twice with the file missing, then once after copying the built-in registry there. */
    public static final class ThreeCalls {
        private ThreeCalls() {
        }

        public static void main(String[] args) throws Exception {
            for (int i = 1; i <= 2; i++) {
                try {
                    FeatureStore.forSet("tech_v2");
                    System.out.println(i + ": no error");
                } catch (RegistryException e) {
                    System.out.println(i + ": RegistryException " + e.getMessage());
                }
            }
            try (var in = FeatureStore.class.getResourceAsStream("/dev/featurestore/feature_store.yaml")) {
                Files.copy(in, Path.of(args[0]));
            }
            System.out.println("3: " + FeatureStore.forSet("tech_v2").spec().name());
        }
    }
}

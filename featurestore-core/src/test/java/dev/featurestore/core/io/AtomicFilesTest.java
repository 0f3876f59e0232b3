package dev.featurestore.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("AtomicFiles")
class AtomicFilesTest {
    @TempDir
    Path dir;

    private Stream<String> names() throws IOException {
        return Files.list(dir).map(p -> p.getFileName().toString()).sorted();
    }

    @Test
    @DisplayName("a failure mid-write leaves the old file intact and no temporary file")
    void failureMidWrite() throws IOException {
        Path target = Files.writeString(dir.resolve("report.json"), "old\n");
        Path[] seen = new Path[1];
        assertThatThrownBy(() -> AtomicFiles.write(target, tmp -> {
            seen[0] = tmp;
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                out.write("half of the new con".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                throw new IOException("disk full");
            }
        })).isInstanceOf(StorageException.class).hasMessageContaining("report.json").hasMessageContaining("disk full");
        assertThat(seen[0].getParent()).as("the temporary file was beside the target").isEqualTo(dir.toAbsolutePath());
        assertThat(Files.readString(target)).isEqualTo("old\n");
        assertThat(names()).containsExactly("report.json");
    }

    @Test
    @DisplayName("a failure that is not an IOException also cleans up")
    void runtimeFailure() throws IOException {
        Path target = Files.writeString(dir.resolve("a.bin"), "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, tmp -> {
            Files.writeString(tmp, "new");
            throw new IllegalStateException("encoder broke");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(names()).containsExactly("a.bin");
    }

    @Test
    @DisplayName("replaces the file whole, creating its directory, and leaves only the target")
    void replaces() throws IOException {
        Path target = dir.resolve("sub").resolve("x.txt");
        AtomicFiles.write(target, "one".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        AtomicFiles.write(target, "two".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(Files.readString(target)).isEqualTo("two");
        try (Stream<Path> s = Files.list(target.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("x.txt");
        }
        assertThat(AtomicFiles.temporaryBeside(target).getFileName().toString()).matches("\\.[0-9a-f]{16}\\.tmp");
    }
}

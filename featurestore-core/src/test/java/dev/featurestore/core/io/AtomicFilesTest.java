package dev.featurestore.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.featurestore.api.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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
        assertThat(AtomicFiles.temporaryBeside(target).getFileName().toString()).matches("\\.x\\.txt\\.[0-9a-f]{16}\\.tmp");
    }

    @Test
    @DisplayName("a temporary name names its target, cut to 64 characters, and is told apart from every other name")
    void temporaryNames() {
        String longName = "a".repeat(63) + "\uD83D\uDE00" + "b".repeat(100) + ".json";
        String tmp = AtomicFiles.temporaryBeside(dir.resolve(longName)).getFileName().toString();
        String cut = AtomicFiles.targetOfTemporary(tmp);
        assertThat(cut).as("a surrogate pair is not split").isEqualTo("a".repeat(63));
        assertThat(AtomicFiles.sameTarget(cut, longName)).isTrue();
        assertThat(AtomicFiles.sameTarget(cut, "a".repeat(63) + "c")).isFalse();
        assertThat(AtomicFiles.targetOfTemporary(".report.json.0123456789abcdef.tmp")).isEqualTo("report.json");
        for (String other : new String[] {"report.json", ".report.json.tmp", ".report.json.0123456789ABCDEF.tmp",
            ".report.json.0123456789abcde.tmp", "..0123456789abcdef.tmp", "x.report.json.0123456789abcdef.tmp",
            ".report.json.0123456789abcdef.tmp.bak"}) {
            assertThat(AtomicFiles.targetOfTemporary(other)).as(other).isNull();
        }
    }

    @Test
    @DisplayName("a write removes its target's temporary files older than the stale age, and nothing else")
    void removesOwnStaleTemporaries() throws IOException {
        FileTime old = FileTime.from(Instant.now().minus(AtomicFiles.STALE_AGE).minusSeconds(60));
        FileTime recent = FileTime.from(Instant.now().minus(AtomicFiles.STALE_AGE).plusSeconds(120));
        Path staleOwn = Files.writeString(dir.resolve(".report.json.0123456789abcdef.tmp"), "");
        Files.setLastModifiedTime(staleOwn, old);
        Path youngOwn = Files.writeString(dir.resolve(".report.json.1111111111111111.tmp"), "");
        Files.setLastModifiedTime(youngOwn, recent);
        Path staleOther = Files.writeString(dir.resolve(".other.json.0123456789abcdef.tmp"), "");
        Files.setLastModifiedTime(staleOther, old);
        Path lookalike = Files.writeString(dir.resolve(".report.json.tmp"), "");
        Files.setLastModifiedTime(lookalike, old);
        Path dirNamedLikeTemp = Files.createDirectory(dir.resolve(".report.json.2222222222222222.tmp"));
        Files.setLastModifiedTime(dirNamedLikeTemp, old);

        AtomicFiles.write(dir.resolve("report.json"), "new".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(names()).containsExactly(".other.json.0123456789abcdef.tmp", ".report.json.1111111111111111.tmp",
                ".report.json.2222222222222222.tmp", ".report.json.tmp", "report.json");

        List<Path> removed = AtomicFiles.removeStale(dir, n -> n.endsWith(".json"), Duration.ZERO,
                Clock.fixed(Instant.now().plusSeconds(1), ZoneOffset.UTC));
        assertThat(removed).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(".other.json.0123456789abcdef.tmp", ".report.json.1111111111111111.tmp");
        assertThat(names()).containsExactly(".report.json.2222222222222222.tmp", ".report.json.tmp", "report.json");
    }
}

package io.asyncflow.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bench run writes to a folder of its own unless told where; the committed results change only when asked. */
class BenchCommandTest {

    @Test
    void shouldWriteToANewRunFolderByDefault(@TempDir Path runs) throws Exception {
        Instant now = Instant.parse("2026-12-03T18:20:05Z");

        Path first = BenchCommand.resultsFolder(null, runs, now);
        Files.createDirectories(first);
        Path second = BenchCommand.resultsFolder(null, runs, now);

        assertThat(first).isEqualTo(runs.resolve("20261203-182005"));
        assertThat(second).isEqualTo(runs.resolve("20261203-182005-2"));
        assertThat(BenchCommand.RUNS).startsWith(BenchCommand.PUBLISHED + "/");
    }

    @Test
    void shouldWriteWhereToldWhenAFolderIsGiven(@TempDir Path dir) {
        assertThat(BenchCommand.resultsFolder(dir, Path.of(BenchCommand.RUNS), Instant.now())).isEqualTo(dir);
        assertThat(BenchCommand.resultsFolder(Path.of("bench-results"), Path.of(BenchCommand.RUNS), Instant.now()))
                .isEqualTo(Path.of("bench-results"));
    }

    @Test
    void shouldKeepEveryRunFolderOutOfGit() throws Exception {
        Path gitignore = Path.of("../.gitignore");

        assertThat(Files.readAllLines(gitignore)).contains("bench-results/*", "!bench-results/results.csv", "!bench-results/latency.png")
                .doesNotContain("!bench-results/runs");
    }
}

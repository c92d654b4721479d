package io.asyncflow.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.AsyncFlowCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code asyncflow bench --quick} runs end to end and writes its results; the figures are not held to targets here. */
class BenchQuickIT {

    @Test
    void shouldRunTheQuickBenchmarkAndWriteItsResults(@TempDir Path dir) throws Exception {
        // given
        Path out = dir.resolve("results");
        Path markdown = dir.resolve("BENCHMARKS.md");
        StringWriter console = new StringWriter();
        CommandLine cli = AsyncFlowCli.commandLine();
        cli.setOut(new PrintWriter(console));

        // when
        int exit = cli.execute("bench", "--quick", "--out", out.toString(), "--markdown", markdown.toString());

        // then
        assertThat(exit).as(console.toString()).isZero();
        assertThat(ImageIO.read(out.resolve("latency.png").toFile()).getWidth()).isPositive();
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        List<String> latencyRows = csv.stream().filter(l -> l.startsWith("latency,")).toList();
        assertThat(latencyRows).hasSize(4);
        for (String row : latencyRows) {
            String[] f = row.split(",");
            assertThat(Integer.parseInt(f[4])).as("conversations sent: " + row).isPositive();
            if (Integer.toString(BenchPlan.IDLE_RATE).equals(f[2])) {
                assertThat(Integer.parseInt(f[7])).as("conversations with SUCCESS: " + row).isPositive();
                assertThat(Double.parseDouble(f[8])).as("p50 202 -> result: " + row).isPositive();
            }
        }
        assertThat(csv).anyMatch(l -> l.startsWith("baseline-sequential,"))
                .anyMatch(l -> l.startsWith("baseline-passthrough,exactly_once_v2"))
                .anyMatch(l -> l.startsWith("backlog,"))
                .anyMatch(l -> l.startsWith("footprint,in_flight="))
                .anyMatch(l -> l.startsWith("long-poll-cost,waiting="));
        List<String> bursts = csv.stream().filter(l -> l.startsWith("boundary,")).toList();
        assertThat(bursts).hasSize(1);
        for (String row : bursts) {
            String[] f = row.split(",");
            assertThat(Integer.parseInt(f[6])).as("results written to participant data: " + row).isEqualTo(Integer.parseInt(f[4]));
            assertThat(Integer.parseInt(f[7])).as("final long-poll answers: " + row).isEqualTo(Integer.parseInt(f[4]));
        }
        String report = Files.readString(markdown);
        assertThat(report).contains("## Targets", "## Throughput", "## The Genesys boundary", "## Footprint", MarkdownReport.ANALYSIS_MARKER);
        assertThat(Files.readString(out.resolve("BENCHMARKS.md"))).contains("## Latency");
    }
}

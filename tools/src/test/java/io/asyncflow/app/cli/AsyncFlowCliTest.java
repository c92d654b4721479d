package io.asyncflow.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.AsyncFlowCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsyncFlowCliTest {
    private static final String VALID = """
            kafka.bootstrap.servers=127.0.0.1:1
            task.identify-caller.backends=alpha,beta
            task.identify-caller.deadline=5s
            backend.alpha.url=http://127.0.0.1:1/alpha/customers?phone={{ani}}
            backend.beta.url=http://127.0.0.1:1/beta/customers?phone={{ani}}
            """;
    private static final String TOKEN = "a-test-token-long-enough-for-the-ingress-0123456789";
    /** What the ingress and the sink need beyond {@link #VALID}. */
    private static final String COMPONENTS = "ingress.token=" + TOKEN + "\ngenesys.client-id=test-client\ngenesys.client-secret=test-secret\n";

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "run, --config, --components, --validate, -D",
            "demo, --keep-running, --verbose, --help, --version",
            "kafka, --port, --data-dir, --heap, --start-timeout",
            "simulate, --bind, --latency, --down, --rate-limit"})
    void shouldDescribeEachCommandAndItsOptionsInItsHelp(String command, String option1, String option2, String option3,
                                                          String option4) {
        // when
        Result result = execute(command, "--help");

        // then
        assertThat(result.code).isZero();
        assertThat(result.out).contains("Usage: asyncflow " + command).contains(option1, option2, option3, option4);
    }

    @Test
    void shouldListTheCommandsInTheMainHelp() {
        Result result = execute("--help");

        assertThat(result.code).isZero();
        assertThat(result.out).contains("run", "demo", "kafka", "simulate");
    }

    @Test
    void shouldExitWithUsageErrorWithoutACommand() {
        Result result = execute();

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("Missing a command");
    }

    @Test
    void shouldExitTwoAndNameTheKeyWhenAValueIsBad() throws Exception {
        // given
        Path file = write(VALID + "task.identify-caller.deadline=soon\n");

        // when
        Result result = execute("run", "--config", file.toString(), "--validate");

        // then
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("task.identify-caller.deadline").contains("soon");
    }

    @Test
    void shouldRefuseInValidateWhatRunRefusesForTheIngressToken() throws Exception {
        // given a configuration without a token, and one with a token too short
        Path file = write(VALID);

        // when
        Result missing = execute("run", "--config", file.toString(), "--components", "ingress", "--validate");
        Result tooShort = execute("run", "--config", file.toString(), "--components", "ingress", "-D", "ingress.token=short", "--validate");

        // then --validate says what run would say, naming the key, and never "valid"
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("ingress.token").contains("required");
        assertThat(missing.out).doesNotContain("Configuration is valid");
        assertThat(tooShort.code).isEqualTo(2);
        assertThat(tooShort.err).contains("ingress.token").contains("too short").doesNotContain("short\n");
    }

    @Test
    void shouldExitTwoAndNameTheKeyWhenAKeyIsUnknown() throws Exception {
        // given
        Path file = write(VALID + "backend.alpha.timout=2s\n");

        // when
        Result result = execute("run", "--config", file.toString(), "--validate");

        // then
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("unknown config key").contains("backend.alpha.timout");
    }

    @Test
    void shouldExitTwoWhenABackendIsMissingOrAnOverrideIsBad() throws Exception {
        // given
        Path file = write(VALID);

        // when
        Result missingBackend = execute("run", "-c", file.toString(), "-D", "task.identify-caller.backends=alpha,delta", "--validate");
        Result badOverride = execute("run", "-c", file.toString(), "-Dtopic.partitions=many", "--validate");

        // then
        assertThat(missingBackend.code).isEqualTo(2);
        assertThat(missingBackend.err).contains("task.identify-caller.backends").contains("delta");
        assertThat(badOverride.code).isEqualTo(2);
        assertThat(badOverride.err).contains("topic.partitions");
    }

    @Test
    void shouldExitTwoWhenTheConfigFileIsMissing() {
        Result result = execute("run", "--config", dir.resolve("nope.properties").toString(), "--validate");

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("nope.properties");
    }

    @Test
    void shouldExitTwoOnAnUnknownComponent() throws Exception {
        Result result = execute("run", "--config", write(VALID).toString(), "--components", "ingress,lookup", "--validate");

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("unknown component 'lookup'");
    }

    @Test
    void shouldCheckEveryChosenComponentsSettingsWhenValidating() throws Exception {
        // given the ingress's longest wait above its limit, and a sink without an OAuth client
        Path waitTooLong = write(VALID + COMPONENTS + "ingress.max-wait=30s\n");
        Path noClient = write(VALID + "ingress.token=" + TOKEN + "\n");

        // when
        Result ingress = execute("run", "--config", waitTooLong.toString(), "--components", "ingress", "--validate");
        Result sink = execute("run", "--config", noClient.toString(), "--components", "sink", "--validate");

        // then
        assertThat(ingress.code).isEqualTo(2);
        assertThat(ingress.err).contains("ingress.max-wait");
        assertThat(sink.code).isEqualTo(2);
        assertThat(sink.err).contains("genesys.client-id");
    }

    @Test
    void shouldSummariseAValidConfigurationAndExitZero() throws Exception {
        // when
        Result result = execute("run", "--config", write(VALID + COMPONENTS).toString(), "--components", "sink,ingress", "--validate");

        // then
        assertThat(result.code).isZero();
        assertThat(result.out).contains("127.0.0.1:1")
                .contains("identify-caller (alpha, beta, deadline 5000 ms)")
                .contains("Components: sink, ingress")
                .contains("Configuration is valid.");
    }

    @Test
    void shouldRefuseToStartTheIngressWithoutAToken() throws Exception {
        // when
        Result result = execute("run", "--config", write(VALID).toString(), "--components", "ingress");

        // then
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("ingress.token").doesNotContain("Exception");
    }

    @Test
    void shouldExitTwoOnABadSimulatorLatency() {
        Result result = execute("simulate", "--latency", "gamma=soon");

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("--latency gamma").contains("soon");
    }

    @Test
    void shouldPrintItsVersion() {
        Result result = execute("--version");

        assertThat(result.code).isZero();
        assertThat(result.out).contains("asyncflow").contains("Kafka 4.");
    }

    private Path write(String text) throws Exception {
        Path file = Files.createTempFile(dir, "asyncflow", ".properties");
        Files.writeString(file, text);
        return file;
    }

    private static Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AsyncFlowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) {
    }

}

package io.asyncflow.app.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.asyncflow.config.ConfigLoader;
import io.asyncflow.app.run.Components;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.ingress.IngressSettings;
import io.asyncflow.processor.sink.SinkSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation and the shipped configuration files honest: {@code docs/configuration.md}
 * must be exactly what {@link ConfigReference} renders from the declared keys, and every key set in
 * the demo and Docker configurations, and every {@code ASYNCFLOW_*} variable of docker-compose.yml,
 * must be a key the application accepts. Run with {@code -Dasyncflow.docs.update=true} to rewrite
 * the reference.
 */
class ConfigReferenceTest {
    private static final Path REPO = Path.of("..");
    private static final Path DOC = REPO.resolve(ConfigReference.DOC_PATH);
    private static final Path DEMO_PROPERTIES = Path.of("src/main/resources/io/asyncflow/app/demo.properties");
    private static final Path DOCKER_PROPERTIES = Path.of("../app/config/docker.properties");
    private static final Path COMPOSE = REPO.resolve("docker-compose.yml");

    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("^\\s+(ASYNCFLOW_[A-Z0-9_]+)\\s*:\\s*(.*?)\\s*$");
    private static final Pattern COMPOSE_INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final List<ConfigKey> declared = Components.declaredKeys();

    @Test
    void shouldMatchTheCommittedConfigurationReference() throws IOException {
        // given
        String rendered = ConfigReference.render();
        if (Boolean.getBoolean("asyncflow.docs.update")) {
            ConfigReference.write(DOC, rendered);
        }

        // when
        String committed = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "(missing)";

        // then
        assertThat(committed)
                .as(ConfigReference.DOC_PATH + " is out of date with the declared config keys (Components.declaredKeys()). "
                        + "Regenerate it from the repository root with:%n  %s%nand commit the result.",
                        ConfigReference.REGENERATE_COMMAND)
                .isEqualTo(rendered);
    }

    @Test
    void shouldListEveryDeclaredKeyExactlyOnceWithItsDefaultAndDoc() {
        // when
        String rendered = ConfigReference.render(declared);

        // then
        assertThat(declared).hasSizeGreaterThan(50);
        for (ConfigKey key : declared) {
            String rowStart = "| `" + key.name() + "` | ";
            assertThat(rendered.split("\n")).as("rows of %s", key.name())
                    .filteredOn(line -> line.startsWith(rowStart)).singleElement().satisfies(row -> {
                        assertThat(row).contains(ConfigReference.defaultCell(key.defaultValue()));
                        assertThat(row).contains(ConfigReference.escape(key.doc()));
                    });
        }
        assertThat(rendered).doesNotContain("## " + ConfigReference.OTHER.title());
    }

    @Test
    void shouldGroupKeysBySectionInTheOrderOfTheSections() {
        // given
        List<ConfigKey> keys = List.of(
                ConfigKey.of("sink.rate-per-minute", "280", "Rate."),
                ConfigKey.of("backend.*.url", null, "URL."),
                ConfigKey.of("kafka.bootstrap.servers", "localhost:9092", "Servers."));

        // when
        String rendered = ConfigReference.render(keys);

        // then
        assertThat(rendered.indexOf("## Kafka clients")).isLessThan(rendered.indexOf("| `kafka.bootstrap.servers` |"));
        assertThat(rendered.indexOf("| `kafka.bootstrap.servers` |")).isLessThan(rendered.indexOf("## Backends"));
        assertThat(rendered.indexOf("## Backends")).isLessThan(rendered.indexOf("| `backend.*.url` |"));
        assertThat(rendered.indexOf("| `backend.*.url` |")).isLessThan(rendered.indexOf("## Participant-data sink"));
        assertThat(rendered).doesNotContain("## Topics", "## Ingress");
        assertThat(rendered).contains("- [Backends](#backends)", "- [Participant-data sink](#participant-data-sink)");
    }

    @Test
    void shouldPutAKeyUnderNoKnownPrefixInOtherWithItsDocEscapedForMarkdown() {
        // given
        ConfigKey odd = ConfigKey.integer("metrics.port", "", "Port of <the> metrics | see backend.*.url and *all*.").atLeast(1);

        // when
        String rendered = ConfigReference.render(List.of(odd));

        // then
        assertThat(rendered).contains("## Other")
                .contains("| `metrics.port` | integer | (empty) | at least 1 | `ASYNCFLOW_METRICS_PORT` | "
                        + "Port of &lt;the&gt; metrics \\| see backend.\\*.url and \\*all\\*. |");
    }

    @Test
    void shouldNameTheEnvironmentVariableOfEachKindOfKey() {
        assertThat(ConfigReference.envCell("sink.rate-per-minute")).isEqualTo("`ASYNCFLOW_SINK_RATE_PER_MINUTE`");
        assertThat(ConfigReference.envCell("backend.*.url")).isEqualTo("`ASYNCFLOW_BACKEND_<NAME>_URL`");
        assertThat(ConfigReference.envCell("producer.*")).isEqualTo("`ASYNCFLOW_PRODUCER_<KEY>`");
        assertThat(ConfigReference.envCell("backend.*.header.*")).isEqualTo("—");
        assertThat(ConfigReference.defaultCell(null)).isEqualTo("—");
    }

    @Test
    void shouldDeclareEveryKeyTheDemoAndDockerPropertiesSet() {
        for (Path file : List.of(DEMO_PROPERTIES, DOCKER_PROPERTIES)) {
            // given
            Map<String, String> values = AsyncFlowConfig.readProperties(file);

            // when / then
            assertThat(values).as(file.toString()).isNotEmpty();
            assertThatCode(() -> AsyncFlowConfig.of(values).rejectUnknownKeys(declared))
                    .as("keys of %s", file).doesNotThrowAnyException();
        }
    }

    @Test
    void shouldMapEveryAsyncflowVariableOfDockerComposeToADeclaredKey() throws IOException {
        // given
        Map<String, String> environment = composeEnvironment(Files.readAllLines(COMPOSE, StandardCharsets.UTF_8));

        // when
        List<String> unmapped = unmappedVariables(environment);

        // then
        assertThat(environment).containsKeys("ASYNCFLOW_CONFIG", "ASYNCFLOW_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(unmapped).as("ASYNCFLOW_* variables of docker-compose.yml that set no declared key "
                + "(the variable of key k is AsyncFlowConfig.envName(k); see " + ConfigReference.DOC_PATH + ")").isEmpty();
    }

    @Test
    void shouldRecogniseAVariableThatSetsNoKey() {
        // given
        Map<String, String> environment = Map.of(
                "ASYNCFLOW_GENESYS_BASE_URL", "http://simulators:8091",
                "ASYNCFLOW_GENESYS_API_URL", "http://simulators:8091",
                "ASYNCFLOW_BACKEND_INTENT_AI_TIMEOUT", "1s",
                "ASYNCFLOW_BACKEND_NEW_DB_TIMEOUT", "1s",
                "ASYNCFLOW_PRODUCER_LINGER_MS", "5");

        // when
        List<String> unmapped = unmappedVariables(environment);

        // then
        assertThat(unmapped).containsExactlyInAnyOrder("ASYNCFLOW_GENESYS_BASE_URL", "ASYNCFLOW_BACKEND_NEW_DB_TIMEOUT");
    }

    @Test
    void shouldValidateTheDockerComposeConfigurationLikeAsyncflowRun() throws IOException {
        // given
        Map<String, String> environment = composeEnvironment(Files.readAllLines(COMPOSE, StandardCharsets.UTF_8));

        // when
        AsyncFlowConfig config = ConfigLoader.load(DOCKER_PROPERTIES, environment, Map.of(), declared);

        // then
        assertThatCode(() -> {
            ConfigLoader.validate(config, declared);
            IngressSettings.from(config);
            SinkSettings settings = SinkSettings.from(config);
            settings.requireClientId();
            settings.requireClientSecret();
        }).as("docker-compose.yml with its default values and %s", DOCKER_PROPERTIES).doesNotThrowAnyException();
        assertThat(SinkSettings.from(config).apiUrl()).isEqualTo(environment.get("ASYNCFLOW_GENESYS_API_URL"));
    }

    /** Variables that set no declared key, each loaded alone the way {@code asyncflow run} loads it. */
    private List<String> unmappedVariables(Map<String, String> environment) {
        String marker = "set-by-the-variable-under-test";
        List<String> unmapped = new ArrayList<>();
        environment.keySet().stream().filter(name -> !ConfigLoader.RESERVED_ENV.contains(name)).forEach(name -> {
            Map<String, String> values = ConfigLoader.load(DOCKER_PROPERTIES, Map.of(name, marker), Map.of(), declared)
                    .explicitValues();
            values.values().removeIf(value -> !value.equals(marker));
            try {
                AsyncFlowConfig.of(values).rejectUnknownKeys(declared);
                if (values.size() != 1) {
                    unmapped.add(name);
                }
            } catch (ConfigException e) {
                unmapped.add(name);
            }
        });
        return unmapped;
    }

    /** The {@code ASYNCFLOW_*} entries of docker-compose.yml, {@code ${VAR:-default}} read as its default. */
    static Map<String, String> composeEnvironment(List<String> lines) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = COMPOSE_VARIABLE.matcher(line);
            if (m.matches()) {
                environment.put(m.group(1), interpolate(unquote(m.group(2))));
            }
        }
        return environment;
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    private static String interpolate(String value) {
        Matcher m = COMPOSE_INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }
}

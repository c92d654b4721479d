package io.asyncflow.app.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.asyncflow.app.run.ComponentKind;
import io.asyncflow.app.run.Components;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes, checked the way docker-compose.yml is: every manifest parses, every
 * {@code ASYNCFLOW_*} variable sets a declared key, each part's configuration loads and validates
 * as {@code asyncflow run} would, secrets come from the Secret, and the static-membership parts get
 * their stable instance names from the StatefulSet.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("../deploy/kubernetes");
    private final List<ConfigKey> declared = Components.declaredKeys();

    @Test
    void shouldParseEveryManifestIntoTheExpectedObjects() throws IOException {
        List<String> kinds = documents().stream().map(d -> d.get("kind").asText() + "/" + d.path("metadata").path("name").asText()).toList();

        assertThat(kinds).containsExactlyInAnyOrder("ConfigMap/asyncflow-config", "Secret/asyncflow-secrets",
                "Service/asyncflow-ingress", "Deployment/asyncflow-ingress",
                "Service/asyncflow-processor", "StatefulSet/asyncflow-processor",
                "Service/asyncflow-lookups", "StatefulSet/asyncflow-lookups",
                "Service/asyncflow-sink", "StatefulSet/asyncflow-sink",
                "Service/asyncflow-console", "Deployment/asyncflow-console");
    }

    @Test
    void shouldSetOnlyDeclaredKeysAndTakeSecretsFromTheSecret() throws IOException {
        for (JsonNode container : containers()) {
            for (JsonNode env : container.path("env")) {
                String name = env.get("name").asText();
                if (!name.startsWith("ASYNCFLOW_") || ConfigLoader.RESERVED_ENV.contains(name)) {
                    continue;
                }
                String key = keyOf(name);
                if (AsyncFlowConfig.PASSTHROUGH_PREFIXES.stream().anyMatch(key::startsWith)) {
                    continue; // a Kafka client setting, passed through as run passes it
                }
                ConfigKey declaredKey = declared.stream().filter(k -> k.matches(key)).findFirst().orElse(null);
                assertThat(declaredKey).as("%s in %s sets no declared key", name, container.get("name")).isNotNull();
                if (declaredKey.type() == ConfigKey.Type.PASSWORD) {
                    assertThat(env.path("valueFrom").path("secretKeyRef").path("name").asText())
                            .as("%s must come from the Secret", name).isEqualTo("asyncflow-secrets");
                }
            }
        }
    }

    @Test
    void shouldGiveEachStatefulPartItsPodNameAsInstanceId() throws IOException {
        for (JsonNode set : documents().stream().filter(d -> d.get("kind").asText().equals("StatefulSet")).toList()) {
            JsonNode env = set.at("/spec/template/spec/containers/0/env");
            assertThat(env.findValuesAsText("name")).as(set.at("/metadata/name").asText()).contains("ASYNCFLOW_ASYNCFLOW_INSTANCE_ID");
            for (JsonNode e : env) {
                if (e.get("name").asText().equals("ASYNCFLOW_ASYNCFLOW_INSTANCE_ID")) {
                    assertThat(e.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
                }
            }
        }
        JsonNode processor = documents().stream().filter(d -> d.at("/metadata/name").asText().equals("asyncflow-processor")
                && d.get("kind").asText().equals("StatefulSet")).findFirst().orElseThrow();
        assertThat(processor.at("/spec/volumeClaimTemplates/0/metadata/name").asText()).isEqualTo("state");
    }

    @Test
    void shouldProbeTheIngressOnItsHealthAndReadinessEndpoints() throws IOException {
        JsonNode ingress = containers().stream().filter(c -> c.get("name").asText().equals("ingress")).findFirst().orElseThrow();

        assertThat(ingress.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
        assertThat(ingress.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health");
    }

    @Test
    void shouldProbeTheConsoleOnItsHealthEndpoint() throws IOException {
        JsonNode console = containers().stream().filter(c -> c.get("name").asText().equals("console")).findFirst().orElseThrow();

        assertThat(console.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health");
        assertThat(console.at("/args/1").asText()).isEqualTo("console");
    }

    @Test
    void shouldLoadAndValidateEachPartsConfigurationLikeAsyncflowRun(@TempDir Path dir) throws IOException {
        Path properties = dir.resolve("asyncflow.properties");
        JsonNode configMap = documents().stream().filter(d -> d.get("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        Files.writeString(properties, configMap.at("/data/asyncflow.properties").asText());
        Map<String, String> secret = new LinkedHashMap<>();
        documents().stream().filter(d -> d.get("kind").asText().equals("Secret")).findFirst().orElseThrow()
                .get("stringData").fields().forEachRemaining(e -> secret.put(e.getKey(), e.getValue().asText()));

        for (JsonNode container : containers()) {
            Map<String, String> environment = new LinkedHashMap<>();
            for (JsonNode env : container.path("env")) {
                JsonNode ref = env.at("/valueFrom/secretKeyRef/key");
                String value = env.has("value") ? env.get("value").asText()
                        : !ref.isMissingNode() ? secret.get(ref.asText()) : container.get("name").asText() + "-0";
                environment.put(env.get("name").asText(), value);
            }
            List<ComponentKind> kinds = Stream.of(container.at("/args/1").asText().split(",")).map(ComponentKind::parse).toList();
            assertThatCode(() -> {
                AsyncFlowConfig config = ConfigLoader.load(properties, environment, Map.of(), declared);
                ConfigLoader.validate(config, declared);
                kinds.forEach(kind -> Components.validate(kind, config));
            }).as("configuration of %s", container.get("name").asText()).doesNotThrowAnyException();
        }
    }

    private String keyOf(String variable) {
        String marker = "set-by-the-variable-under-test";
        Map<String, String> values = new LinkedHashMap<>(ConfigLoader.load(null, Map.of(variable, marker), Map.of(), declared).explicitValues());
        values.values().removeIf(v -> !v.equals(marker));
        assertThat(values).as(variable).hasSize(1);
        return values.keySet().iterator().next();
    }

    private static List<JsonNode> containers() throws IOException {
        List<JsonNode> containers = new ArrayList<>();
        for (JsonNode d : documents()) {
            d.at("/spec/template/spec/containers").forEach(containers::add);
        }
        return containers;
    }

    private static List<JsonNode> documents() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (it.hasNext()) {
                        JsonNode doc = it.next();
                        if (doc != null && !doc.isEmpty()) {
                            documents.add(doc);
                        }
                    }
                }
            }
        }
        return documents;
    }
}

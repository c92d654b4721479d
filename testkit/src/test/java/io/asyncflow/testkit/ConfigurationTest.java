package io.asyncflow.testkit;

import static io.asyncflow.testkit.Fixtures.ANI;
import static io.asyncflow.testkit.Fixtures.CONVERSATION;
import static io.asyncflow.testkit.Fixtures.IDENTIFY;
import static io.asyncflow.testkit.Fixtures.PROPERTIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    private static final Path CONFIG_REFERENCE = Path.of("../docs/configuration.md");
    private static final Pattern REFERENCE_ROW = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

    @Test
    void shouldRefuseATaskTypeNamingAMisspeltBackendNamingTheKey() {
        AsyncFlowTestKit.Builder builder = AsyncFlowTestKit.configuredBy(PROPERTIES).set("task.identify-caller.backends", "alpha,beta,gama");

        assertThatThrownBy(builder::start).isInstanceOf(ConfigException.class)
                .hasMessage("config key 'task.identify-caller.backends': names backend 'gama', but no backend.gama.url is configured");
    }

    @Test
    void shouldRefuseAHitPointerThatIsNotAJsonPointerNamingTheKey() {
        AsyncFlowTestKit.Builder builder = AsyncFlowTestKit.configuredBy(PROPERTIES).set("backend.gamma.hit-pointer", "results/0");

        assertThatThrownBy(builder::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("config key 'backend.gamma.hit-pointer': must be a JSON pointer");
    }

    @Test
    void shouldRefuseAMisspeltKeyAsRunDoes() {
        AsyncFlowTestKit.Builder builder = AsyncFlowTestKit.configuredBy(PROPERTIES).set("backend.gamma.hit-ponter", "/results/0");

        assertThatThrownBy(builder::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown config key [backend.gamma.hit-ponter]");
    }

    @Test
    void shouldRefuseABadSettingOfAPartTheKitStandsInFor() {
        AsyncFlowTestKit.Builder builder = AsyncFlowTestKit.configuredBy(PROPERTIES).set("lookup.http-version", "HTTP_3");

        assertThatThrownBy(builder::start).isInstanceOf(ConfigException.class).hasMessageContaining("lookup.http-version");
    }

    @Test
    void shouldRefuseAMissingFileNamingIt() {
        assertThatThrownBy(() -> AsyncFlowTestKit.start(Path.of("no-such.properties"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no-such.properties does not exist");
    }

    @Test
    void shouldResolveSecretsFromTheGivenEnvironmentAndApplyAsyncflowVariablesAsRunDoes() {
        try (AsyncFlowTestKit kit = AsyncFlowTestKit.configuredBy(PROPERTIES)
                .set("backend.alpha.header.X-Api-Key", "${env:ALPHA_KEY}")
                .environment(Map.of("ALPHA_KEY", "secret-for-tests", "ASYNCFLOW_TASK_IDENTIFY_CALLER_DEADLINE", "2s"))
                .start()) {
            Fixtures.databases(kit, CannedResponse.noAnswer(), CannedResponse.noAnswer(), CannedResponse.noAnswer());

            kit.requestTask(CONVERSATION, IDENTIFY, Map.of("ani", ANI));
            kit.advance(Duration.ofMillis(2_100));

            kit.assertStatuses(CONVERSATION, TaskStatus.ONGOING, TaskStatus.TIMEOUT);
        }
    }

    @Test
    void shouldRefuseASecretReferenceToAnUnsetVariableNamingTheKey() {
        AsyncFlowTestKit.Builder builder = AsyncFlowTestKit.configuredBy(PROPERTIES)
                .set("backend.alpha.header.X-Api-Key", "${env:ASYNCFLOW_TESTKIT_UNSET_VARIABLE}");

        assertThatThrownBy(builder::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("backend.alpha.header.X-Api-Key").hasMessageContaining("ASYNCFLOW_TESTKIT_UNSET_VARIABLE");
    }

    @Test
    void shouldAcceptExactlyTheKeysOfTheConfigurationReferenceThatRunAccepts() throws IOException {
        Matcher rows = REFERENCE_ROW.matcher(Files.readString(CONFIG_REFERENCE));
        Set<String> documented = new TreeSet<>();
        while (rows.find()) {
            documented.add(rows.group(1));
        }

        Set<String> declared = RunConfiguration.declaredKeys().stream().map(ConfigKey::name).collect(Collectors.toCollection(TreeSet::new));

        assertThat(declared).as("the keys of docs/configuration.md (generated from asyncflow run's keys)")
                .isEqualTo(documented);
    }
}

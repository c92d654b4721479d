package io.asyncflow.app.docs;

import io.asyncflow.config.ConfigLoader;
import io.asyncflow.app.run.Components;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders the configuration reference ({@code docs/configuration.md}) from the keys the application
 * declares ({@link Components#declaredKeys()}): every key with its default, the environment variable
 * that sets it and its one-line doc, grouped by key prefix. {@code ConfigReferenceTest} fails when the
 * committed file differs from this rendering, so a key cannot be added, renamed or re-defaulted
 * without the reference following.
 *
 * <p>Regenerate with {@code mvn -B -o test -pl tools -am -Dtest=ConfigReferenceTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dasyncflow.docs.update=true}, or run {@link #main} with
 * the target path.
 */
public final class ConfigReference {
    /** Where the reference lives, relative to the repository root. */
    public static final String DOC_PATH = "docs/configuration.md";
    /** Command that rewrites {@link #DOC_PATH} from the code. */
    public static final String REGENERATE_COMMAND = "mvn -B -o test -pl tools -am -Dtest=ConfigReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dasyncflow.docs.update=true";

    /** One group of keys in the reference: a title, the key prefixes it holds and a sentence about them. */
    record Section(String title, List<String> prefixes, String intro) {
        boolean holds(String keyName) {
            return prefixes.stream().anyMatch(keyName::startsWith);
        }
    }

    static final List<Section> SECTIONS = List.of(
            new Section("Kafka clients", List.of("kafka.", "producer.", "consumer.", "streams.", "admin."),
                    "Every `kafka.*` key reaches every Kafka client without the prefix (e.g. `kafka.security.protocol`); "
                            + "`producer.*`, `consumer.*`, `streams.*` and `admin.*` reach one kind of client. "
                            + "Components force what their guarantees need (the ingress: `acks=all`, idempotence)."),
            new Section("Instance and restarts", List.of("asyncflow."),
                    "The identity of one `run` process (its static membership in every consumer group and its state directory) "
                            + "and how fast partitions move when a process stops, crashes or comes back."),
            new Section("Topics", List.of("topic."),
                    "Topic names and how AsyncFlow creates missing topics at start."),
            new Section("Serde", List.of("serde."),
                    "Value serde of the Avro topics. The default needs no schema registry; a registry serde plugs in by class name."),
            new Section("Task types", List.of("task."),
                    "One group per task type: `task.<name>.*`, e.g. `task.identify-caller.backends`. "
                            + "In participant-data key defaults, `<task>` stands for the task type's name."),
            new Section("Backends", List.of("backend."),
                    "One group per backend a task type names: `backend.<name>.*`, e.g. `backend.alpha.url`. "
                            + "Task inputs fill `{{input}}` placeholders (URL-encoded in the URL, JSON-escaped in the body)."),
            new Section("Ingress (HTTP)", List.of("ingress."),
                    "The authenticated webhook that takes Data Action requests (`POST /v1/tasks`) and Genesys events (`POST /v1/events`)."),
            new Section("Raw-event bridge", List.of("bridge."),
                    "Reads raw Genesys events (JSON) from the raw-events topic and turns them into tasks."),
            new Section("Processor (topology)", List.of("processor."),
                    "The Kafka Streams topology: fan-out, first match, deadlines, cancellation."),
            new Section("Lookup worker", List.of("lookup."),
                    "Calls the backends with asynchronous HTTP, outside the stream threads."),
            new Section("Genesys Cloud", List.of("genesys."),
                    "Where Genesys Cloud is and the OAuth client (client credentials) the sink writes participant data with."),
            new Section("Participant-data sink", List.of("sink."),
                    "Writes statuses to participant data within Genesys's rate limit (300 requests per minute per token)."),
            new Section("Operator console", List.of("console."),
                    "The web console (`--components console`, on in `./asyncflow demo`): its port, its two users and how much it holds. "
                            + "See [operator-console.md](operator-console.md)."));

    static final Section OTHER = new Section("Other", List.of(), "Keys under no prefix above.");

    private ConfigReference() {
    }

    /** Writes the reference of the application's declared keys to {@code args[0]} (default {@value #DOC_PATH}). */
    public static void main(String[] args) {
        Path target = Path.of(args.length > 0 ? args[0] : DOC_PATH);
        write(target, render(Components.declaredKeys()));
        System.out.println("Wrote " + target.toAbsolutePath().normalize());
    }

    /** Writes {@code markdown} to {@code target} (UTF-8), creating the parent folder. */
    public static void write(Path target, String markdown) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(target, markdown, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** The reference of the application's declared keys. */
    public static String render() {
        return render(Components.declaredKeys());
    }

    /** The reference of {@code keys}: intro, then one table per section, in declaration order. */
    public static String render(Collection<ConfigKey> keys) {
        Map<Section, List<ConfigKey>> grouped = new LinkedHashMap<>();
        SECTIONS.forEach(s -> grouped.put(s, new ArrayList<>()));
        grouped.put(OTHER, new ArrayList<>());
        for (ConfigKey key : keys) {
            Section section = SECTIONS.stream().filter(s -> s.holds(key.name())).findFirst().orElse(OTHER);
            grouped.get(section).add(key);
        }
        StringBuilder out = new StringBuilder(intro());
        out.append("## Contents\n\n");
        grouped.forEach((section, sectionKeys) -> {
            if (!sectionKeys.isEmpty()) {
                out.append("- [").append(section.title()).append("](#").append(anchor(section.title())).append(")\n");
            }
        });
        grouped.forEach((section, sectionKeys) -> {
            if (!sectionKeys.isEmpty()) {
                out.append('\n').append(table(section, sectionKeys));
            }
        });
        return out.toString();
    }

    private static String intro() {
        String passthrough = AsyncFlowConfig.PASSTHROUGH_PREFIXES.stream()
                .map(p -> "`" + p + "*`").collect(Collectors.joining(", "));
        String reserved = ConfigLoader.RESERVED_ENV.stream().sorted()
                .map(n -> "`" + n + "`").collect(Collectors.joining(", "));
        return """
                # Configuration reference

                <!-- Generated from the code by io.asyncflow.app.docs.ConfigReference; do not edit by hand.
                     Regenerate: %s -->

                Every key AsyncFlow accepts, with its default and the environment variable that sets it. The
                build checks this page against the code (`ConfigReferenceTest`): a key added without
                documentation, or a default changed without this page following, fails `mvn verify`.

                ## How configuration is layered

                One order, later layers win:

                1. **code defaults**: the *default* column below;
                2. **a properties file**: `asyncflow run --config FILE` (or `%sCONFIG=FILE`);
                3. **environment variables** `%s*`;
                4. **the command line**: `asyncflow run -D key=value` (repeatable).

                `asyncflow run --validate` loads and checks everything, prints a summary and exits. Unknown keys
                (typos) and bad values stop the start with a message naming the key.

                **Environment variable names.** The key upper-cased, with `.` and `-` written as `_`, after the
                `%s` prefix (`AsyncFlowConfig.envName`): `sink.rate-per-minute` is
                `%s`. For a key whose name holds one `*`, the names the properties file
                configures are tried: `%s` sets `backend.intent-ai.timeout` when the
                file configures backend `intent-ai`. A variable that matches no key is read as its name
                lower-cased with every `_` as `.`, which suits the pass-through Kafka keys
                (`%s` is `producer.linger.ms`) and is rejected as unknown otherwise. Keys
                with two `*` are set in the file or with `-D`. The launcher's own variables are not
                configuration: %s.

                **Secrets.** A value may refer to an environment variable as `${env:NAME}`, resolved when the key is
                read, so secrets stay out of files: `genesys.client-secret=${env:GENESYS_CLIENT_SECRET}`,
                `backend.alpha.header.X-Api-Key=${env:ALPHA_KEY}`. A reference to an unset variable fails with
                the key's name.

                **Pass-through.** Keys under %s are not checked against this list: they go to
                the Kafka clients (or the serde) with the prefix removed, e.g. `kafka.security.protocol=SASL_SSL`,
                `producer.compression.type=lz4`, `streams.num.standby.replicas=1`.

                **Durations** are written `250ms`, `8s`, `2m`, `1h` (a bare number is milliseconds); **lists** are comma
                separated.

                """.formatted(REGENERATE_COMMAND, AsyncFlowConfig.ENV_PREFIX, AsyncFlowConfig.ENV_PREFIX,
                AsyncFlowConfig.ENV_PREFIX, AsyncFlowConfig.envName("sink.rate-per-minute"),
                AsyncFlowConfig.envName("backend.intent-ai.timeout"), AsyncFlowConfig.envName("producer.linger.ms"),
                reserved, passthrough);
    }

    private static String table(Section section, List<ConfigKey> keys) {
        StringBuilder out = new StringBuilder();
        out.append("## ").append(section.title()).append("\n\n").append(section.intro()).append("\n\n");
        out.append("| key | type | default | valid values | environment variable | description |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (ConfigKey key : keys) {
            out.append("| `").append(key.name()).append("` | ")
                    .append(key.type().label()).append(" | ")
                    .append(defaultCell(key.defaultValue())).append(" | ")
                    .append(escape(key.validValues())).append(" | ")
                    .append(envCell(key.name())).append(" | ")
                    .append(escape(key.doc())).append(" |\n");
        }
        return out.toString();
    }

    static String defaultCell(String defaultValue) {
        if (defaultValue == null) {
            return "—";
        }
        if (defaultValue.isEmpty()) {
            return "(empty)";
        }
        return "`" + defaultValue.replace("|", "\\|") + "`";
    }

    /** The variable that sets a key: placeholders in angle brackets for wildcards, a dash where none can. */
    static String envCell(String name) {
        long stars = name.chars().filter(c -> c == '*').count();
        if (stars > 1) {
            return "—";
        }
        String env = AsyncFlowConfig.envName(name);
        if (stars == 1) {
            env = env.replace("*", name.endsWith("*") ? "<KEY>" : "<NAME>");
        }
        return "`" + env + "`";
    }

    static String escape(String text) {
        return text.replace("|", "\\|").replace("*", "\\*").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String anchor(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }
}

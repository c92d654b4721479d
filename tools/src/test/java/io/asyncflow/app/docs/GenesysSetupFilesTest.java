package io.asyncflow.app.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.avro.StatusUpdate;
import io.asyncflow.avro.TaskStatus;
import io.asyncflow.config.TaskCatalog;
import io.asyncflow.ingress.IngressJson;
import io.asyncflow.ingress.TaskIds;
import io.asyncflow.ingress.http.RequestRejected;
import io.asyncflow.ingress.http.TaskAcceptance;
import io.asyncflow.ingress.http.TaskSubmission;
import io.asyncflow.ingress.http.TaskSubmissionReader;
import io.asyncflow.ingress.result.ResultEndpoint;
import io.asyncflow.ingress.result.ResultSettings;
import io.asyncflow.ingress.result.TaskResult;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Checks the Genesys wiring files of {@code docs/genesys/} against the real ingress: the Data Action's
 * request template renders a body the ingress accepts, its outputs come from fields the ingress
 * answers with, the EventBridge rule lets exactly the events the ingress acts on through, and
 * {@code docs/genesys-setup.md} shows the files as they are.
 */
class GenesysSetupFilesTest {
    private static final Path DOCS = Path.of("../docs");
    private static final Path DATA_ACTION = DOCS.resolve("genesys/data-action-start-task.json");
    private static final Path WAIT_ACTION = DOCS.resolve("genesys/data-action-wait-result.json");
    private static final Path RULE = DOCS.resolve("genesys/eventbridge-rule.json");
    private static final Path SETUP = DOCS.resolve("genesys-setup.md");
    private static final Path EVENT_FIXTURES = Path.of("../ingress/src/test/resources/fixtures/eventbridge");
    private static final Path DOCKER_PROPERTIES = Path.of("../app/config/docker.properties");

    /** The two Velocity forms the template may use: {@code $esc.jsonString(${input.x})} and its quiet variant. */
    private static final Pattern ESCAPED_INPUT = Pattern.compile("\\$(!?)esc\\.jsonString\\(\\$(!?)\\{input\\.([A-Za-z0-9_]+)}\\)");
    /** The URL-escaped input of the wait action's URL template: {@code $esc.url(${input.x})}. */
    private static final Pattern URL_INPUT = Pattern.compile("\\$esc\\.url\\(\\$\\{input\\.([A-Za-z0-9_]+)}\\)");
    private static final Pattern RESULT_URL = Pattern.compile("https://your-host/v1/conversations/([^/]+)/tasks/([^/?]+)\\?wait=(.+)");

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldRenderADataActionBodyTheIngressAccepts() throws IOException {
        // given
        JsonNode action = json.readTree(DATA_ACTION.toFile());
        String template = action.at("/config/request/requestTemplate").asText();
        Map<String, String> inputs = Map.of(
                "conversationId", "3F8A2C1E-6B7D-4E9F-A0B1-C2D3E4F5A6B7",
                "ani", "tel:+33612345678\"\\");

        // when
        TaskSubmission submission = reader().read(render(template, inputs).getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(submission.conversationId()).isEqualTo("3f8a2c1e-6b7d-4e9f-a0b1-c2d3e4f5a6b7");
        assertThat(submission.taskType()).isEqualTo("identify-caller");
        assertThat(submission.inputs()).containsExactly(Map.entry("ani", "tel:+33612345678\"\\"));
        assertThat(submission.participantId()).isNull();
        assertThat(submission.idempotencyKey()).isNull();
    }

    @Test
    void shouldFailTheDataActionWhenARequiredInputIsEmpty() throws IOException {
        // given
        String template = json.readTree(DATA_ACTION.toFile()).at("/config/request/requestTemplate").asText();
        byte[] body = render(template, Map.of("conversationId", "3f8a2c1e-6b7d-4e9f-a0b1-c2d3e4f5a6b7", "ani", ""))
                .getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> reader().read(body)).isInstanceOf(RequestRejected.class).hasMessageContaining("ani");
    }

    @Test
    void shouldDeclareTheInputsTheTemplateUsesAndTheOutputsTheIngressAnswers() throws IOException {
        // given
        JsonNode action = json.readTree(DATA_ACTION.toFile());
        String template = action.at("/config/request/requestTemplate").asText();
        JsonNode inputSchema = action.at("/contract/input/inputSchema");
        JsonNode translationMap = action.at("/config/response/translationMap");
        List<String> answerFields = Arrays.stream(TaskAcceptance.class.getRecordComponents()).map(RecordComponent::getName).toList();

        // when
        List<String> used = new ArrayList<>();
        Matcher m = ESCAPED_INPUT.matcher(template);
        while (m.find()) {
            used.add(m.group(3));
        }

        // then
        assertThat(action.path("integrationType").asText()).isEqualTo("custom-rest-actions");
        assertThat(action.at("/config/request/requestType").asText()).isEqualTo("POST");
        assertThat(action.at("/config/request/requestUrlTemplate").asText()).endsWith("/v1/tasks");
        assertThat(action.at("/config/request/headers/Authorization").asText()).isEqualTo("Bearer ${credentials.token}");
        assertThat(fieldNames(inputSchema.path("properties"))).containsExactlyInAnyOrderElementsOf(used);
        assertThat(inputSchema.path("required")).extracting(JsonNode::asText).containsExactlyInAnyOrder("conversationId", "ani");
        assertThat(fieldNames(action.at("/contract/output/successSchema/properties")))
                .containsExactlyInAnyOrderElementsOf(fieldNames(translationMap));
        translationMap.fields().forEachRemaining(e -> {
            assertThat(e.getValue().asText()).startsWith("$.");
            assertThat(answerFields).contains(e.getValue().asText().substring(2));
            assertThat(action.at("/config/response/successTemplate").asText()).contains("${" + e.getKey() + "}");
        });
    }

    @Test
    void shouldAskTheResultEndpointForTheTaskTheStartActionStartedWithAWaitBelowTheActionTimeout() throws IOException {
        // given the wait action and a conversation id as Architect passes it
        JsonNode action = json.readTree(WAIT_ACTION.toFile());
        String conversation = "3F8A2C1E-6B7D-4E9F-A0B1-C2D3E4F5A6B7";
        String url = action.at("/config/request/requestUrlTemplate").asText();
        Matcher input = URL_INPUT.matcher(url);
        assertThat(input.find()).as("the URL takes the conversation id URL-escaped").isTrue();
        String inputName = input.group(1);

        // when its URL is rendered and read by the ingress's own request reading
        Matcher m = RESULT_URL.matcher(input.replaceFirst(conversation));
        assertThat(m.matches()).as(url).isTrue();
        ResultEndpoint endpoint = new ResultEndpoint(null, reader(), null);
        String taskId = endpoint.taskIdFor(m.group(1), m.group(2), null);
        Duration wait = ResultEndpoint.parseWait(m.group(3));

        // then it names the task the start action's request created, and waits less than the ingress's
        // default longest wait, which stays below the action's own timeout (at most 60 s)
        assertThat(taskId).isEqualTo(TaskIds.of(conversation, "identify-caller", null));
        Duration actionTimeout = Duration.ofSeconds(action.at("/config/timeoutSeconds").asInt());
        Duration defaultMaxWait = AsyncFlowConfig.parseDuration(ResultSettings.MAX_WAIT.defaultValue());
        assertThat(wait).isPositive().isLessThanOrEqualTo(defaultMaxWait);
        assertThat(defaultMaxWait).isLessThan(actionTimeout);
        assertThat(actionTimeout).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(action.at("/config/request/requestType").asText()).isEqualTo("GET");
        assertThat(action.at("/config/request/headers/Authorization").asText()).isEqualTo("Bearer ${credentials.token}");
        assertThat(fieldNames(action.at("/contract/input/inputSchema/properties"))).containsExactly(inputName);
    }

    @Test
    void shouldMapEveryWaitOutputFromTheIngressAnswerOrFromADefault() throws IOException {
        // given the wait action, and the ingress's answers for a SUCCESS and for a TIMEOUT
        JsonNode action = json.readTree(WAIT_ACTION.toFile());
        JsonNode translationMap = action.at("/config/response/translationMap");
        JsonNode defaults = action.at("/config/response/translationMapDefaults");
        JsonNode success = answer(TaskStatus.SUCCESS, Map.of("customerId", "G-3003", "customerName", "Gaston Lagaffe", "segment", "gold"));
        JsonNode timeout = answer(TaskStatus.TIMEOUT, Map.of());

        // when / then every output is a string read from the answer, or has a JSON string default when absent
        assertThat(fieldNames(action.at("/contract/output/successSchema/properties")))
                .containsExactlyInAnyOrderElementsOf(fieldNames(translationMap));
        action.at("/contract/output/successSchema/properties").forEach(p -> assertThat(p.path("type").asText()).isEqualTo("string"));
        translationMap.fields().forEachRemaining(e -> {
            assertThat(jsonPath(success, e.getValue().asText()).isTextual()).as(e.getKey()).isTrue();
            JsonNode onTimeout = jsonPath(timeout, e.getValue().asText());
            assertThat(onTimeout.isTextual() || defaults.has(e.getKey())).as(e.getKey() + " on TIMEOUT").isTrue();
            assertThat(action.at("/config/response/successTemplate").asText()).contains("${" + e.getKey() + "}");
        });
        defaults.fields().forEachRemaining(e -> assertThat(readJson(e.getValue().asText()).isTextual()).as(e.getKey()).isTrue());
        assertThat(jsonPath(success, translationMap.path("customerName").asText()).asText()).isEqualTo("Gaston Lagaffe");
        assertThat(jsonPath(timeout, translationMap.path("final").asText()).asText()).isEqualTo("true");
    }

    @Test
    void shouldLetTheRuleThroughCustomerStartAndEndButNotAttributeEvents() throws IOException {
        // given
        JsonNode pattern = json.readTree(RULE.toFile());

        // when / then
        assertThat(matches(pattern, json.readTree(EVENT_FIXTURES.resolve("customer-start.json").toFile()))).isTrue();
        assertThat(matches(pattern, json.readTree(EVENT_FIXTURES.resolve("customer-end.json").toFile()))).isTrue();
        assertThat(matches(pattern, json.readTree(EVENT_FIXTURES.resolve("attributes.json").toFile()))).isFalse();
        assertThat(matches(pattern, json.readTree("{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\",\"detail\":{}}")))
                .isFalse();
    }

    @Test
    void shouldShowTheWiringFilesVerbatimInTheSetupGuide() throws IOException {
        // given
        String guide = Files.readString(SETUP, StandardCharsets.UTF_8);

        // when
        String action = Files.readString(DATA_ACTION, StandardCharsets.UTF_8);
        String waitAction = Files.readString(WAIT_ACTION, StandardCharsets.UTF_8);
        String rule = Files.readString(RULE, StandardCharsets.UTF_8).replaceAll("(?m)^(?=.)", "   ");

        // then
        assertThat(guide).contains("```json\n" + action + "```").contains("```json\n" + waitAction + "```")
                .contains("```json\n" + rule + "   ```");
    }

    private TaskSubmissionReader reader() {
        TaskCatalog catalog = TaskCatalog.from(AsyncFlowConfig.of(AsyncFlowConfig.readProperties(DOCKER_PROPERTIES)));
        return new TaskSubmissionReader(json, catalog, Duration.ofMinutes(10));
    }

    /** The result endpoint's JSON for a final status, as the ingress writes it. */
    private static JsonNode answer(TaskStatus status, Map<String, String> attributes) throws IOException {
        StatusUpdate update = StatusUpdate.newBuilder().setTaskId(TaskIds.of("3f8a2c1e-6b7d-4e9f-a0b1-c2d3e4f5a6b7", "identify-caller", null))
                .setTaskType("identify-caller").setConversationId("3f8a2c1e-6b7d-4e9f-a0b1-c2d3e4f5a6b7").setStatus(status).setVersion(2)
                .setAttributes(attributes).setBackend(attributes.isEmpty() ? null : "gamma")
                .setReason(attributes.isEmpty() ? "deadline passed" : null).setRequestedAt(1L).setEmittedAt(2L).build();
        ObjectMapper mapper = IngressJson.mapper();
        return mapper.readTree(mapper.writeValueAsString(TaskResult.of(update)));
    }

    /** The JSONPath subset translation maps use here: {@code $.a.b}; a missing node when absent. */
    private static JsonNode jsonPath(JsonNode root, String path) {
        assertThat(path).matches("\\$(\\.[A-Za-z0-9_]+)+");
        return root.at(path.substring(1).replace('.', '/'));
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Renders the template as Genesys's Velocity would for these inputs; fails on any other Velocity use. */
    private static String render(String template, Map<String, String> inputs) {
        Matcher m = ESCAPED_INPUT.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = inputs.get(m.group(3));
            boolean quiet = !m.group(1).isEmpty() && !m.group(2).isEmpty();
            assertThat(value != null || quiet).as("input %s is required by the template", m.group(3)).isTrue();
            String escaped = value == null ? "" : JsonNodeFactory.instance.textNode(value).toString();
            m.appendReplacement(out, Matcher.quoteReplacement(escaped.isEmpty() ? "" : escaped.substring(1, escaped.length() - 1)));
        }
        m.appendTail(out);
        assertThat(out.toString()).as("rendered template").doesNotContain("$");
        return out.toString();
    }

    /** EventBridge matching for the operators the rule uses: exact strings, prefix, suffix, nested objects. */
    private static boolean matches(JsonNode pattern, JsonNode event) {
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = event.path(field.getKey());
            boolean ok = field.getValue().isObject() ? matches(field.getValue(), value) : anyMatches(field.getValue(), value);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyMatches(JsonNode conditions, JsonNode value) {
        if (!value.isTextual()) {
            return false;
        }
        String text = value.asText();
        for (JsonNode condition : conditions) {
            if (condition.isTextual() && condition.asText().equals(text)
                    || condition.has("prefix") && text.startsWith(condition.get("prefix").asText())
                    || condition.has("suffix") && text.endsWith(condition.get("suffix").asText())) {
                return true;
            }
            assertThat(condition.isTextual() || condition.has("prefix") || condition.has("suffix"))
                    .as("operator %s is not modelled by this test", condition).isTrue();
        }
        return false;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

package io.asyncflow.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncflow.util.Mask;
import io.asyncflow.util.TaskLogContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The production logback.xml: text by default, one JSON object per line with ASYNCFLOW_LOG_FORMAT=json. */
class LogFormatTest {

    @Test
    void shouldWriteOneJsonObjectPerLineWithTheTaskAndConversationAsFields() throws Exception {
        List<String> lines = log("json");

        assertThat(lines).hasSize(2);
        JsonNode about = new ObjectMapper().readTree(lines.get(0));
        assertThat(about.get("level").asText()).isEqualTo("INFO");
        assertThat(about.get("loggerName").asText()).isEqualTo("io.asyncflow.test");
        assertThat(about.get("mdc").get("conversationId").asText()).isEqualTo("conv-1");
        assertThat(about.get("mdc").get("taskId").asText()).isEqualTo("task-9");
        assertThat(about.get("formattedMessage").asText()).isEqualTo("caller tel:+33*******03 identified");
        assertThat(String.join("\n", lines)).doesNotContain("611111103").doesNotContain("\"arguments\"");
        JsonNode other = new ObjectMapper().readTree(lines.get(1));
        assertThat(other.path("mdc").path("conversationId").isMissingNode()).isTrue();
    }

    @Test
    void shouldWriteTextWithTheConversationAndTaskByDefault() throws Exception {
        List<String> lines = log(null);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("INFO").contains("io.asyncflow.test [conv-1/task-9] - caller tel:+33*******03 identified");
        assertThat(lines.get(1)).contains("io.asyncflow.test - started").doesNotContain("[/]");
    }

    private static List<String> log(String format) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        // org.slf4j.MDC, which TaskLogContext writes to, is the MDC of the SLF4J provider's context
        context.setMDCAdapter(((LoggerContext) LoggerFactory.getILoggerFactory()).getMDCAdapter());
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            if (format != null) {
                context.putProperty("ASYNCFLOW_LOG_FORMAT", format);
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
            Logger log = context.getLogger("io.asyncflow.test");
            try (TaskLogContext ignored = TaskLogContext.open("conv-1", "task-9")) {
                log.info("caller {} identified", Mask.phone("tel:+33611111103"));
            }
            log.info("started");
            assertThat(context.getStatusManager().getCopyOfStatusList()).as("logback's own warnings and errors (printed at start)")
                    .noneMatch(status -> status.getLevel() >= ch.qos.logback.core.status.Status.WARN);
        } finally {
            context.stop();
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
}

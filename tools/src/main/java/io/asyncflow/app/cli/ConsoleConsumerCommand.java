package io.asyncflow.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.tools.consumer.ConsoleConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code asyncflow console-consumer}: Kafka's stock {@code kafka-console-consumer} with
 * {@code io.asyncflow.console.AsyncFlowFormatter}, so AsyncFlow's Avro records print as JSON lines.
 */
@Command(name = "console-consumer", mixinStandardHelpOptions = false,
        description = {"Kafka's kafka-console-consumer with AsyncFlow's formatter: every record as one JSON line.",
                "All options are Kafka's own (see --help of kafka-console-consumer); defaults added here: "
                        + "--bootstrap-server " + ConsoleTool.DEFAULT_BOOTSTRAP + ", --formatter io.asyncflow.console.AsyncFlowFormatter.",
                "Example: asyncflow console-consumer --topic asyncflow.status --from-beginning "
                        + "--formatter-property conversation.id=<id>"})
public final class ConsoleConsumerCommand implements Callable<Integer> {
    static final String FORMATTER = "io.asyncflow.console.AsyncFlowFormatter";

    @Unmatched
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ConsoleConsumer.main(arguments(args).toArray(String[]::new));
        return 0;
    }

    static List<String> arguments(List<String> given) {
        if (given.contains("--help")) {
            return given;
        }
        return ConsoleTool.withDefault(ConsoleTool.withDefault(given, "--bootstrap-server", ConsoleTool.DEFAULT_BOOTSTRAP),
                "--formatter", FORMATTER);
    }
}

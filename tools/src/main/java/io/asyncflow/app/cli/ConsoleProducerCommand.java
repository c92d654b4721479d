package io.asyncflow.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.tools.ConsoleProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code asyncflow console-producer}: Kafka's stock {@code kafka-console-producer} with
 * {@code io.asyncflow.console.AsyncFlowRecordReader}, so recorded JSON lines (and plain Genesys
 * events for the raw-events topic) are written back as AsyncFlow records.
 */
@Command(name = "console-producer", mixinStandardHelpOptions = false,
        description = {"Kafka's kafka-console-producer with AsyncFlow's line reader: replays JSON lines written by console-consumer "
                + "(or Genesys events for the raw-events topic).",
                "All options are Kafka's own (see --help of kafka-console-producer); defaults added here: "
                        + "--bootstrap-server " + ConsoleTool.DEFAULT_BOOTSTRAP + ", --line-reader io.asyncflow.console.AsyncFlowRecordReader.",
                "Example: asyncflow console-producer --topic asyncflow.tasks < replay/match-in-gamma.jsonl"})
public final class ConsoleProducerCommand implements Callable<Integer> {
    static final String READER = "io.asyncflow.console.AsyncFlowRecordReader";

    @Unmatched
    private List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ConsoleProducer.main(arguments(args).toArray(String[]::new));
        return 0;
    }

    static List<String> arguments(List<String> given) {
        if (given.contains("--help")) {
            return given;
        }
        return ConsoleTool.withDefault(ConsoleTool.withDefault(given, "--bootstrap-server", ConsoleTool.DEFAULT_BOOTSTRAP),
                "--line-reader", READER);
    }
}

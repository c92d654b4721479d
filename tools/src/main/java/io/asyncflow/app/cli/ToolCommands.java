package io.asyncflow.app.cli;

import io.asyncflow.app.AsyncFlowCli;
import io.asyncflow.app.bench.BenchCommand;
import java.util.List;

/** The tools module's commands on the {@code asyncflow} command line: demo, kafka, simulate, the console tools, bench. */
public final class ToolCommands implements AsyncFlowCli.Extension {
    @Override
    public List<Object> commands() {
        return List.of(DemoCommand.class, KafkaCommand.class, SimulateCommand.class,
                ConsoleConsumerCommand.class, ConsoleProducerCommand.class, BenchCommand.class);
    }
}

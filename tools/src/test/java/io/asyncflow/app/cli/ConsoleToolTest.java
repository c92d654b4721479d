package io.asyncflow.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleToolTest {

    @Test
    void shouldAddTheFormatterAndALocalBrokerOnlyWhenNotGiven() {
        assertThat(ConsoleConsumerCommand.arguments(List.of("--topic", "asyncflow.status")))
                .containsExactly("--topic", "asyncflow.status", "--bootstrap-server", "localhost:9092",
                        "--formatter", "io.asyncflow.console.AsyncFlowFormatter");
        assertThat(ConsoleConsumerCommand.arguments(List.of("--bootstrap-server=k:9", "--formatter", "x.Y", "--topic", "t")))
                .containsExactly("--bootstrap-server=k:9", "--formatter", "x.Y", "--topic", "t");
    }

    @Test
    void shouldAddTheLineReaderToTheProducerAndLeaveHelpAlone() {
        assertThat(ConsoleProducerCommand.arguments(List.of("--bootstrap-server", "k:9", "--topic", "asyncflow.tasks")))
                .containsExactly("--bootstrap-server", "k:9", "--topic", "asyncflow.tasks",
                        "--line-reader", "io.asyncflow.console.AsyncFlowRecordReader");
        assertThat(ConsoleProducerCommand.arguments(List.of("--help"))).containsExactly("--help");
    }
}

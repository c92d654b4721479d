package io.asyncflow.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.runtime.Component;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ComponentRunnerTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void shouldStartInOrderAndCloseInReverseOrderOnce() {
        // given
        ComponentRunner runner = new ComponentRunner();
        runner.startAll(List.of(new Fake("sink"), new Fake("processor"), new Fake("ingress")));

        // when
        runner.close();
        runner.close();

        // then
        assertThat(events).containsExactly("start sink", "start processor", "start ingress",
                "close ingress", "close processor", "close sink");
    }

    @Test
    void shouldCloseTheStartedComponentsWhenOneFailsToStart() {
        // given
        ComponentRunner runner = new ComponentRunner();
        Fake broken = new Fake("processor");
        broken.failOnStart = true;

        // then
        assertThatThrownBy(() -> runner.startAll(List.of(new Fake("sink"), broken, new Fake("ingress"))))
                .hasMessageContaining("processor cannot start");
        assertThat(events).containsExactly("start sink", "start processor", "close sink");
    }

    @Test
    void shouldKeepClosingTheOthersWhenOneFailsToClose() {
        // given
        ComponentRunner runner = new ComponentRunner();
        Fake sticky = new Fake("processor");
        sticky.failOnClose = true;
        runner.startAll(List.of(new Fake("sink"), sticky, new Fake("ingress")));

        // when
        runner.close();

        // then
        assertThat(events).containsSubsequence("close ingress", "close processor", "close sink");
    }

    @Test
    void shouldReturnAndCloseEverythingWhenAComponentStopsByItself() throws Exception {
        // given
        ComponentRunner runner = new ComponentRunner();
        Fake dying = new Fake("lookups");
        runner.startAll(List.of(new Fake("sink"), dying));

        // when
        dying.running = false;
        Optional<Component> stopped = runner.awaitStop(Duration.ofMillis(20));

        // then
        assertThat(stopped).containsSame(dying);
        assertThat(events).endsWith("close lookups", "close sink");
    }

    @Test
    void shouldReturnNothingFromAwaitAfterARegularClose() throws Exception {
        // given
        ComponentRunner runner = new ComponentRunner();
        runner.startAll(List.of(new Fake("sink")));
        Thread closer = new Thread(runner::close);

        // when
        closer.start();
        Optional<Component> stopped = runner.awaitStop(Duration.ofMillis(20));

        // then
        assertThat(stopped).isEmpty();
        assertThat(events).containsExactly("start sink", "close sink");
    }

    private final class Fake implements Component {
        private final String name;
        volatile boolean running;
        boolean failOnStart;
        boolean failOnClose;

        Fake(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() {
            events.add("start " + name);
            if (failOnStart) {
                throw new IllegalStateException(name + " cannot start");
            }
            running = true;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public void close() {
            events.add("close " + name);
            running = false;
            if (failOnClose) {
                throw new IllegalStateException(name + " cannot close");
            }
        }
    }
}

package io.asyncflow.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.trace.Stage;
import io.asyncflow.trace.Trace;
import org.junit.jupiter.api.Test;

class DemoHopsTest {

    @Test
    void printsEachHopAndWhatAsyncFlowItselfTook() {
        Trace trace = Trace.empty().with(Stage.ACCEPTED, 0).with(Stage.TASK_READ, 1_500).with(Stage.LOOKUP_READ, 2_000)
                .with(Stage.BACKEND_SENT, 2_100).with(Stage.BACKEND_ANSWERED, 122_100).with(Stage.RESULT_READ, 123_000)
                .with(Stage.STATUS_EMITTED, 123_100).with(Stage.STATUS_READ, 140_000).with(Stage.GENESYS_WRITTEN, 142_000);

        String line = DemoReport.hops(trace);

        assertThat(line).startsWith("ingress-to-topology 1.5 ms, topology-to-worker 0.5 ms, worker-queue 0.1 ms, backend 120.0 ms")
                .contains("topology-to-sink 16.9 ms, genesys-write 2.0 ms")
                .endsWith("= 142.0 ms (AsyncFlow's own 20.0 ms)");
    }

    @Test
    void leavesOutHopsWithoutStamps() {
        assertThat(DemoReport.hops(Trace.empty().with(Stage.STATUS_EMITTED, 10).with(Stage.STATUS_READ, 2_010)))
                .isEqualTo("topology-to-sink 2.0 ms");
        assertThat(DemoReport.hops(Trace.empty())).isEqualTo("no trace");
    }
}

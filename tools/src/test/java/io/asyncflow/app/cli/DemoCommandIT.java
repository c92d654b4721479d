package io.asyncflow.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.app.AsyncFlowCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code asyncflow demo}, headless: embedded broker, simulators, every component, six scripted calls. */
class DemoCommandIT {

    @Test
    void shouldPlaceEveryScriptedCallAndEndAsScripted() {
        // given
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        // when
        int code = AsyncFlowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("demo");

        // then
        String printed = out.toString();
        assertThat(code).as(printed + err).isZero();
        assertThat(printed)
                .contains("[1/6] match-in-gamma", "[6/6] repeat-request")
                .contains("SUCCESS from gamma (Gaston Lagaffe, G-3003)")
                .contains("status = NOT_FOUND")
                .contains("status = TIMEOUT")
                .contains("caller hangs up (customer.end event)")
                .contains("repeat: 202 DUPLICATE")
                .contains("All 6 calls ended as scripted.")
                .containsPattern("operator console +http://127\\.0\\.0\\.1:\\d+/ +\\(log in as operator / \\S+, or viewer / \\S+: read-only\\)")
                .contains("It closes with the demo: run ./asyncflow demo --keep-running")
                .doesNotContain("NOT as expected");
    }
}

package io.asyncflow.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuSamplerTest {

    @Test
    void shouldAddUserAndSystemTicksOfAThreadWhoseNameHoldsSpacesAndParentheses(@TempDir Path dir) throws Exception {
        // given a /proc stat line of a JIT thread: pid, (comm), state, then utime (14th) and stime (15th)
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "4242 (C2 CompilerThre) S 1 4240 4240 0 -1 4194368 12 0 0 0 6931 58 0 0 20 0 40 0 1234 9 9\n");

        // when / then
        assertThat(CpuSampler.cpuTicks(stat)).isEqualTo(6931 + 58);
    }

    @Test
    void shouldReadNoCompilerTimeForAProcessThatDoesNotExist() {
        // given a pid no process has (pid_max is at most 2^22 on Linux)
        CompilerActivity gone = new CompilerActivity(List.of(1L << 23));

        // when
        gone.start();

        // then
        assertThat(gone.coresSinceStart()).isZero();
    }
}

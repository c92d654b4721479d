package io.asyncflow.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceIdTest {
    private static final String HOST = "host-a";

    @Test
    void shouldKeepSlotsPerRoleSoProcessesOfOtherComponentsDoNotShiftEachOthersIds(@TempDir Path dir) {
        // given an ingress-only process started before the processor-only one
        AsyncFlowConfig config = config(dir, Map.of());
        String host = InstanceId.hostName();

        // when
        try (InstanceId ingress = InstanceId.acquireFor(config, "ingress.bridge");
             InstanceId processor = InstanceId.acquireFor(config, "processor");
             InstanceId allInOne = InstanceId.acquireFor(config, "")) {
            // then each takes the first slot of its own role
            assertThat(ingress.id()).isEqualTo(host + "-ingress.bridge-0");
            assertThat(processor.id()).isEqualTo(host + "-processor-0");
            assertThat(allInOne.id()).isEqualTo(host + "-0");
        }
    }

    @Test
    void shouldGiveASecondLiveProcessOnTheSameHostTheNextSlot(@TempDir Path dir) {
        // given
        AsyncFlowConfig config = config(dir, Map.of());

        // when
        try (InstanceId first = InstanceId.acquire(config, HOST); InstanceId second = InstanceId.acquire(config, HOST)) {
            // then
            assertThat(first.id()).isEqualTo("host-a-0");
            assertThat(second.id()).isEqualTo("host-a-1");
            assertThat(first.stateDir()).isEqualTo(dir.resolve("state").resolve("host-a-0"));
            assertThat(second.stateDir()).isNotEqualTo(first.stateDir());
        }
    }

    @Test
    void shouldTakeTheSameSlotAgainOnceItsHolderIsKilled(@TempDir Path dir) throws Exception {
        // given a process holding slot 0, killed the hard way
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SlotHolder.class.getName(), dir.toString(), HOST)
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("holding host-a-0");
            try (InstanceId whileHeld = InstanceId.acquire(config(dir, Map.of()), HOST)) {
                assertThat(whileHeld.id()).as("slot 0 is held by the other process").isEqualTo("host-a-1");
            }

            // when
            holder.destroyForcibly();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();

            // then its restart takes the same id
            try (InstanceId restarted = InstanceId.acquire(config(dir, Map.of()), HOST)) {
                assertThat(restarted.id()).isEqualTo("host-a-0");
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void shouldUseTheExplicitIdAndRefuseItToASecondProcess(@TempDir Path dir) {
        AsyncFlowConfig config = config(dir, Map.of("asyncflow.instance-id", "processor-1"));

        try (InstanceId first = InstanceId.acquire(config, HOST)) {
            assertThat(first.id()).isEqualTo("processor-1");
            assertThatThrownBy(() -> InstanceId.acquire(config, HOST))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("asyncflow.instance-id").hasMessageContaining("in use");
        }
        try (InstanceId again = InstanceId.acquire(config, HOST)) {
            assertThat(again.id()).as("free again once released").isEqualTo("processor-1");
        }
    }

    @Test
    void shouldRejectAnIdKafkaOrAFileNameCouldNotCarryNamingTheKey(@TempDir Path dir) {
        assertThatThrownBy(() -> InstanceId.acquire(config(dir, Map.of("asyncflow.instance-id", "../etc/x")), HOST))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("asyncflow.instance-id");
    }

    @Test
    void shouldPlaceTheDefaultStateDirectoryUnderTheDataDirectoryOnlyForAnInstance(@TempDir Path dir) {
        assertThat(InstanceId.defaultStateDir(config(dir, Map.of("asyncflow.instance-id", "p-2"))))
                .isEqualTo(dir.resolve("state").resolve("p-2"));
        assertThat(InstanceId.defaultStateDir(config(dir, Map.of()))).as("no id: library use").isNull();
    }

    @Test
    void shouldExpandTheHomeDirectoryInTheDefaultDataDirectory() {
        assertThat(InstanceId.dataDir(AsyncFlowConfig.of(Map.of())))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".asyncflow").toAbsolutePath().normalize());
    }

    @Test
    void shouldReduceTheHostNameToCharactersAnIdAllows() {
        assertThat(InstanceId.validate(InstanceId.hostName())).isNotBlank();
    }

    private static AsyncFlowConfig config(Path dir, Map<String, String> more) {
        Map<String, String> values = new java.util.HashMap<>(more);
        values.put(InstanceId.DATA_DIR.name(), dir.toString());
        return AsyncFlowConfig.of(values);
    }

    /** A separate process that takes a slot, says which, and holds it until killed. */
    public static final class SlotHolder {
        private static final long HOLD_MILLIS = 120_000;

        public static void main(String[] args) throws InterruptedException {
            InstanceId id = InstanceId.acquire(AsyncFlowConfig.of(Map.of(InstanceId.DATA_DIR.name(), args[0])), args[1]);
            System.out.println("holding " + id.id());
            System.out.flush();
            Thread.sleep(HOLD_MILLIS);
        }
    }
}

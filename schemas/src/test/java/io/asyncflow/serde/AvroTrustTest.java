package io.asyncflow.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.TaskEvent;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

class AvroTrustTest {
    @Test
    void shouldTrustOurGeneratedPackageAndNothingElseNew() {
        AvroTrust.install();

        assertThat(ClassSecurityValidator.getGlobal().isTrusted(TaskEvent.class)).isTrue();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(java.io.File.class)).isFalse();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(AvroTrustTest.class))
                .as("only io.asyncflow.avro, not every io.asyncflow class").isFalse();
    }
}

package io.asyncflow.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskIdsTest {
    private static final String CID = "3f8a2c1e-6b7d-4e9f-a0b1-c2d3e4f5a6b7";

    @Test
    void shouldDeriveTheSameUuidFromTheSameTaskIdentity() {
        String id = TaskIds.of(CID, "identify-caller", "k1");
        assertThat(TaskIds.of(CID.toUpperCase(), "identify-caller", "k1")).isEqualTo(id);
        assertThat(UUID.fromString(id).version()).isEqualTo(3);
    }

    @Test
    void shouldDeriveDifferentIdsForAnotherTypeKeyOrConversation() {
        String id = TaskIds.of(CID, "identify-caller", null);
        assertThat(TaskIds.of(CID, "classify-intent", null)).isNotEqualTo(id);
        assertThat(TaskIds.of(CID, "identify-caller", "")).isNotEqualTo(id);
        assertThat(TaskIds.of(CID, "identify-caller", "k1")).isNotEqualTo(TaskIds.of(CID, "identify-caller", "k2"));
        assertThat(TaskIds.of("6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d", "identify-caller", null)).isNotEqualTo(id);
    }

    @Test
    void shouldAcceptOnlyTheCanonicalUuidForm() {
        assertThat(TaskIds.isUuid(CID)).isTrue();
        assertThat(TaskIds.isUuid(CID.toUpperCase())).isTrue();
        assertThat(TaskIds.isUuid("1-1-1-1-1")).isFalse();
        assertThat(TaskIds.isUuid(CID + "0")).isFalse();
        assertThat(TaskIds.isUuid(null)).isFalse();
    }
}

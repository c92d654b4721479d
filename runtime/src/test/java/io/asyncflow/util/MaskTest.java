package io.asyncflow.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskTest {
    @Test
    void shouldHideAllButCountryPrefixAndLastTwoDigits() {
        assertThat(Mask.phone("tel:+33612345678")).isEqualTo("tel:+33*******78");
        assertThat(Mask.phone("+33612345678")).doesNotContain("612345");
        assertThat(Mask.phone("123")).isEqualTo("***");
    }

    @Test
    void shouldMaskSensitiveInputsOnly() {
        Map<String, String> masked = Mask.inputs(Map.of("ani", "tel:+33612345678", "transcript", "I lost my card", "lang", "fr"));

        assertThat(masked).containsEntry("transcript", "<14 chars>").containsEntry("lang", "fr");
        assertThat(masked.get("ani")).doesNotContain("612345");
    }
}

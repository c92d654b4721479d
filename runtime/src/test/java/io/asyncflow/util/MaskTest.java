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
        Map<String, String> masked = Mask.inputs(Map.of("ani", "tel:+33612345678", "transcript", "I lost my card", "lang", "fr",
                "callbackNumber", "+33 6 12 34 99 99", "accountId", "C-1001"));

        assertThat(masked).containsEntry("transcript", "<14 chars>").containsEntry("lang", "fr").containsEntry("accountId", "C-1001");
        assertThat(masked.get("ani")).doesNotContain("612345");
        assertThat(masked.get("callbackNumber")).as("a number under a name of the flow's own").isEqualTo("+33*******99");
    }

    @Test
    void shouldMaskEveryPhoneNumberQuotedInAMessageAndStripControlCharacters() {
        String parserError = "Unrecognized token 'tel:+33611111103': was expecting JSON\r\nFAKE LOG LINE\u0000 at col 12, also 06 11 11 11 03";

        String masked = Mask.message(parserError);

        assertThat(masked).doesNotContain("611111103", "06 11 11 11 03", "\r", "\n", "\u0000")
                .contains("tel:+33*******03", "was expecting JSON", "FAKE LOG LINE", "col 12");
        assertThat(Mask.message("offset 42 of partition 3")).isEqualTo("offset 42 of partition 3");
        assertThat(Mask.message("conversation 02e59cd4-a397-4841-80ac-3e34063306ee")).isEqualTo("conversation 02e59cd4-a397-4841-80ac-3e34063306ee");
        assertThat(Mask.message(null)).isNull();
    }

    @Test
    void shouldDropControlCharactersACallerPutInAPhoneNumber() {
        assertThat(Mask.phone("tel:+3\r\n3611111103\u0000")).isEqualTo("tel:+33*******03");
        assertThat(Mask.phone("+3\u0085\u000b3")).doesNotContain("\u0085", "\u000b");
    }

    @Test
    void shouldKeepUuidIdsAndMaskAnyOtherIdAsText() {
        assertThat(Mask.id("02e59cd4-a397-4841-80ac-3e34063306ee")).isEqualTo("02e59cd4-a397-4841-80ac-3e34063306ee");
        assertThat(Mask.id("02E59CD4-A397-4841-80AC-3E34063306EE")).isEqualTo("02E59CD4-A397-4841-80AC-3E34063306EE");
        assertThat(Mask.id("conv-tel:+33611111103")).doesNotContain("611111103");
        assertThat(Mask.id("02e59cd4-a397-4841-80ac-3e340633\r\nXX")).doesNotContain("\r", "\n");
        assertThat(Mask.id("06 11 11 11 03")).as("not the UUID form").doesNotContain("11 11 03");
    }
}

package io.asyncflow.testkit;

import java.nio.file.Path;

/** The kit's own test configuration and canned bodies shaped like its backends' answers. */
final class Fixtures {
    static final Path PROPERTIES = Path.of("src/test/resources/contact-center.properties");
    static final Path REPLAY = Path.of("../replay");
    static final String IDENTIFY = "identify-caller";
    static final String CLASSIFY = "classify-intent";
    static final String CONVERSATION = "5c3a0d1e-0042-4b7f-9a2e-6d8c1f0b3a5e";
    static final String ANI = "tel:+33611111103";

    static final String ALPHA_HIT = "{\"customer\": {\"id\": \"A-1001\", \"name\": \"Alice Martin\"}}";
    static final String BETA_FAILURE = "{\"error\": \"index rebuilding\", \"person\": null}";
    static final String GAMMA_HIT = "{\"results\": [{\"id\": \"G-3003\", \"name\": \"Gaston Lagaffe\", \"segment\": \"gold\"}]}";
    static final String GAMMA_EMPTY = "{\"results\": []}";
    static final String INTENT = "{\"intent\": \"lost-card\", \"confidence\": 0.93}";

    private Fixtures() {
    }

    /** How the three customer databases of identify-caller answer. */
    static void databases(AsyncFlowTestKit kit, CannedResponse alpha, CannedResponse beta, CannedResponse gamma) {
        kit.respond("alpha", alpha);
        kit.respond("beta", beta);
        kit.respond("gamma", gamma);
    }

    static AsyncFlowTestKit kit() {
        return AsyncFlowTestKit.start(PROPERTIES);
    }
}

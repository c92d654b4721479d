package com.example.contactcenter;

import io.asyncflow.testkit.AsyncFlowTestKit;
import java.nio.file.Path;
import java.util.Map;

/** Our production configuration in the AsyncFlow test kit, with dummy secrets. */
final class OurConfiguration {
    static final Path PROPERTIES = Path.of("src/test/resources/asyncflow.properties");
    static final String STATUS_KEY = "ecc.identify.status";
    static final String SOURCE_KEY = "ecc.identify.source";

    /** What our databases answer, in their own shapes. */
    static final String CRM_CUSTOMER = "{\"customer\": {\"id\": \"C-118\", \"name\": \"Ada Lovelace\"}}";
    static final String DIRECTORY_INDEX_DOWN = "{\"error\": \"index rebuilding\", \"person\": null}";
    static final String BILLING_ACCOUNT = "{\"accounts\": [{\"number\": \"B-77-3003\", \"holder\": \"Gaston Lagaffe\", \"tier\": \"gold\"}]}";
    static final String BILLING_NO_ACCOUNT = "{\"accounts\": []}";

    private OurConfiguration() {
    }

    static AsyncFlowTestKit start() {
        return AsyncFlowTestKit.configuredBy(PROPERTIES)
                .environment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "GENESYS_CLIENT_ID", "test",
                        "GENESYS_CLIENT_SECRET", "test", "ALPHA_TOKEN", "test"))
                .start();
    }
}

package io.asyncflow.ingress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the example requests and Genesys events under {@code src/test/resources/fixtures}. */
public final class Fixtures {
    /** Conversation of the EventBridge customer.start, customer.end and attributes fixtures. */
    public static final String EVENTBRIDGE_CONVERSATION = "3f8a2c1e-6b7d-4e9f-a0b1-c2d3e4f5a6b7";
    /** Customer participant of those fixtures. */
    public static final String EVENTBRIDGE_PARTICIPANT = "8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f";
    /** Conversation started in the EventBridge batch fixture. */
    public static final String BATCH_STARTED_CONVERSATION = "b6c7d8e9-f0a1-4b2c-8d3e-4f5a6b7c8d9e";
    /** Conversation ended in the EventBridge batch fixture. */
    public static final String BATCH_ENDED_CONVERSATION = "1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b";
    /** Conversation of the Notifications fixtures. */
    public static final String NOTIFICATION_CONVERSATION = "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d";
    /** Conversation of the task request fixtures. */
    public static final String TASK_CONVERSATION = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";

    private Fixtures() {
    }

    public static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    /** The fixture on one line, as kafka-console-producer sends it. */
    public static String line(String path) {
        return text(path).replaceAll("\\s*\\n\\s*", "");
    }
}

package io.asyncflow.app.embedded;

import io.asyncflow.app.AppException;

/** The embedded broker could not be started; the message holds the reason and the broker's last log lines. */
public class EmbeddedKafkaException extends AppException {
    public EmbeddedKafkaException(String message) {
        super(message);
    }

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}

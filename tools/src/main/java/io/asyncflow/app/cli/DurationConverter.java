package io.asyncflow.app.cli;

import io.asyncflow.config.AsyncFlowConfig;
import java.time.Duration;
import picocli.CommandLine;

/** Reads durations as the configuration does: 250ms, 8s, 2m, or plain milliseconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return AsyncFlowConfig.parseDuration(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("expected a duration such as 250ms, 8s or 2m, got '" + value + "'");
        }
    }
}

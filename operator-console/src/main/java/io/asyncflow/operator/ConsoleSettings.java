package io.asyncflow.operator;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import io.asyncflow.config.ConfigKey;
import io.asyncflow.config.Password;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the operator console, read once and validated. The console has two users: a viewer
 * (read-only) and an operator (may replay dead letters); a user without a password cannot log in,
 * and at least one must have one.
 *
 * @param host interface to bind, empty for every interface
 * @param port HTTP port, 0 for a free one
 * @param viewerPassword the read-only user's password, if set
 * @param operatorPassword the replaying user's password, if set
 * @param window how far back the console reads the topics at start, and how long it keeps a conversation
 * @param maxConversations most conversations held; the least recently changed are forgotten beyond
 * @param maxEventsPerConversation most timeline entries kept per conversation
 * @param maxDeadLetters most dead letters and orphans listed (each)
 * @param deadLetterWindow how far back the console reads the dead-letter and orphans topics at start
 * @param statsWindow the span of the backend and Genesys figures
 * @param sessionTimeout a session idle this long must log in again
 */
public record ConsoleSettings(String host, int port, Optional<Password> viewerPassword, Optional<Password> operatorPassword,
                              Duration window, int maxConversations, int maxEventsPerConversation, int maxDeadLetters,
                              Duration deadLetterWindow, Duration statsWindow, Duration sessionTimeout) {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";

    public static final ConfigKey HOST = ConfigKey.string("console.host", "",
            "Interface the operator console binds; empty = every interface.");
    public static final ConfigKey PORT = ConfigKey.integer("console.port", "8082", "HTTP port of the operator console; 0 picks a free port.");
    public static final ConfigKey VIEWER_PASSWORD = ConfigKey.password("console.viewer-password", null,
            "Password of the console's read-only user 'viewer'; unset = that user cannot log in.");
    public static final ConfigKey OPERATOR_PASSWORD = ConfigKey.password("console.operator-password", null,
            "Password of the console's user 'operator', who may also replay dead letters; unset = that user cannot log in.");
    public static final ConfigKey WINDOW = ConfigKey.duration("console.window", "30m",
            "How far back the console reads AsyncFlow's topics at start and how long it keeps a conversation (a restart rebuilds this much).");
    public static final ConfigKey MAX_CONVERSATIONS = ConfigKey.integer("console.max-conversations", "5000",
            "Most conversations the console holds (a few KB each); the least recently changed are forgotten beyond.").atLeast(10);
    public static final ConfigKey MAX_EVENTS = ConfigKey.integer("console.max-events-per-conversation", "200",
            "Most timeline entries the console keeps for one conversation; later ones are counted, not kept.").atLeast(10);
    public static final ConfigKey MAX_DEAD_LETTERS = ConfigKey.integer("console.max-dead-letters", "1000",
            "Most dead letters (and, apart, orphans) the console lists; the oldest are dropped beyond.").atLeast(10);
    public static final ConfigKey DEAD_LETTER_WINDOW = ConfigKey.duration("console.dead-letter-window", "24h",
            "How far back the console reads the dead-letter and orphans topics at start (at most console.max-dead-letters of each are listed).").atLeast(60_000);
    public static final ConfigKey STATS_WINDOW = ConfigKey.duration("console.stats-window", "5m",
            "Span of the console's backend and Genesys figures (rates, percentiles).").atLeast(10_000);
    public static final ConfigKey SESSION_TIMEOUT = ConfigKey.duration("console.session-timeout", "30m",
            "A console session idle this long must log in again.").atLeast(60_000);

    public static final List<ConfigKey> KEYS = List.of(HOST, PORT, VIEWER_PASSWORD, OPERATOR_PASSWORD, WINDOW,
            MAX_CONVERSATIONS, MAX_EVENTS, MAX_DEAD_LETTERS, DEAD_LETTER_WINDOW, STATS_WINDOW, SESSION_TIMEOUT);

    /** Every key read and validated; a problem is a {@link ConfigException} naming the key. */
    public static ConsoleSettings from(AsyncFlowConfig config) {
        Optional<Password> viewer = password(config, VIEWER_PASSWORD);
        Optional<Password> operator = password(config, OPERATOR_PASSWORD);
        if (viewer.isEmpty() && operator.isEmpty()) {
            throw ConfigException.forKey(OPERATOR_PASSWORD.name(), "the operator console needs a password for at least one user: set "
                    + OPERATOR_PASSWORD.name() + " and/or " + VIEWER_PASSWORD.name());
        }
        return new ConsoleSettings(config.get(HOST).trim(), config.getInt(PORT), viewer, operator,
                config.getPositiveDuration(WINDOW), config.getInt(MAX_CONVERSATIONS), config.getInt(MAX_EVENTS),
                config.getInt(MAX_DEAD_LETTERS), config.getPositiveDuration(DEAD_LETTER_WINDOW), config.getPositiveDuration(STATS_WINDOW), config.getPositiveDuration(SESSION_TIMEOUT));
    }

    /** True when the configuration gives the console a password, so {@code run} starts it with the rest. */
    public static boolean configured(AsyncFlowConfig config) {
        return password(config, VIEWER_PASSWORD).isPresent() || password(config, OPERATOR_PASSWORD).isPresent();
    }

    private static Optional<Password> password(AsyncFlowConfig config, ConfigKey key) {
        Password p = config.getPassword(key);
        if (p != null && !p.value().isEmpty() && p.value().length() < 12) {
            throw ConfigException.forKey(key.name(), "must be at least 12 characters");
        }
        return Optional.ofNullable(p).filter(v -> !v.value().isEmpty());
    }
}

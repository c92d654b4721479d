package io.asyncflow.operator;

import io.asyncflow.config.Password;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Time;

/**
 * The console's users, log-ins and sessions. Passwords are compared as SHA-256 digests in constant
 * time, also for an unknown user name, so timing tells neither; five failed log-ins of one user name
 * from one address within a minute lock that pair for a minute (another address can still log in,
 * so nobody locks the operator out from elsewhere; at most {@link #MAX_FAILURE_ENTRIES} pairs are
 * tracked). A session is a random 256-bit id (the cookie) with its
 * own random CSRF token, which every state-changing request must echo in a header; sessions live in
 * this instance's memory, at most {@link #MAX_SESSIONS}, and end after the idle timeout.
 */
public final class ConsoleAuth {
    /** The console's roles. */
    public enum Role {
        READ_ONLY("read-only"), REPLAY("replay");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A logged-in user. */
    public record Session(String id, String user, Role role, String csrf) {
    }

    /** A log-in refused because of too many failures; {@code retryAfter} says for how long. */
    public static final class LockedOut extends RuntimeException {
        private final Duration retryAfter;

        LockedOut(Duration retryAfter) {
            super("too many failed log-ins; try again in " + Math.max(1, retryAfter.toSeconds()) + " s");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    static final int MAX_SESSIONS = 1000;
    static final int MAX_FAILURES = 5;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(1);
    static final int MAX_FAILURE_ENTRIES = 10_000;
    private static final byte[] NO_USER = digest("no such user, compared all the same");

    private final Map<String, byte[]> passwords = new HashMap<>();
    private final Map<String, Role> roles = new HashMap<>();
    private final Duration idleTimeout;
    private final Time time;
    private final SecureRandom random = new SecureRandom();
    private final LinkedHashMap<String, Entry> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true);

    private record Entry(Session session, long lastSeenMs) {
    }

    public ConsoleAuth(ConsoleSettings settings, Time time) {
        this.idleTimeout = settings.sessionTimeout();
        this.time = time;
        settings.viewerPassword().ifPresent(p -> add(ConsoleSettings.VIEWER, p, Role.READ_ONLY));
        settings.operatorPassword().ifPresent(p -> add(ConsoleSettings.OPERATOR, p, Role.REPLAY));
    }

    private void add(String user, Password password, Role role) {
        passwords.put(user, digest(password.value()));
        roles.put(user, role);
    }

    /**
     * A new session when {@code password} is {@code user}'s, else empty.
     *
     * @param address where the attempt comes from (the client's IP address)
     * @throws LockedOut when this user name failed too often lately from this address
     */
    public synchronized Optional<Session> logIn(String user, String password, String address) {
        String name = user == null ? "" : user;
        long now = time.milliseconds();
        String pair = (name.length() > 64 ? "(long)" : name) + "@" + address;
        Deque<Long> failed = failures.computeIfAbsent(pair, n -> new ArrayDeque<>());
        while (!failed.isEmpty() && now - failed.peekFirst() > FAILURE_WINDOW.toMillis()) {
            failed.removeFirst();
        }
        if (failed.size() >= MAX_FAILURES) {
            throw new LockedOut(Duration.ofMillis(FAILURE_WINDOW.toMillis() - (now - failed.peekFirst())));
        }
        byte[] expected = passwords.getOrDefault(name, NO_USER);
        boolean matches = MessageDigest.isEqual(expected, digest(password == null ? "" : password)) && passwords.containsKey(name);
        if (!matches) {
            failed.addLast(now);
            if (failures.size() > MAX_FAILURE_ENTRIES) {
                failures.values().removeIf(d -> d.isEmpty() || now - d.peekLast() > FAILURE_WINDOW.toMillis());
                while (failures.size() > MAX_FAILURE_ENTRIES) {
                    failures.remove(failures.keySet().iterator().next());
                }
            }
            return Optional.empty();
        }
        failed.clear();
        expire(now);
        while (sessions.size() >= MAX_SESSIONS) {
            Iterator<String> eldest = sessions.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        Session session = new Session(token(), name, roles.get(name), token());
        sessions.put(session.id(), new Entry(session, now));
        return Optional.of(session);
    }

    /** The live session with this id (and it is touched), else empty. */
    public synchronized Optional<Session> session(String id) {
        if (id == null) {
            return Optional.empty();
        }
        long now = time.milliseconds();
        Entry entry = sessions.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        if (now - entry.lastSeenMs() > idleTimeout.toMillis()) {
            sessions.remove(id);
            return Optional.empty();
        }
        sessions.put(id, new Entry(entry.session(), now));
        return Optional.of(entry.session());
    }

    public synchronized void logOut(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** True when {@code presented} is the session's CSRF token (constant time). */
    public static boolean csrfMatches(Session session, String presented) {
        return presented != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private void expire(long now) {
        sessions.values().removeIf(e -> now - e.lastSeenMs() > idleTimeout.toMillis());
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

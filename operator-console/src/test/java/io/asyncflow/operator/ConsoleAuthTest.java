package io.asyncflow.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncflow.config.AsyncFlowConfig;
import io.asyncflow.config.ConfigException;
import java.util.Map;
import io.asyncflow.testing.DrivenTime;
import org.junit.jupiter.api.Test;

class ConsoleAuthTest {
    private static final String VIEWER_PW = "viewer-password-1";
    private static final String OPERATOR_PW = "operator-password-1";
    private static final String HERE = "10.0.0.1";
    private final DrivenTime time = DrivenTime.atMillis(1_800_000_000_000L);
    private final ConsoleAuth auth = new ConsoleAuth(ConsoleSettings.from(AsyncFlowConfig.of(Map.of(
            ConsoleSettings.VIEWER_PASSWORD.name(), VIEWER_PW, ConsoleSettings.OPERATOR_PASSWORD.name(), OPERATOR_PW,
            ConsoleSettings.SESSION_TIMEOUT.name(), "10m"))), time);

    @Test
    void shouldGiveEachUserItsRoleAndRefuseWrongPasswordsAndUnknownUsers() {
        assertThat(auth.logIn("viewer", VIEWER_PW, HERE)).hasValueSatisfying(s -> assertThat(s.role()).isEqualTo(ConsoleAuth.Role.READ_ONLY));
        assertThat(auth.logIn("operator", OPERATOR_PW, HERE)).hasValueSatisfying(s -> assertThat(s.role()).isEqualTo(ConsoleAuth.Role.REPLAY));
        assertThat(auth.logIn("operator", VIEWER_PW, HERE)).isEmpty();
        assertThat(auth.logIn("admin", OPERATOR_PW, HERE)).isEmpty();
        assertThat(auth.logIn(null, null, HERE)).isEmpty();
    }

    @Test
    void shouldKeepASessionWhileUsedAndEndItAfterTheIdleTimeoutOrALogOut() {
        // given
        ConsoleAuth.Session session = auth.logIn("viewer", VIEWER_PW, HERE).orElseThrow();

        // then
        time.advance(java.time.Duration.ofMillis(9 * 60_000));
        assertThat(auth.session(session.id())).contains(session);
        time.advance(java.time.Duration.ofMillis(9 * 60_000));
        assertThat(auth.session(session.id())).as("touched 9 minutes ago").contains(session);
        time.advance(java.time.Duration.ofMillis(11 * 60_000));
        assertThat(auth.session(session.id())).isEmpty();
        ConsoleAuth.Session other = auth.logIn("viewer", VIEWER_PW, HERE).orElseThrow();
        auth.logOut(other.id());
        assertThat(auth.session(other.id())).isEmpty();
        assertThat(auth.session(null)).isEmpty();
    }

    @Test
    void shouldCheckTheCsrfTokenOfItsOwnSessionOnly() {
        ConsoleAuth.Session a = auth.logIn("operator", OPERATOR_PW, HERE).orElseThrow();
        ConsoleAuth.Session b = auth.logIn("operator", OPERATOR_PW, HERE).orElseThrow();

        assertThat(ConsoleAuth.csrfMatches(a, a.csrf())).isTrue();
        assertThat(ConsoleAuth.csrfMatches(a, b.csrf())).isFalse();
        assertThat(ConsoleAuth.csrfMatches(a, null)).isFalse();
        assertThat(a.id()).isNotEqualTo(b.id()).hasSizeGreaterThanOrEqualTo(43);
    }

    @Test
    void shouldLockAUserNameFromOneAddressForAMinuteAfterFiveFailures() {
        for (int i = 0; i < ConsoleAuth.MAX_FAILURES; i++) {
            assertThat(auth.logIn("operator", "guess-" + i, HERE)).isEmpty();
        }

        assertThatThrownBy(() -> auth.logIn("operator", OPERATOR_PW, HERE)).isInstanceOf(ConsoleAuth.LockedOut.class)
                .hasMessageContaining("try again in 60 s");
        assertThat(auth.logIn("viewer", VIEWER_PW, HERE)).as("another user name").isPresent();
        assertThat(auth.logIn("operator", OPERATOR_PW, "10.0.0.2")).as("the same user from elsewhere").isPresent();
        time.advance(ConsoleAuth.FAILURE_WINDOW.plusMillis(1));
        assertThat(auth.logIn("operator", OPERATOR_PW, HERE)).isPresent();
    }

    @Test
    void shouldRefuseAConsoleWithoutPasswordsOrWithAShortOne() {
        assertThatThrownBy(() -> ConsoleSettings.from(AsyncFlowConfig.of(Map.of()))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("console.operator-password");
        assertThatThrownBy(() -> ConsoleSettings.from(AsyncFlowConfig.of(Map.of(ConsoleSettings.VIEWER_PASSWORD.name(), "short"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least 12 characters");
        assertThat(ConsoleSettings.configured(AsyncFlowConfig.of(Map.of()))).isFalse();
        assertThat(ConsoleSettings.from(AsyncFlowConfig.of(Map.of(ConsoleSettings.VIEWER_PASSWORD.name(), VIEWER_PW)))
                .toString()).doesNotContain(VIEWER_PW);
    }
}

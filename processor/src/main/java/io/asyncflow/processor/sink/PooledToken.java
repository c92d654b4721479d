package io.asyncflow.processor.sink;

import com.mypurecloud.sdk.v2.ApiClient;
import com.mypurecloud.sdk.v2.api.ConversationsApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the sink's {@link TokenPool}: an access token from its own
 * {@link ClientCredentialsTokens}, its own {@link RequestLimiter} (rate and 429 hold), and the SDK
 * client that sends with it (the SDK keeps one access token per {@link ApiClient}).
 */
final class PooledToken {
    private static final Logger LOG = LoggerFactory.getLogger(PooledToken.class);

    private final String name;
    private final ClientCredentialsTokens credentials;
    private final RequestLimiter limiter;
    private final ApiClient client;
    private final ConversationsApi conversations;
    private String applied;

    /**
     * @param name how logs name it: OAuth client and number, e.g. {@code default#2}
     * @param credentials where its token comes from
     * @param limiter its budget
     * @param client the SDK client that carries it
     */
    PooledToken(String name, ClientCredentialsTokens credentials, RequestLimiter limiter, ApiClient client) {
        this.name = name;
        this.credentials = credentials;
        this.limiter = limiter;
        this.client = client;
        this.conversations = new ConversationsApi(client);
    }

    String name() {
        return name;
    }

    ClientCredentialsTokens credentials() {
        return credentials;
    }

    RequestLimiter limiter() {
        return limiter;
    }

    ConversationsApi conversations() {
        return conversations;
    }

    /** Hands the current token (fetched when due) to the SDK client and returns it. */
    String apply() throws GenesysCallException {
        String token = credentials.current();
        synchronized (this) {
            if (!token.equals(applied)) {
                client.setAccessToken(token);
                applied = token;
            }
        }
        return token;
    }

    void close() {
        try {
            client.close();
        } catch (Exception e) {
            LOG.warn("cannot close the Genesys SDK client of token {}: {}", name, e.toString());
        }
    }
}

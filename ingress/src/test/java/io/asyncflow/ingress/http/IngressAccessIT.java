package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.avro.TaskRequest;
import io.asyncflow.ingress.Fixtures;
import io.asyncflow.ingress.IngressClient;
import io.asyncflow.ingress.IngressClient.Answer;
import io.asyncflow.ingress.TopicContents;
import io.asyncflow.testing.KafkaTestCluster;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Body signatures, source allowlists (IPv4 and IPv6) and the explicit unauthenticated mode, on a real broker. */
class IngressAccessIT {
    private static final KafkaTestCluster CLUSTER = KafkaTestCluster.shared();
    private static final String SECRET = "hmac-secret-9a8b7c6d5e4f3a2b";

    @Test
    void shouldRequireAValidSignatureOfTheRawBodyWhenASecretIsConfigured() {
        // given an ingress with an HMAC secret
        try (RunningIngress ingress = RunningIngress.start(CLUSTER, Map.of("ingress.hmac-secret", SECRET))) {
            byte[] body = Fixtures.bytes("tasks/identify-caller.json");
            byte[] otherBody = Fixtures.bytes("tasks/classify-intent.json");

            // when the body is sent unsigned, signed for another body, signed with garbage, and signed correctly
            Answer unsigned = send(ingress, body);
            Answer wrong = send(ingress, body, BodySignature.HEADER, BodySignature.sign(SECRET, otherBody));
            Answer garbage = send(ingress, body, BodySignature.HEADER, "sha256=zz-not-hex");
            Answer otherSecret = send(ingress, body, BodySignature.HEADER, BodySignature.sign(SECRET + "x", body));
            Answer signed = send(ingress, body, BodySignature.HEADER, BodySignature.sign(SECRET, body));

            // then only the correctly signed one is accepted and produced
            assertThat(unsigned.status()).isEqualTo(401);
            assertThat(unsigned.field("error")).isEqualTo("invalid-signature");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.field("error")).isEqualTo("invalid-signature");
            assertThat(garbage.status()).isEqualTo(401);
            assertThat(otherSecret.status()).isEqualTo(401);
            assertThat(signed.status()).isEqualTo(202);
            assertThat(TopicContents.values(CLUSTER, ingress.topics().tasks()))
                    .map(e -> ((TaskRequest) e.getEvent()).getTaskId()).containsExactly(signed.field("taskId"));
        }
    }

    @Test
    void shouldRefuseSourcesOutsideTheAllowlistWith403ButKeepProbesOpen() {
        // given an ingress on 127.0.0.1 that only allows private networks
        try (RunningIngress ingress = RunningIngress.start(CLUSTER, Map.of("ingress.allowed-cidrs", "10.0.0.0/8, fd00::/8"))) {
            // when a correctly authenticated request comes from 127.0.0.1
            Answer refused = ingress.client().postJson("/v1/tasks", Fixtures.bytes("tasks/identify-caller.json"));
            Answer ready = ingress.client().get("/ready");

            // then it is refused before authentication, produces nothing, and the probe still answers
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.field("error")).isEqualTo("forbidden-source");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(TopicContents.values(CLUSTER, ingress.topics().tasks())).isEmpty();
        }
    }

    @Test
    void shouldAdmitAnIpv6SourceInsideTheAllowlist() {
        // given an ingress bound to ::1 allowing only the IPv6 loopback
        try (RunningIngress ingress = RunningIngress.start(CLUSTER, Map.of("ingress.host", "::1", "ingress.allowed-cidrs", "::1/128"))) {
            // when a request comes over IPv6
            Answer accepted = ingress.client().postJson("/v1/tasks", Fixtures.bytes("tasks/identify-caller.json"));

            // then it is accepted
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        }
        // and an allowlist of another IPv6 network refuses it
        try (RunningIngress ingress = RunningIngress.start(CLUSTER, Map.of("ingress.host", "::1", "ingress.allowed-cidrs", "2001:db8::/32"))) {
            assertThat(ingress.client().postJson("/v1/tasks", Fixtures.bytes("tasks/identify-caller.json")).status()).isEqualTo(403);
        }
    }

    @Test
    void shouldAcceptUnauthenticatedRequestsOnlyWhenExplicitlyAllowed() {
        // given an ingress without a token, explicitly allowed to run so
        try (RunningIngress ingress = RunningIngress.start(CLUSTER,
                Map.of("ingress.token", "", "ingress.allow-unauthenticated", "true"))) {
            // when a request without credentials arrives
            Answer answer = ingress.client().post("/v1/tasks", BodyPublishers.ofByteArray(Fixtures.bytes("tasks/identify-caller.json")),
                    "Content-Type", "application/json");

            // then it is accepted
            assertThat(answer.status()).isEqualTo(202);
        }
    }

    private static Answer send(RunningIngress ingress, byte[] body, String... extraHeaders) {
        String[] headers = IngressClient.withToken(concat(new String[] {"Content-Type", "application/json"}, extraHeaders));
        return ingress.client().post("/v1/tasks", BodyPublishers.ofByteArray(body), headers);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}

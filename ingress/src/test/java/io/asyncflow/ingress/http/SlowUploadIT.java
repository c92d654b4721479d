package io.asyncflow.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncflow.ingress.TestCatalog;
import io.asyncflow.testing.KafkaTestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A security finding: 100 connections that hold the token and send a declared 100 kB body a byte
 * at a time made every valid request time out. With the documented defaults
 * ({@code ingress.body-read-timeout}, {@code ingress.min-body-rate}) valid callers are served while
 * it happens, and the slow uploads are cut off. The body cap is the default's (256 KiB), so the
 * declared 100 kB is read, not refused at once.
 */
class SlowUploadIT {
    private static final int SLOW_CONNECTIONS = 100;

    @Test
    void shouldServeValidCallersWhileOneHundredSlowUploadsHoldTheToken() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (RunningIngress ingress = RunningIngress.start(KafkaTestCluster.shared(), Map.of("ingress.max-body-bytes", "262144"))) {
            // given 100 authenticated uploads that declare 100 kB and send one byte a second
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_CONNECTIONS; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress("127.0.0.1", ingress.server().port()), 5_000);
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write(("POST /v1/tasks HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + TestCatalog.TOKEN + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                slow.add(socket);
            }
            trickle.scheduleAtFixedRate(() -> slow.forEach(SlowUploadIT::sendOneByte), 1, 1, TimeUnit.SECONDS);

            // when valid callers post tasks meanwhile (a caller that waits 10 s for an answer has given up)
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String body = "{\"conversationId\":\"" + UUID.randomUUID() + "\",\"taskType\":\"identify-caller\","
                        + "\"inputs\":{\"ani\":\"tel:+33678901234\"}}";
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingress.server().port() + "/v1/tasks"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + TestCatalog.TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                try {
                    outcomes.add(String.valueOf(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()));
                } catch (HttpTimeoutException e) {
                    outcomes.add("timed out");
                }
                Thread.sleep(100);
            }

            // then every valid caller was served, and every slow upload was cut off (408, or closed)
            assertThat(outcomes).as("valid requests during the slow uploads").containsOnly("202");
            for (Socket socket : slow) {
                assertThat(firstLineOrClosed(socket)).as("a slow upload's answer").isIn("HTTP/1.1 408 Request Timeout", "closed");
            }
            for (Socket socket : slow) {
                socket.close();
            }
        } finally {
            trickle.shutdownNow();
        }
    }

    private static void sendOneByte(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(' ');
            out.flush();
        } catch (IOException e) {
            // the server closed it: what the test expects
        }
    }

    private static String firstLineOrClosed(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\r' && c != '\n') {
                line.append((char) c);
            }
            return line.length() == 0 ? "closed" : line.toString();
        } catch (IOException e) {
            return "closed";
        }
    }
}

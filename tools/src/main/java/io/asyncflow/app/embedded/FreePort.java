package io.asyncflow.app.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A port free on the loopback address at the time of the call. */
public final class FreePort {
    private FreePort() {
    }

    /** Returns {@code port} when nothing listens on it, else fails with a message saying so. */
    static int requireFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return port;
        } catch (IOException e) {
            throw new EmbeddedKafkaException("port " + port + " on " + InetAddress.getLoopbackAddress().getHostAddress()
                    + " is already in use (another Kafka broker?); choose another port, or 0 for any free one");
        }
    }

    /** A port free on the loopback address now (another process may take it before it is used). */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }
}

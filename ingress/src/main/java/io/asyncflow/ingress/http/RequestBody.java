package io.asyncflow.ingress.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import java.util.Locale;

/**
 * Reads a JSON request body safely: 415 unless the content type is {@code application/json};
 * 413 when the declared length exceeds the cap or when more bytes than the cap arrive (chunked
 * bodies are read at most cap + 1 bytes); then the optional signature is checked on the raw bytes.
 *
 * <p>An oversized body of up to {@link #DRAIN_FACTOR} times the cap is read and discarded before the
 * 413: Jetty 12 closes a connection whose request body was left unread, and a client still sending
 * it then sees the connection reset instead of the answer. A larger one is refused without reading
 * it (the connection closes; a caller that sends megabytes to a JSON endpoint gets no more).
 */
public final class RequestBody {
    /** Oversized bodies up to this many times the cap are read and discarded before the 413. */
    static final int DRAIN_FACTOR = 4;

    private final int maxBytes;
    private final BodySignature signature;

    public RequestBody(int maxBytes, BodySignature signature) {
        this.maxBytes = maxBytes;
        this.signature = signature;
    }

    /** The verified raw body. */
    public byte[] read(Context ctx) {
        requireJson(ctx.header("Content-Type"));
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            if (declared <= (long) maxBytes * DRAIN_FACTOR) {
                discard(ctx, declared);
            }
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException | RuntimeException e) {
            throw unreadable(e);
        }
        if (body.length > maxBytes) {
            throw tooLarge();
        }
        signature.verify(ctx.header(BodySignature.HEADER), body);
        return body;
    }

    /**
     * 408 when the body came too slowly (Jetty's {@code ingress.min-body-rate} check, or no bytes
     * within {@code ingress.body-read-timeout}), else 400: the connection is then closed.
     */
    private static RequestRejected unreadable(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if ((t instanceof HttpException http && http.getCode() == 408) || t instanceof TimeoutException) {
                return new RequestRejected(408, "body-too-slow", "the request body did not arrive in time");
            }
        }
        if (e instanceof RuntimeException runtime && !(e instanceof HttpException)) {
            throw runtime;
        }
        return RequestRejected.badRequest("unreadable-body", "the request body could not be read");
    }

    private static void discard(Context ctx, long length) {
        try (InputStream in = ctx.req().getInputStream()) {
            in.skipNBytes(length);
        } catch (IOException | RuntimeException e) {
            // the answer is 413 either way; the connection closes if the rest cannot be read
        }
    }

    private RequestRejected tooLarge() {
        return new RequestRejected(413, "body-too-large", "the body exceeds " + maxBytes + " bytes");
    }

    private static void requireJson(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new RequestRejected(415, "unsupported-media-type", "send the body as Content-Type: application/json");
        }
    }
}

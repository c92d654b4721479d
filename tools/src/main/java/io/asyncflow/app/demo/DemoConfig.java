package io.asyncflow.app.demo;

import io.asyncflow.config.AsyncFlowConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's AsyncFlow configuration: the {@code demo.properties} template with its
 * {@code ${name}} placeholders (broker address, simulator URLs) filled in. {@code ${env:…}}
 * references are left for {@link AsyncFlowConfig} to resolve.
 */
public final class DemoConfig {
    /** Placeholder of the Kafka bootstrap servers. */
    public static final String KAFKA = "kafka.bootstrap.servers";
    /** Placeholder of the simulated backends' base URL. */
    public static final String BACKENDS_URL = "backends.url";
    /** Placeholder of the simulated Genesys' base URL. */
    public static final String GENESYS_URL = "genesys.url";
    public static final String GENESYS_CLIENT_ID = "genesys.client-id";
    public static final String GENESYS_CLIENT_SECRET = "genesys.client-secret";

    private static final String TEMPLATE = "/io/asyncflow/app/demo.properties";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(?!env:)([A-Za-z0-9._-]+)}");

    private DemoConfig() {
    }

    /** The template text as shipped. */
    public static String template() {
        try (InputStream in = DemoConfig.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + TEMPLATE + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The template with every placeholder replaced, as properties text (comments kept).
     *
     * @throws IllegalArgumentException naming a placeholder {@code values} does not fill
     */
    public static String renderText(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("demo.properties placeholder ${" + m.group(1) + "} has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The rendered template as key/value pairs. */
    public static Map<String, String> render(Map<String, String> values) {
        Properties props = new Properties();
        try {
            props.load(new StringReader(renderText(values)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> result = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> result.put(k, props.getProperty(k).trim()));
        return result;
    }

    /** The placeholder values for a broker and simulators at these addresses. */
    public static Map<String, String> values(String bootstrapServers, String backendsUrl, String genesysUrl,
                                             String clientId, String clientSecret) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(KAFKA, bootstrapServers);
        values.put(BACKENDS_URL, backendsUrl);
        values.put(GENESYS_URL, genesysUrl);
        values.put(GENESYS_CLIENT_ID, clientId);
        values.put(GENESYS_CLIENT_SECRET, clientSecret);
        return values;
    }
}

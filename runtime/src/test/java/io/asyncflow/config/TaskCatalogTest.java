package io.asyncflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskCatalogTest {

    static Map<String, String> identifyCaller() {
        Map<String, String> m = new HashMap<>();
        m.put("task.identify-caller.backends", "alpha,beta");
        m.put("task.identify-caller.deadline", "5s");
        m.put("task.identify-caller.required-inputs", "ani");
        m.put("task.identify-caller.auto-start", "true");
        m.put("backend.alpha.url", "http://127.0.0.1:1/customers?phone={{ani}}");
        m.put("backend.alpha.attributes", "customerId=/id, customerName=/name");
        m.put("backend.alpha.header.X-Api-Key", "k");
        m.put("backend.beta.url", "http://127.0.0.1:2/lookup");
        m.put("backend.beta.method", "post");
        m.put("backend.beta.body", "{\"phone\":\"{{ani}}\"}");
        return m;
    }

    @Test
    void shouldReadTaskTypesAndBackends() {
        TaskCatalog catalog = TaskCatalog.from(AsyncFlowConfig.of(identifyCaller()));

        TaskTypeConfig type = catalog.taskType("identify-caller").orElseThrow();
        assertThat(type.backends()).containsExactly("alpha", "beta");
        assertThat(type.deadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(type.statusKey()).isEqualTo("asyncflow.identify-caller.status");
        assertThat(catalog.autoStartTypes()).containsExactly(type);
        BackendConfig alpha = catalog.backend("alpha");
        assertThat(alpha.attributes()).containsEntry("customerId", "/id").containsEntry("customerName", "/name");
        assertThat(alpha.headers()).containsEntry("X-Api-Key", "k");
        assertThat(alpha.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(catalog.backend("beta").method()).isEqualTo("POST");
        assertThat(catalog.backend("beta").placeholders()).containsExactly("ani");
    }

    @Test
    void shouldRejectATaskTypeNamingAnUnknownBackend() {
        Map<String, String> m = identifyCaller();
        m.put("task.identify-caller.backends", "alpha,gamma");

        assertThatThrownBy(() -> TaskCatalog.from(AsyncFlowConfig.of(m)))
                .hasMessageContaining("task.identify-caller.backends").hasMessageContaining("gamma");
    }

    @Test
    void shouldRejectMalformedBackendSettings() {
        Map<String, String> m = identifyCaller();
        m.put("backend.alpha.attributes", "customerId=id");
        assertThatThrownBy(() -> TaskCatalog.from(AsyncFlowConfig.of(m))).hasMessageContaining("backend.alpha.attributes");

        Map<String, String> n = identifyCaller();
        n.put("backend.beta.url", "ftp://x");
        assertThatThrownBy(() -> TaskCatalog.from(AsyncFlowConfig.of(n))).hasMessageContaining("backend.beta.url");
    }

    @Test
    void shouldFillTemplatesWithTheGivenEncoding() {
        String filled = BackendConfig.fill("http://x/c?phone={{ani}}&n={{missing}}", Map.of("ani", "+33 1&x"),
                v -> java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));

        assertThat(filled).isEqualTo("http://x/c?phone=%2B33+1%26x&n=");
    }
}

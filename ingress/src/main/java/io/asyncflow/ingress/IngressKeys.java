package io.asyncflow.ingress;

import io.asyncflow.config.ConfigKey;
import io.asyncflow.ingress.result.ResultSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Every configuration key of the ingress module (HTTP ingress, result endpoint, raw-event bridge),
 * so that {@code run} and the test kit accept the same keys: a settings class that joins the module
 * is added here, nowhere else.
 */
public final class IngressKeys {
    private IngressKeys() {
    }

    public static List<ConfigKey> all() {
        List<ConfigKey> keys = new ArrayList<>(IngressSettings.KEYS);
        keys.addAll(ResultSettings.KEYS);
        return List.copyOf(keys);
    }
}

package io.asyncflow.serde;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Adds AsyncFlow's generated Avro package to the classes Avro 1.12.2+ may instantiate while
 * decoding. Everything Avro trusted before stays trusted; nothing else is opened.
 */
public final class AvroTrust {
    /** The package of the generated record classes. */
    public static final String TRUSTED_PACKAGE = "io.asyncflow.avro.";

    private static volatile boolean installed;

    private AvroTrust() {
    }

    /** Installs the trust once per JVM; later calls do nothing. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityPredicate ours = type -> type.getName().startsWith(TRUSTED_PACKAGE);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous, ours));
        installed = true;
    }
}

package io.asyncflow.app.embedded;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.io.PrintStream;

/**
 * Entry point of the embedded broker's child JVM. It stops the broker when the parent process is
 * gone (even after {@code kill -9}, which runs no shutdown hook), formats the storage when asked
 * ({@code kafka.tools.StorageTool format}, in this JVM to save a JVM start), then runs
 * {@code kafka.Kafka}. Arguments: the parent's pid, the server.properties path, and the cluster
 * id to format the storage with (only on first use).
 */
public final class BrokerMain {
    private BrokerMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: BrokerMain <parent-pid> <server.properties> [<cluster-id to format with>]");
            System.exit(2);
        }
        watchParent(Long.parseLong(args[0]));
        String serverProperties = args[1];
        if (args.length == 3) {
            format(args[2], serverProperties);
        }
        invokeStatic("kafka.Kafka", "main", new Class<?>[] {String[].class}, (Object) new String[] {serverProperties});
    }

    private static void watchParent(long parent) {
        ProcessHandle.of(parent).ifPresentOrElse(
                p -> p.onExit().thenRun(() -> {
                    System.err.println("parent process " + parent + " is gone; stopping the broker");
                    System.exit(0);
                }),
                () -> System.exit(0));
    }

    private static void format(String clusterId, String serverProperties) throws Throwable {
        String[] args = {"format", "--cluster-id", clusterId, "--config", serverProperties, "--ignore-formatted"};
        Object exit = invokeStatic("kafka.tools.StorageTool", "execute", new Class<?>[] {String[].class, PrintStream.class},
                args, System.out);
        if (!Integer.valueOf(0).equals(exit)) {
            System.err.println("formatting the broker storage failed with exit code " + exit);
            System.exit(1);
        }
    }

    private static Object invokeStatic(String className, String method, Class<?>[] types, Object... args) throws Throwable {
        Method m = Class.forName(className).getMethod(method, types);
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

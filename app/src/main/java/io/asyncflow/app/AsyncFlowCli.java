package io.asyncflow.app;

import io.asyncflow.app.cli.RunCommand;
import io.asyncflow.config.ConfigException;
import java.io.PrintWriter;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.kafka.common.utils.AppInfoParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code asyncflow} command line. Exit codes: 0 success, 1 failure, 2 bad usage or invalid
 * configuration (the message names the key).
 *
 * <p>This module, the production launcher, has only {@code run}. The tools module (demo, bench,
 * embedded broker, simulators, console tools) adds its commands through {@link Extension} when its
 * jar is on the class path, as it is for {@code ./asyncflow}; the production image leaves it out.
 */
@Command(name = "asyncflow", mixinStandardHelpOptions = true, versionProvider = AsyncFlowCli.Version.class,
        description = "Runs Genesys Cloud asynchronous workflows (caller identification, intent recognition) on Kafka.",
        subcommands = RunCommand.class)
public final class AsyncFlowCli implements Runnable {
    /** Exit code of a failure. */
    public static final int FAILURE = 1;
    /** Exit code of bad usage or invalid configuration. */
    public static final int USAGE = 2;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        ensureAsyncPool();
        System.exit(commandLine().execute(args));
    }

    /**
     * On 1-2 cores the common ForkJoinPool gets a parallelism of 1, and CompletableFuture's async
     * stages then start a new thread per task (the HTTP client's completions, tens of thousands of
     * threads a minute under load). At least 2 keeps them on pooled threads. Must run before the
     * pool is first used; an explicit setting wins.
     */
    static void ensureAsyncPool() {
        String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(key) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(key, "2");
        }
    }

    /** The configured command line; tests set its output streams and call {@code execute}. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new AsyncFlowCli());
        for (Extension extension : ServiceLoader.load(Extension.class)) {
            extension.commands().forEach(cli::addSubcommand);
        }
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setExecutionExceptionHandler(AsyncFlowCli::report);
        return cli;
    }

    @Override
    public void run() {
        List<String> names = spec.commandLine().getSubcommands().keySet().stream().filter(n -> !"help".equals(n)).toList();
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: " + String.join(", ", names));
    }

    /** More commands for the command line, found with {@link ServiceLoader} (the tools module has one). */
    public interface Extension {
        /** Picocli command classes or instances, added after {@code run} in this order. */
        List<Object> commands();
    }

    private static int report(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        String prefix = cli.getCommandSpec().qualifiedName() + ": ";
        if (e instanceof ConfigException) {
            err.println(prefix + "invalid configuration: " + e.getMessage());
            err.flush();
            return USAGE;
        }
        if (e instanceof AppException) {
            err.println(prefix + e.getMessage());
        } else {
            err.println(prefix + "failed: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return FAILURE;
    }

    /** Version of the build and of the Kafka client it carries. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AsyncFlowCli.class.getPackage().getImplementationVersion();
            return new String[] {"asyncflow " + (version == null ? "(development build)" : version),
                    "Kafka " + AppInfoParser.getVersion() + ", Java " + System.getProperty("java.version")};
        }
    }
}

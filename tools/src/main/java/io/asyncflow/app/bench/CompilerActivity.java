package io.asyncflow.app.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * CPU time of the JIT compiler threads ({@code C1 CompilerThread*}, {@code C2 CompilerThread*}) of
 * the watched JVMs, read from {@code /proc/<pid>/task/<tid>}. A cold JVM compiles for minutes on a
 * small machine (a C2 thread at 70 % of a core was seen here two minutes into a run), so a step is
 * measured only once this falls quiet. On a system without {@code /proc} it reads 0.
 */
final class CompilerActivity {
    /** Linux clock ticks per second, as {@code /proc/<pid>/stat} counts them. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Collection<Long> pids;
    private long startTicks;
    private long startNanos;

    CompilerActivity(Collection<Long> pids) {
        this.pids = pids;
    }

    void start() {
        startTicks = compilerTicks();
        startNanos = System.nanoTime();
    }

    /** Cores the compiler threads kept busy since {@link #start()} (0.5 = half of one core). */
    double coresSinceStart() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds <= 0 ? 0 : (compilerTicks() - startTicks) / TICKS_PER_SECOND / seconds;
    }

    private long compilerTicks() {
        long ticks = 0;
        for (long pid : pids) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks) {
                    ticks += compilerTicks(task);
                }
            } catch (IOException | RuntimeException e) {
                // no /proc, or the process is gone: nothing to count
            }
        }
        return ticks;
    }

    private static long compilerTicks(Path task) {
        try {
            String comm = Files.readString(task.resolve("comm")).trim();
            if (!comm.startsWith("C1 Compiler") && !comm.startsWith("C2 Compiler")) {
                return 0;
            }
            return CpuSampler.cpuTicks(task.resolve("stat"));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

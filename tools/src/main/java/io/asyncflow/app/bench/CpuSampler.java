package io.asyncflow.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU use over an interval from {@code /proc}: the machine's busy share and each watched process's
 * share of all cores (so the shares add up to at most the machine's), the share of the watched JVMs'
 * JIT compiler threads (part of theirs), the share the hypervisor took for other guests (steal, part
 * of the machine's busy share: on a shared host it makes identical runs differ), plus the 1-minute
 * load average.
 * On a system without {@code /proc} every figure is -1.
 */
final class CpuSampler {
    /** CPU use over one interval, in percent of all cores. */
    record Usage(double machineBusy, Map<String, Double> processes, double compilers, double steal, double loadAverage) {
        String describe() {
            StringBuilder s = new StringBuilder(String.format("machine %.0f%%", machineBusy));
            if (steal >= 0.5) {
                s.append(String.format(" (steal %.0f%%)", steal));
            }
            processes.forEach((name, share) -> s.append(String.format(", %s %.0f%%", name, share)));
            s.append(String.format(" (JIT %.0f%%)", compilers));
            return s.append(String.format(", load %.2f", loadAverage)).toString();
        }
    }

    private final Map<String, Long> pids;
    private final CompilerActivity compilers;
    private long[] startMachine;
    private Map<String, Long> startTicks;

    /** @param pids the processes to watch, by label */
    CpuSampler(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
        this.compilers = new CompilerActivity(this.pids.values());
    }

    void start() {
        startMachine = machineTicks();
        startTicks = processTicks();
        compilers.start();
    }

    Usage stop() {
        long[] end = machineTicks();
        Map<String, Long> endTicks = processTicks();
        double total = end[0] - startMachine[0];
        double busy = total <= 0 ? -1 : 100.0 * ((end[0] - startMachine[0]) - (end[1] - startMachine[1])) / total;
        Map<String, Double> shares = new LinkedHashMap<>();
        endTicks.forEach((name, ticks) -> {
            Long before = startTicks.get(name);
            shares.put(name, total <= 0 || before == null ? -1 : 100.0 * (ticks - before) / total);
        });
        int cores = Runtime.getRuntime().availableProcessors();
        double steal = total <= 0 ? -1 : 100.0 * (end[2] - startMachine[2]) / total;
        return new Usage(busy, shares, 100.0 * compilers.coresSinceStart() / cores, steal, loadAverage());
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** [all ticks, idle + iowait ticks, steal ticks] summed over every core. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long all = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                all += Long.parseLong(f[i]);
            }
            return new long[] {all, Long.parseLong(f[4]) + Long.parseLong(f[5]), f.length > 8 ? Long.parseLong(f[8]) : 0};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0, 0};
        }
    }

    private Map<String, Long> processTicks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            try {
                ticks.put(name, cpuTicks(Path.of("/proc/" + pid + "/stat")));
            } catch (IOException | RuntimeException e) {
                // the process is gone: no figure for it
            }
        });
        return ticks;
    }

    /** User + system clock ticks in a {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} file. */
    static long cpuTicks(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] f = text.substring(text.lastIndexOf(')') + 2).split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}

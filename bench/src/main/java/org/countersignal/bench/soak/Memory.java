package org.countersignal.bench.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The server's resident memory ({@code VmRSS} of /proc/PID/status) sampled every few seconds,
 * each sample marked with the phase of the run it was taken in, and the trend of the measured
 * ones by least squares; with each sample the server's CPU time and the whole machine's (from
 * /proc/stat), since on a shared machine a slow answer may be another process's doing.
 */
final class Memory {

  record Sample(double seconds, String phase, double megabytes, double cpuSeconds, long machineBusy, long machineTotal) {}

  private final long pid;
  private final long started = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final double clockTicks;

  Memory(long pid, double clockTicks) {
    this.pid = pid;
    this.clockTicks = clockTicks;
  }

  synchronized void sample(String phase) {
    long[] machine = machineTicks();
    samples.add(new Sample((System.nanoTime() - started) / 1e9, phase, residentMegabytes(), cpuSeconds(), machine[0], machine[1]));
  }

  private double residentMegabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
      throw new IllegalStateException("no VmRSS for process " + pid);
    } catch (IOException e) {
      throw new UncheckedIOException("the server (process " + pid + ") is gone", e);
    }
  }

  /** User and system CPU of the process so far (fields 14 and 15 of /proc/PID/stat, after the name in parentheses). */
  private double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / clockTicks;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Busy and total ticks of every core so far: the first line of /proc/stat, idle and iowait counted as not busy. */
  private static long[] machineTicks() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < fields.length && i <= 8; i++) {
        total += Long.parseLong(fields[i]);
      }
      long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
      return new long[] {total - idle, total};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The share of the machine's CPU time that was busy between two samples. */
  static double busyShare(Sample from, Sample to) {
    return (to.machineBusy() - from.machineBusy()) / (double) Math.max(1, to.machineTotal() - from.machineTotal());
  }

  synchronized List<Sample> of(String phase) {
    return samples.stream().filter(s -> s.phase().equals(phase)).toList();
  }

  /** Least-squares slope of resident memory over the samples, in MB a minute. */
  static double slopePerMinute(List<Sample> samples) {
    int n = samples.size();
    if (n < 2) {
      return Double.NaN;
    }
    double meanT = samples.stream().mapToDouble(Sample::seconds).average().orElseThrow();
    double meanM = samples.stream().mapToDouble(Sample::megabytes).average().orElseThrow();
    double covariance = 0;
    double variance = 0;
    for (Sample s : samples) {
      covariance += (s.seconds() - meanT) * (s.megabytes() - meanM);
      variance += (s.seconds() - meanT) * (s.seconds() - meanT);
    }
    return covariance / variance * 60;
  }

  synchronized void write(Path csv) {
    StringBuilder out = new StringBuilder("seconds,phase,rss_mb,server_cpu_seconds\n");
    for (Sample s : samples) {
      out.append(String.format(Locale.ROOT, "%.1f,%s,%.1f,%.1f%n", s.seconds(), s.phase(), s.megabytes(), s.cpuSeconds()));
    }
    try {
      Files.writeString(csv, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package org.countersignal.bench.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one stream of the soak got back: every answer counted by its status (or by the exception
 * that took its place), each judged an answer, a deliberate refusal or an error, the first errors
 * kept as examples, and the latencies of the requests sent after the warm-up.
 */
final class Tally {

  /** LATE: due, but still waiting for a free connection when the load stopped (the server had fallen that far behind). */
  enum Verdict { ANSWERED, REFUSED, ERROR, LATE }

  private static final int EXAMPLES = 12;

  final String name;
  final boolean abuse;
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final Map<Verdict, LongAdder> verdicts = new ConcurrentHashMap<>();
  private final List<String> examples = new ArrayList<>();
  private final Latencies latencies = new Latencies();

  Tally(String name, boolean abuse) {
    this.name = name;
    this.abuse = abuse;
  }

  /** One answer, sent at {@code second} of the load; {@code measured}: after the warm-up. */
  void record(String outcome, Verdict verdict, long micros, boolean measured, int second, String example) {
    outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
    verdicts.computeIfAbsent(verdict, v -> new LongAdder()).increment();
    if (verdict == Verdict.ERROR && example != null) {
      synchronized (examples) {
        if (examples.size() < EXAMPLES) {
          examples.add(example);
        }
      }
    }
    if (second >= 0) {
      latencies.add(second, micros, measured);
    }
  }

  long count(Verdict verdict) {
    LongAdder n = verdicts.get(verdict);
    return n == null ? 0 : n.sum();
  }

  Latencies latencies() {
    return latencies;
  }

  /** "200 × 1234, 429 × 5", in status order. */
  String outcomes() {
    StringBuilder line = new StringBuilder();
    new TreeMap<>(outcomes).forEach((outcome, n) -> line.append(line.length() == 0 ? "" : ", ").append(outcome).append(" × ").append(n.sum()));
    return line.length() == 0 ? "nothing sent" : line.toString();
  }

  List<String> examples() {
    synchronized (examples) {
      return List.copyOf(examples);
    }
  }

  /** Latencies in microseconds, each with the second of the load its request was sent in and whether it was measured. */
  static final class Latencies {
    private int[] seconds = new int[1 << 12];
    private int[] micros = new int[1 << 12];
    private boolean[] measured = new boolean[1 << 12];
    private int size;

    synchronized void add(int second, long latency, boolean inMeasuredRun) {
      if (size == micros.length) {
        seconds = Arrays.copyOf(seconds, size * 2);
        micros = Arrays.copyOf(micros, size * 2);
        measured = Arrays.copyOf(measured, size * 2);
      }
      seconds[size] = second;
      micros[size] = (int) Math.min(Integer.MAX_VALUE, latency);
      measured[size] = inMeasuredRun;
      size++;
    }

    /** How many requests of the measured run. */
    synchronized int size() {
      int n = 0;
      for (int i = 0; i < size; i++) {
        n += measured[i] ? 1 : 0;
      }
      return n;
    }

    /** The latency (µs) at quantile q of the measured requests sent in seconds [from, to) of the load, or -1 if none. */
    synchronized int quantile(double q, int from, int to) {
      int[] chosen = new int[size];
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (measured[i] && seconds[i] >= from && seconds[i] < to) {
          chosen[n++] = micros[i];
        }
      }
      return n == 0 ? -1 : at(q, chosen, n);
    }

    /** The latency (µs) at quantile q of the measured requests. */
    int quantile(double q) {
      return quantile(q, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private static int at(double q, int[] values, int n) {
      Arrays.sort(values, 0, n);
      return values[Math.max(0, Math.min(n - 1, (int) Math.ceil(q * n) - 1))];
    }

    /** "second,phase,requests,p50_ms,p99_ms,max_ms", a line for each second of the load, warm-up included. */
    synchronized String perSecond() {
      int last = -1;
      for (int i = 0; i < size; i++) {
        last = Math.max(last, seconds[i]);
      }
      int[] counts = new int[last + 1];
      boolean[] inMeasuredRun = new boolean[last + 1];
      for (int i = 0; i < size; i++) {
        counts[seconds[i]]++;
        inMeasuredRun[seconds[i]] |= measured[i];
      }
      int[][] bySecond = new int[last + 1][];
      for (int s = 0; s <= last; s++) {
        bySecond[s] = new int[counts[s]];
        counts[s] = 0;
      }
      for (int i = 0; i < size; i++) {
        bySecond[seconds[i]][counts[seconds[i]]++] = micros[i];
      }
      StringBuilder csv = new StringBuilder("second,phase,requests,p50_ms,p99_ms,max_ms\n");
      for (int s = 0; s <= last; s++) {
        int[] l = bySecond[s];
        csv.append(s).append(inMeasuredRun[s] ? ",measured," : ",warmup,").append(l.length);
        if (l.length > 0) {
          csv.append(String.format(Locale.ROOT, ",%.2f,%.2f,%.2f", at(0.5, l, l.length) / 1000.0, at(0.99, l, l.length) / 1000.0,
              at(1.0, l, l.length) / 1000.0));
        }
        csv.append('\n');
      }
      return csv.toString();
    }
  }
}

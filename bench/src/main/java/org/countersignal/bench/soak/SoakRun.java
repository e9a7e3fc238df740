package org.countersignal.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load driver of bench/soak/run.sh: sets up a running server through its API, puts the mixed
 * load of {@link Load} on it (and with abuse the attack of {@link Abuse}) for the warm-up and then
 * the measured seconds, samples the server's resident memory every 5 s throughout, waits for the
 * webhook deliveries to drain, and prints the summary: answers by status for each stream, the
 * lookups' latency against their p99 target, the memory trend after the warm-up, webhook events
 * enqueued against received, and every error.
 *
 * <p>Usage: {@code SoakRun BASE_URL ADMIN_KEY_FILE SERVER_PID OUT_DIR DURATION_S WARMUP_S on|off CLOCK_TICKS}
 */
public final class SoakRun {

  static final double LOOKUP_P99_TARGET_MS = 20;
  static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
  static final Duration DRAIN_PATIENCE = Duration.ofMinutes(2);

  private SoakRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println("usage: SoakRun BASE_URL ADMIN_KEY_FILE SERVER_PID OUT_DIR DURATION_S WARMUP_S on|off CLOCK_TICKS");
      System.exit(2);
    }
    URI base = URI.create(args[0]);
    String admin = Files.readString(Path.of(args[1])).strip();
    long pid = Long.parseLong(args[2]);
    Path out = Path.of(args[3]);
    int duration = Integer.parseInt(args[4]);
    int warmup = Integer.parseInt(args[5]);
    boolean abuse = args[6].equals("on");
    double clockTicks = Double.parseDouble(args[7]);

    Http.Phase phase = new Http.Phase();
    Http http = new Http(base, phase);
    Memory memory = new Memory(pid, clockTicks);
    AtomicReference<String> now = new AtomicReference<>("setup");
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> memory.sample(now.get()), 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);

    try (Receiver receiver = new Receiver()) {
      Fixture fixture = new Fixture(http, admin);
      fixture.setUp(receiver, abuse);
      // The lookups and the flood reach their rate over the first half of the warm-up.
      Schedule schedule = new Schedule(Duration.ofSeconds(warmup / 2));
      Load load = new Load(http, fixture, schedule);
      Abuse attack = abuse ? new Abuse(http, fixture, schedule) : null;
      now.set("warmup");
      phase.startLoad();
      long driverCpu = driverCpuNanos();
      Set<String> streams = Set.of(System.getProperty("soak.streams", "all").split(","));
      load.start(streams);
      if (attack != null) {
        attack.start(streams);
      }
      Thread.sleep(warmup * 1000L);
      now.set("measured");
      memory.sample("measured");
      phase.startMeasuring();
      Thread.sleep(duration * 1000L);
      memory.sample("measured");
      now.set("drain");
      schedule.stop();
      double driverCores = (driverCpuNanos() - driverCpu) / 1e9 / (warmup + duration);
      String deliveries = drain(http, fixture, receiver);
      sampler.shutdownNow();
      memory.sample("end");
      memory.write(out.resolve("rss.csv"));
      Files.writeString(out.resolve("lookups.csv"), load.lookups.latencies().perSecond());

      List<Tally> tallies = new ArrayList<>(load.tallies());
      if (attack != null) {
        tallies.addAll(attack.tallies());
      }
      List<String> lines = summary(abuse, streams, duration, warmup, fixture, load, tallies, memory, receiver, deliveries, driverCores);
      Files.write(out.resolve("summary.txt"), lines);
      lines.forEach(System.out::println);
    } finally {
      sampler.shutdownNow();
    }
    // The HTTP client's idle connections would keep the process alive a while longer.
    System.exit(0);
  }

  /**
   * Waits until no delivery to the receiver is pending and no new one has appeared for a few
   * seconds (a video job finishing late enqueues its event after the load), then compares the
   * endpoint's deliveries by status with the distinct events the receiver got.
   */
  private static String drain(Http http, Fixture fixture, Receiver receiver) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_PATIENCE.toNanos();
    Map<String, Integer> byStatus = deliveries(http, fixture);
    while (System.nanoTime() < deadline) {
      Thread.sleep(3000);
      Map<String, Integer> again = deliveries(http, fixture);
      if (again.equals(byStatus) && !byStatus.containsKey("pending")) {
        break;
      }
      byStatus = again;
    }
    int enqueued = byStatus.values().stream().mapToInt(Integer::intValue).sum();
    long received = receiver.distinct();
    return String.format("webhooks: %,d deliveries to the receiver enqueued %s; the receiver got %s: %s", enqueued, byStatus,
        receiver.summary(), received == enqueued && byStatus.getOrDefault("delivered", 0) == enqueued ? "every one delivered"
            : String.format("%,d enqueued not received, %,d received not listed", Math.max(0, enqueued - received),
                Math.max(0, received - enqueued)));
  }

  private static Map<String, Integer> deliveries(Http http, Fixture fixture) {
    Map<String, Integer> byStatus = new TreeMap<>();
    long after = 0;
    while (true) {
      JsonNode page = http.call(http.request("/api/v1/webhooks/deliveries?limit=1000&endpoint=" + fixture.webhook + "&after=" + after,
          fixture.admin).GET().build(), 200);
      page.path("items").forEach(d -> byStatus.merge(d.path("status").asText(), 1, Integer::sum));
      if (page.path("items").isEmpty() || !page.path("next_after").canConvertToLong()) {
        return byStatus;
      }
      after = page.path("next_after").asLong();
    }
  }

  private static List<String> summary(boolean abuse, Set<String> streams, int duration, int warmup, Fixture fixture, Load load, List<Tally> tallies,
      Memory memory, Receiver receiver, String deliveries, double driverCores) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("ABUSE=%s: %d s measured after %d s of warm-up%s", abuse ? "on" : "off", duration, warmup,
        streams.contains("all") ? "" : "; only the streams " + String.join(",", new TreeSet<>(streams))));
    lines.add(String.format("setup: %,d PDQ entries imported through the API in %.1f s (%,.0f/s), %,d in the review bank%s",
        Fixture.BANKED, fixture.importSeconds, Fixture.BANKED / fixture.importSeconds, Fixture.REVIEW_BANKED,
        abuse ? String.format(", %,d in a bank at PDQ threshold 256", Fixture.WIDE_BANKED) : ""));
    lines.add("load: " + Load.rates());
    if (abuse) {
      lines.add("abuse: " + Abuse.rates());
    }
    lines.add(String.format("entries: %,d imported during the run, %,d deleted", load.imported.get(), load.deleted.get()));

    Tally.Latencies lookups = load.lookups.latencies();
    double p99 = lookups.quantile(0.99) / 1000.0;
    int worstMinute = 0;
    double worstP99 = -1;
    for (int minute = 0; minute * 60 < duration; minute++) {
      double minuteP99 = lookups.quantile(0.99, warmup + minute * 60, warmup + minute * 60 + 60) / 1000.0;
      if (minuteP99 > worstP99) {
        worstP99 = minuteP99;
        worstMinute = minute + 1;
      }
    }
    long late = load.lookups.count(Tally.Verdict.LATE);
    lines.add(lookups.size() == 0 ? "LOOKUPS: none measured; target p99 < " + LOOKUP_P99_TARGET_MS + " ms: MISSED"
        : String.format("LOOKUPS: %,d measured (%.0f/s)%s, p50 %s, p90 %s, p99 %s, p99.9 %s, max %s; worst minute's p99 %s (minute %d); "
        + "target p99 < %.0f ms: %s", lookups.size(), lookups.size() / (double) duration,
        late == 0 ? "" : String.format(", %,d of them due but not yet sent when the load stopped (counted with their wait)", late),
        ms(lookups.quantile(0.5)), ms(lookups.quantile(0.9)), ms(lookups.quantile(0.99)), ms(lookups.quantile(0.999)),
        ms(lookups.quantile(1.0)), ms((int) (worstP99 * 1000)), worstMinute, LOOKUP_P99_TARGET_MS,
        p99 >= 0 && p99 < LOOKUP_P99_TARGET_MS ? "met" : "MISSED"));

    List<Memory.Sample> measured = memory.of("measured");
    List<Memory.Sample> warm = memory.of("warmup");
    if (measured.size() >= 2) {
      Memory.Sample first = measured.get(0);
      Memory.Sample last = measured.get(measured.size() - 1);
      double peak = measured.stream().mapToDouble(Memory.Sample::megabytes).max().orElseThrow();
      lines.add(String.format(Locale.ROOT, "RSS after warm-up: first %.0f MB, last %.0f MB, peak %.0f MB; slope %+.2f MB/min "
          + "(least squares over %d samples, every %d s)%s", first.megabytes(), last.megabytes(), peak,
          Memory.slopePerMinute(measured), measured.size(), SAMPLE_EVERY.toSeconds(),
          warm.isEmpty() ? "" : String.format(Locale.ROOT, "; during the warm-up %.0f -> %.0f MB", warm.get(0).megabytes(),
              warm.get(warm.size() - 1).megabytes())));
      lines.add(String.format(Locale.ROOT, "CPU after warm-up: server %.2f cores, the whole machine %.0f %% busy (%d cores); "
          + "the driver %.2f cores over the whole run", (last.cpuSeconds() - first.cpuSeconds()) / (last.seconds() - first.seconds()),
          100 * Memory.busyShare(first, last), Runtime.getRuntime().availableProcessors(), driverCores));
    }
    lines.add(deliveries);
    lines.add(String.format("%-50s %9s %9s %7s  %-8s %-8s %-8s  %s", "stream", "answered", "refused", "errors", "p50", "p99", "max", "statuses"));
    for (Tally t : tallies) {
      Tally.Latencies l = t.latencies();
      lines.add(String.format("%-50s %,9d %,9d %,7d  %-8s %-8s %-8s  %s", t.name, t.count(Tally.Verdict.ANSWERED),
          t.count(Tally.Verdict.REFUSED), t.count(Tally.Verdict.ERROR), l.size() == 0 ? "" : ms(l.quantile(0.5)),
          l.size() == 0 ? "" : ms(l.quantile(0.99)), l.size() == 0 ? "" : ms(l.quantile(1.0)), t.outcomes()));
    }
    long errors = tallies.stream().filter(t -> !t.abuse).mapToLong(t -> t.count(Tally.Verdict.ERROR)).sum();
    long refusals = tallies.stream().filter(t -> !t.abuse).mapToLong(t -> t.count(Tally.Verdict.REFUSED)).sum();
    long unexpected = tallies.stream().filter(t -> t.abuse).mapToLong(t -> t.count(Tally.Verdict.ERROR)).sum();
    lines.add(String.format("ERRORS outside the abuse: %,d; deliberate refusals (429, or 503 with Retry-After) of ordinary requests: %,d%s",
        errors, refusals, abuse ? String.format("; unexpected answers to the abuse: %,d", unexpected) : ""));
    for (Tally t : tallies) {
      t.examples().forEach(example -> lines.add("  " + t.name + ": " + example));
    }
    if (receiver.badSignatures() > 0) {
      lines.add("  webhook: " + receiver.badSignatures() + " deliveries with a bad signature");
    }
    return lines;
  }

  private static String ms(int micros) {
    return micros < 0 ? "" : String.format(Locale.ROOT, micros < 10_000 ? "%.2f ms" : "%.0f ms", micros / 1000.0);
  }

  private static long driverCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}

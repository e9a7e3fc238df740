import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The writing client of the replica benchmark's failure run (bench/replicas/run.sh): adds one
 * entry with a fresh random PDQ hash to bank BANK_ID through URL (the load balancer) RATE times a
 * second for SECONDS seconds, and records every add as it is answered, one line each:
 *
 * <pre>
 *   epoch_ms_sent epoch_ms_answered status entry_id pdq
 * </pre>
 *
 * {@code status} is the HTTP status, or {@code 0} when no answer came (connection reset, timeout);
 * {@code entry_id} is {@code -} unless the answer was a 2xx carrying one. Each line is flushed
 * when written, so whatever the writer acknowledged survives it being stopped. Adds are sent one
 * at a time, each at its slot or as soon as the one before is answered, as a curator's script
 * would: a slow answer during a failover delays the next adds instead of piling them up.
 *
 * <p>Usage: {@code java bench/replicas/Writer.java URL KEY BANK_ID RATE SECONDS OUT [SEED]}
 */
public final class Writer {

  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 6) {
      System.err.println("usage: java Writer.java URL KEY BANK_ID RATE SECONDS OUT [SEED]");
      System.exit(2);
    }
    URI entries = URI.create(args[0] + "/api/v1/banks/" + Long.parseLong(args[2]) + "/entries");
    String key = args[1];
    double rate = Double.parseDouble(args[3]);
    long seconds = Long.parseLong(args[4]);
    Path out = Path.of(args[5]);
    SplittableRandom random = new SplittableRandom(args.length > 6 ? Long.parseLong(args[6]) : System.nanoTime());
    HexFormat hex = HexFormat.of();
    // HTTP/1.1 as wrk speaks it, so the balancer sees the same kind of client for reads and writes.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    long periodNanos = (long) (1_000_000_000L / rate);
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    int sent = 0;
    int acknowledged = 0;
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (long next = start; next < end; next += periodNanos) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(Duration.ofNanos(wait));
        }
        byte[] hash = new byte[32];
        random.nextBytes(hash);
        String pdq = hex.formatHex(hash);
        HttpRequest request = HttpRequest.newBuilder(entries)
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"signals\":{\"pdq\":\"" + pdq + "\"},\"note\":\"replica failover write\"}"))
            .build();
        long sentAt = System.currentTimeMillis();
        int status = 0;
        String id = "-";
        try {
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          status = response.statusCode();
          Matcher m = ID.matcher(response.body());
          if (status / 100 == 2 && m.find()) {
            id = m.group(1);
            acknowledged++;
          }
        } catch (IOException e) {
          // No answer: the add may or may not have committed; the checks count it apart.
          status = 0;
        }
        sent++;
        writer.write(sentAt + " " + System.currentTimeMillis() + " " + status + " " + id + " " + pdq + "\n");
        writer.flush();
      }
    }
    System.out.printf("adds sent: %d, acknowledged (2xx with an id): %d%n", sent, acknowledged);
  }
}

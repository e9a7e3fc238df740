import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the replica benchmark's failure run (bench/replicas/run.sh) left behind, checked once the
 * load has stopped: every add the writer (bench/replicas/Writer.java) saw acknowledged (2xx with
 * an entry id) must be in the database under that id, and must match as that entry on every
 * replica, asked directly (not through the balancer, which would hide a replica that lags). Adds
 * that got no answer or an error are reported apart: a replica killed between its commit and its
 * answer leaves an entry the client never heard of, which is allowed; the reverse is not.
 * Entries added between DOWN_FROM_MS and DOWN_TO_MS (the killed replica's absence) are counted on
 * their own, since the restarted replica could only have them by replaying the sequence.
 *
 * <p>Exits 1 when an acknowledged add is missing anywhere, so the script can say so.
 *
 * <p>Usage: {@code java -cp 'cli/target/lib/*' bench/replicas/CheckWrites.java JDBC_URL KEY WRITES
 * DOWN_FROM_MS DOWN_TO_MS NAME=URL [NAME=URL ...]}
 */
public final class CheckWrites {

  private record Add(long sentAt, int status, long entryId, String pdq) {
    boolean acknowledged() {
      return status / 100 == 2 && entryId > 0;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      System.err.println("usage: java CheckWrites.java JDBC_URL KEY WRITES DOWN_FROM_MS DOWN_TO_MS NAME=URL [NAME=URL ...]");
      System.exit(2);
    }
    String key = args[1];
    long downFrom = Long.parseLong(args[3]);
    long downTo = Long.parseLong(args[4]);
    List<Add> adds = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[2]))) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.strip().split(" ");
      adds.add(new Add(Long.parseLong(f[0]), Integer.parseInt(f[2]), f[3].equals("-") ? -1 : Long.parseLong(f[3]), f[4]));
    }
    List<Add> acked = adds.stream().filter(Add::acknowledged).toList();
    long ackedWhileDown = acked.stream().filter(a -> a.sentAt >= downFrom && a.sentAt < downTo).count();
    boolean lost = false;

    int ackedMissing = 0;
    int unackedStored = 0;
    try (Connection c = DriverManager.getConnection(args[0]);
        PreparedStatement s = c.prepareStatement(
            "SELECT entry_id FROM entry_signals WHERE signal_type = 'pdq' AND signal_value = ?")) {
      for (Add add : adds) {
        s.setString(1, add.pdq);
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
        if (add.acknowledged() && !ids.equals(List.of(add.entryId))) {
          ackedMissing++;
          System.out.printf("  acknowledged add of entry %d (%s) is in the database as %s%n", add.entryId, add.pdq, ids);
        } else if (!add.acknowledged() && !ids.isEmpty()) {
          unackedStored++;
        }
      }
    }
    lost |= ackedMissing > 0;
    System.out.printf("adds: %d sent, %d acknowledged (2xx), %d without an answer or with an error (%d of them committed all the same)%n",
        adds.size(), acked.size(), adds.size() - acked.size(), unackedStored);
    System.out.printf("database: %d of %d acknowledged adds stored under their id%s%n",
        acked.size() - ackedMissing, acked.size(), ackedMissing == 0 ? "" : "  <-- LOST");

    ObjectMapper json = new ObjectMapper();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    for (int i = 5; i < args.length; i++) {
      String[] replica = args[i].split("=", 2);
      int matched = 0;
      int matchedWhileDown = 0;
      // The batch route takes up to 1,000 queries; each carries the entry id it must find.
      for (int from = 0; from < acked.size(); from += 1000) {
        List<Add> chunk = acked.subList(from, Math.min(acked.size(), from + 1000));
        ObjectNode body = json.createObjectNode();
        ArrayNode queries = body.putArray("queries");
        for (Add add : chunk) {
          ObjectNode q = queries.addObject().put("id", Long.toString(add.entryId));
          q.putObject("signals").put("pdq", add.pdq);
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(replica[1] + "/api/v1/match/batch"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          System.out.printf("  %s answered %d: %s%n", replica[0], response.statusCode(), response.body());
          break;
        }
        JsonNode results = json.readTree(response.body()).path("results");
        for (int j = 0; j < chunk.size(); j++) {
          Add add = chunk.get(j);
          boolean found = false;
          for (JsonNode hit : results.path(j).path("matches")) {
            found |= hit.path("entry_id").asLong() == add.entryId;
          }
          if (found) {
            matched++;
            if (add.sentAt >= downFrom && add.sentAt < downTo) {
              matchedWhileDown++;
            }
          } else {
            System.out.printf("  %s does not match acknowledged entry %d (%s)%n", replica[0], add.entryId, add.pdq);
          }
        }
      }
      lost |= matched != acked.size();
      System.out.printf("%s: matches %d of %d acknowledged adds (%d of %d added while the killed replica was down)%s%n",
          replica[0], matched, acked.size(), matchedWhileDown, ackedWhileDown, matched == acked.size() ? "" : "  <-- MISSING");
    }
    System.exit(lost ? 1 : 0);
  }
}

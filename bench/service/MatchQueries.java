import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the request bodies for the matching benchmark from an entry file made by
 * bench/import/GeneratePdqCsv.java: one in ten queries is a banked hash with 1 to 16 bits flipped
 * (a re-encoded copy: a hit), the rest are random hashes (new content: a miss), as on a platform
 * where most uploads are not known content. Run with a JDK 25 source launcher:
 *
 *   java bench/service/MatchQueries.java ENTRIES.csv SINGLE.jsonl BATCH.jsonl [QUERIES] [BATCH_SIZE]
 *
 * SINGLE has one {"signals":{"pdq":...}} body a line, for POST /api/v1/match; BATCH has
 * {"queries":[...]} bodies of BATCH_SIZE items, for POST /api/v1/match/batch.
 */
public final class MatchQueries {

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: java MatchQueries.java ENTRIES.csv SINGLE.jsonl BATCH.jsonl [QUERIES] [BATCH_SIZE]");
      System.exit(2);
    }
    int queries = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
    int batchSize = args.length > 4 ? Integer.parseInt(args[4]) : 100;
    SplittableRandom random = new SplittableRandom(4411);
    HexFormat hex = HexFormat.of();
    // Banked hashes to derive hits from: every hundredth row of the file.
    List<byte[]> banked = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
      reader.readLine();
      int row = 0;
      for (String line; (line = reader.readLine()) != null && banked.size() < queries; row++) {
        if (row % 100 == 0) {
          banked.add(hex.parseHex(line.substring(4, 68)));
        }
      }
    }
    List<String> hashes = new ArrayList<>(queries);
    for (int i = 0; i < queries; i++) {
      byte[] hash = new byte[32];
      if (i % 10 == 0) {
        System.arraycopy(banked.get(random.nextInt(banked.size())), 0, hash, 0, 32);
        int flips = 1 + random.nextInt(16);
        for (int f = 0; f < flips; f++) {
          int bit = random.nextInt(256);
          hash[bit / 8] ^= (byte) (1 << (bit % 8));
        }
      } else {
        random.nextBytes(hash);
      }
      hashes.add(hex.formatHex(hash));
    }
    try (BufferedWriter single = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
      for (String hash : hashes) {
        single.write("{\"signals\":{\"pdq\":\"" + hash + "\"}}\n");
      }
    }
    try (BufferedWriter batch = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8)) {
      for (int start = 0; start + batchSize <= hashes.size(); start += batchSize) {
        StringBuilder body = new StringBuilder("{\"queries\":[");
        for (int i = start; i < start + batchSize; i++) {
          body.append(i == start ? "" : ",").append("{\"signals\":{\"pdq\":\"").append(hashes.get(i)).append("\"}}");
        }
        batch.write(body.append("]}\n").toString());
      }
    }
    System.err.println("wrote " + queries + " queries (" + banked.size() + " banked hashes to derive hits from)");
  }
}

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Writes a reproducible hash list for the exchange benchmark: ROWS random PDQ hashes (a fixed
 * seed) in python-threatexchange's dataset CSV ({@code signal_type,signal_str,collab,category,tags}),
 * the form a hash-sharing source hands out. One row in three carries two tags, as lists shared
 * after an incident do. Run with a JDK 25 source launcher:
 *
 *   java bench/exchange/GenerateHashList.java 1000000 list.csv [SEED]
 */
public final class GenerateHashList {

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: java GenerateHashList.java ROWS OUT.csv [SEED]");
      System.exit(2);
    }
    int rows = Integer.parseInt(args[0]);
    Path out = Path.of(args[1]);
    SplittableRandom random = new SplittableRandom(args.length > 2 ? Long.parseLong(args[2]) : 20261204L);
    HexFormat hex = HexFormat.of();
    byte[] hash = new byte[32];
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      writer.write("signal_type,signal_str,collab,category,tags\n");
      for (int i = 0; i < rows; i++) {
        random.nextBytes(hash);
        writer.write("pdq,");
        writer.write(hex.formatHex(hash));
        writer.write(",benchmark,POSITIVE_CLASS,");
        writer.write(i % 3 == 0 ? "christchurch livestream\n" : "\n");
      }
    }
    System.err.println("wrote " + rows + " rows to " + out);
  }
}

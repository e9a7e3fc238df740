import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Writes a reproducible entry file for the bulk-import benchmark: ROWS random PDQ hashes (a fixed
 * seed, so every run imports the same file) in the CSV format `countersignal bank import` reads.
 * One row in three carries a label and a note, one in ten an entity tag, as hash lists shared
 * after an incident do. Run with a JDK 25 source launcher:
 *
 *   java bench/import/GeneratePdqCsv.java 1000000 bench/work/import/pdq-1m.csv [SEED]
 */
public final class GeneratePdqCsv {

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: java GeneratePdqCsv.java ROWS OUT.csv [SEED]");
      System.exit(2);
    }
    int rows = Integer.parseInt(args[0]);
    Path out = Path.of(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261130L;
    SplittableRandom random = new SplittableRandom(seed);
    HexFormat hex = HexFormat.of();
    byte[] hash = new byte[32];
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      writer.write("signal_type,signal,labels,note,provenance,entities\n");
      for (int i = 0; i < rows; i++) {
        random.nextBytes(hash);
        writer.write("pdq,");
        writer.write(hex.formatHex(hash));
        writer.write(i % 3 == 0 ? ",attacker_manifesto;graphic_violence_defenceless,\"stills, batch " + (i / 1000) + "\"" : ",,");
        writer.write(",benchmark list");
        writer.write(i % 10 == 0 ? ",perpetrator\n" : ",\n");
      }
    }
    System.err.println("wrote " + rows + " rows to " + out + " (seed " + seed + ")");
  }
}

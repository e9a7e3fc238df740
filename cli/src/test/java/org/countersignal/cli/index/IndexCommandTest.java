package org.countersignal.cli.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.countersignal.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexCommandTest {

  @TempDir Path dir;

  private static String randomHex(SplittableRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Flips {@code bits} distinct bits of a hex hash. */
  private static String flip(SplittableRandom random, String hex, int bits) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    byte[] original = bytes.clone();
    int done = 0;
    while (done < bits) {
      int bit = random.nextInt(256);
      if (((bytes[bit / 8] ^ original[bit / 8]) & (1 << (bit % 8))) == 0) {
        bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        done++;
      }
    }
    return HexFormat.of().formatHex(bytes);
  }

  private static int distance(String a, String b) {
    byte[] x = HexFormat.of().parseHex(a);
    byte[] y = HexFormat.of().parseHex(b);
    int d = 0;
    for (int i = 0; i < 32; i++) {
      d += Integer.bitCount((x[i] ^ y[i]) & 0xff);
    }
    return d;
  }

  @Test
  void buildThenQueryPrintsEveryMatchAsBruteForceFindsIt() throws IOException {
    SplittableRandom random = new SplittableRandom(4);
    List<String> stored = new ArrayList<>();
    List<String> hashLines = new ArrayList<>();
    for (int i = 0; i < 6000; i++) {
      String hex = i % 3 == 0 && i > 0 ? flip(random, stored.get(i - 1), 10) : randomHex(random);
      stored.add(hex);
      // Every other line carries an explicit id; the rest default to their line number.
      hashLines.add(i % 2 == 0 ? hex : hex.toUpperCase() + "," + (1_000_000 + i));
    }
    Path hashes = dir.resolve("hashes.txt");
    Files.write(hashes, hashLines);
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      queries.add(i % 2 == 0 ? flip(random, stored.get(random.nextInt(stored.size())), random.nextInt(40))
          : randomHex(random));
    }
    queries.add(1, ""); // a blank line is skipped but counted
    Path queryFile = dir.resolve("queries.txt");
    Files.write(queryFile, queries);
    Path index = dir.resolve("hashes.idx");

    CliRun build = CliRun.of("index", "build", "--out", index.toString(), hashes.toString());
    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.err()).contains("indexed 6000 hashes");

    for (int radius : new int[] {31, 20}) {
      CliRun query = CliRun.of("index", "query", "--radius", String.valueOf(radius), index.toString(),
          queryFile.toString());
      assertThat(query.exitCode()).as(query.err()).isZero();
      List<String> expected = new ArrayList<>();
      for (int q = 0; q < queries.size(); q++) {
        if (queries.get(q).isEmpty()) {
          continue;
        }
        List<long[]> found = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
          int d = distance(queries.get(q), stored.get(i));
          if (d <= radius) {
            found.add(new long[] {d, i % 2 == 0 ? i : 1_000_000 + i});
          }
        }
        found.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (long[] f : found) {
          expected.add(q + "," + f[1] + "," + f[0]);
        }
      }
      assertThat(expected).as("the test data has matches").hasSizeGreaterThan(10);
      assertThat(query.lines()).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aLookupThatMatchesEverythingPrintsEveryEntryInOrder() throws IOException {
    // Radius 256 matches every stored hash: far more output than one block of it.
    SplittableRandom random = new SplittableRandom(9);
    List<String> stored = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      stored.add(randomHex(random));
    }
    Files.write(dir.resolve("h.txt"), stored);
    List<String> queries = List.of(randomHex(random), randomHex(random), randomHex(random));
    Files.write(dir.resolve("q.txt"), queries);
    Path index = dir.resolve("h.idx");
    assertThat(CliRun.of("index", "build", "--out", index.toString(), dir.resolve("h.txt").toString()).exitCode()).isZero();
    CliRun query = CliRun.of("index", "query", "--radius", "256", index.toString(), dir.resolve("q.txt").toString());
    List<String> expected = new ArrayList<>();
    for (int q = 0; q < queries.size(); q++) {
      List<long[]> found = new ArrayList<>();
      for (int i = 0; i < stored.size(); i++) {
        found.add(new long[] {distance(queries.get(q), stored.get(i)), i});
      }
      found.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      for (long[] f : found) {
        expected.add(q + "," + f[1] + "," + f[0]);
      }
    }
    assertThat(query.lines()).containsExactlyElementsOf(expected);
  }

  @Test
  void defaultRadiusIs31() throws IOException {
    String a = "0".repeat(64);
    String b31 = "f".repeat(7) + "e" + "0".repeat(56); // 31 bits set
    String b32 = "f".repeat(8) + "0".repeat(56);
    Files.write(dir.resolve("h.txt"), List.of(a + ",5"));
    Files.write(dir.resolve("q.txt"), List.of(b32, b31));
    Path index = dir.resolve("h.idx");
    assertThat(CliRun.of("index", "build", "--out", index.toString(), dir.resolve("h.txt").toString()).exitCode()).isZero();
    CliRun query = CliRun.of("index", "query", index.toString(), dir.resolve("q.txt").toString());
    assertThat(query.lines()).containsExactly("1,5,31");
  }

  @Test
  void badInputIsReportedWithFileAndLine() throws IOException {
    Path hashes = dir.resolve("bad.txt");
    Files.write(hashes, List.of("0".repeat(64), "xyz"));
    CliRun build = CliRun.of("index", "build", "--out", dir.resolve("bad.idx").toString(), hashes.toString());
    assertThat(build.exitCode()).isEqualTo(1);
    assertThat(build.err()).contains("bad.txt:1:").contains("xyz");
    assertThat(dir.resolve("bad.idx")).doesNotExist();
  }

  @Test
  void damagedIndexFileIsReported() throws IOException {
    Files.write(dir.resolve("h.txt"), List.of("0".repeat(64)));
    Path index = dir.resolve("h.idx");
    assertThat(CliRun.of("index", "build", "--out", index.toString(), dir.resolve("h.txt").toString()).exitCode()).isZero();
    byte[] bytes = Files.readAllBytes(index);
    bytes[30] ^= 1;
    Files.write(index, bytes);
    Files.write(dir.resolve("q.txt"), List.of("0".repeat(64)));
    CliRun query = CliRun.of("index", "query", index.toString(), dir.resolve("q.txt").toString());
    assertThat(query.exitCode()).isEqualTo(1);
    assertThat(query.err()).contains("checksum mismatch");
    assertThat(CliRun.of("index", "query", "--radius", "300", index.toString(), "q").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("index", "query", dir.resolve("missing.idx").toString(), "q").err()).contains("no such file");
  }
}

package org.countersignal.cli.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.countersignal.index.hamming.Hash256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashFileTest {

  @TempDir Path dir;

  private static String randomHex(SplittableRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** What a line-by-line reader of decoded text makes of the file: the parser's specification. */
  private static List<String> expected(String text) throws IOException {
    List<String> entries = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new StringReader(text));
    String line;
    long number = -1;
    while ((line = reader.readLine()) != null) {
      number++;
      String stripped = line.strip();
      if (stripped.isEmpty()) {
        continue;
      }
      int comma = stripped.indexOf(',');
      Hash256 hash = Hash256.fromHex((comma < 0 ? stripped : stripped.substring(0, comma)).strip());
      long id = comma < 0 ? number : Long.parseLong(stripped.substring(comma + 1).strip());
      entries.add(hash.toHex() + " " + id + " " + number);
    }
    return entries;
  }

  private static List<String> parsed(Path file) throws IOException {
    HashFile.Entries entries = HashFile.read(file);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < entries.count(); i++) {
      out.add(Hash256.fromWords(entries.words(), i).toHex() + " " + entries.ids()[i] + " "
          + entries.lines()[i]);
    }
    return out;
  }

  @Test
  void readsEveryLineAsTextWouldBeRead() throws IOException {
    SplittableRandom random = new SplittableRandom(3);
    String[] endings = {"\n", "\r\n", "\r"};
    String[] blanks = {"", " ", "\t", "\u2003", " \u000b"};
    StringBuilder text = new StringBuilder();
    // Enough lines that some cross the parser's 1 MB reads, ending in every way.
    for (int i = 0; i < 40_000; i++) {
      String hex = randomHex(random);
      String line = switch (random.nextInt(8)) {
        case 0 -> hex.toUpperCase();
        case 1 -> hex + "," + random.nextLong(0, Long.MAX_VALUE);
        case 2 -> hex + " , " + random.nextInt(1000) + " ";
        case 3 -> hex + ",-" + random.nextInt(1000);
        case 4 -> hex + ",+" + random.nextInt(1000);
        case 5 -> "";
        default -> hex;
      };
      text.append(blanks[random.nextInt(blanks.length)]).append(line)
          .append(blanks[random.nextInt(blanks.length)]).append(endings[random.nextInt(3)]);
    }
    text.append(randomHex(random)).append(",77"); // a last line without an ending
    Path file = dir.resolve("hashes.txt");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    List<String> want = expected(text.toString());
    assertThat(want).hasSizeGreaterThan(30_000);
    assertThat(parsed(file)).containsExactlyElementsOf(want);
  }

  @Test
  void crLfSplitAcrossReadsIsOneLineEnding() throws IOException {
    // A \r as the last byte of the first 1 MB read and its \n as the first of the next.
    String hex = "0123456789abcdef".repeat(4);
    StringBuilder text = new StringBuilder();
    text.append(" ".repeat((1 << 20) - 1 - hex.length())).append(hex).append("\r\n").append(hex).append(",5\n");
    Path file = dir.resolve("split.txt");
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    assertThat(parsed(file)).containsExactly(hex + " 0 0", hex + " 5 1");
  }

  @Test
  void aLineLongerThanOneReadIsStillOneLine() throws IOException {
    String hex = "f".repeat(64);
    Path file = dir.resolve("long.txt");
    Files.writeString(file, hex + "\n" + " ".repeat(3 << 20) + hex + ",9\n");
    assertThat(parsed(file)).containsExactly(hex + " 0 0", hex + " 9 1");
  }

  @Test
  void badLinesNameTheFileAndLine() throws IOException {
    String hex = "a".repeat(64);
    for (String bad : new String[] {hex + "x", hex + ",", hex + ",12a", "\ufeff" + hex, hex.substring(1),
        hex + "," + "9".repeat(20)}) {
      Path file = dir.resolve("bad.txt");
      Files.writeString(file, hex + "\n\n" + bad + "\n", StandardCharsets.UTF_8);
      assertThatThrownBy(() -> HashFile.read(file))
          .as(bad)
          .isInstanceOf(HashFile.BadLineException.class)
          .hasMessageContaining("bad.txt:2: expected HEX64 or HEX64,ID");
    }
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() throws IOException {
    Path file = dir.resolve("latin1.txt");
    Files.write(file, new byte[] {'a', (byte) 0xe9, '\n'});
    assertThatThrownBy(() -> HashFile.read(file)).isInstanceOf(IOException.class)
        .isNotInstanceOf(HashFile.BadLineException.class);
  }
}

package org.countersignal.cli.bank;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.countersignal.cli.admin.CliException;
import org.countersignal.server.RequestException;
import org.countersignal.server.bank.SignalCatalog;

/**
 * A bank import file read row by row as {@code countersignal bank import} reads it, each readable
 * row's signal then checked by the service's signal types as the import's first pass does. The
 * input is the format ({@code csv}, {@code jsonl}, {@code te}, {@code te-csv}), a newline, then the
 * file. A file that cannot be read stops with a {@link CliException} (exit code 2); a bad row is a
 * row with an error, or a {@link RequestException} from its signal; nothing else is accepted.
 */
class ImportFileFuzzTest {

  private static final SignalCatalog CATALOG = new SignalCatalog();
  private static final Path FILE = scratchFile();

  @FuzzTest(maxDuration = "5m")
  void readRows(byte[] data) throws IOException {
    int newline = indexOf(data, (byte) '\n');
    EntryFormat format = newline < 0 ? null : format(new String(data, 0, newline, StandardCharsets.UTF_8));
    if (format == null) {
      format = EntryFormat.CSV;
      newline = -1;
    }
    Files.write(FILE, Arrays.copyOfRange(data, newline + 1, data.length));
    try (RowReader rows = RowReader.open(FILE, format)) {
      while (rows.hasNext()) {
        RowReader.Row row = rows.next();
        assertThat(row.row() == null).isEqualTo(row.error() != null);
        if (row.row() != null) {
          check(row.row());
        }
      }
    } catch (CliException e) {
      assertThat(e.exitCode()).isEqualTo(CliException.BAD_INPUT);
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  private static void check(FileRow row) {
    try {
      CATALOG.bankable(row.signalType(), row.signal(), "signal");
    } catch (RequestException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  private static EntryFormat format(String name) {
    return switch (name) {
      case "csv" -> EntryFormat.CSV;
      case "jsonl" -> EntryFormat.JSONL;
      case "te" -> EntryFormat.TE;
      case "te-csv" -> EntryFormat.TE_CSV;
      default -> null;
    };
  }

  private static int indexOf(byte[] data, byte b) {
    for (int i = 0; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static Path scratchFile() {
    try {
      Path dir = Files.createTempDirectory("countersignal-import-fuzz");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("entries");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

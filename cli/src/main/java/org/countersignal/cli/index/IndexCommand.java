package org.countersignal.cli.index;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.countersignal.index.hamming.Hash256;
import org.countersignal.index.hamming.HammingIndex;
import org.countersignal.index.hamming.Match;
import org.countersignal.index.snapshot.SnapshotException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code countersignal index}: build a PDQ similarity index file and query it. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = "Build a PDQ similarity index from a hash file and look hashes up in it.",
    subcommands = {IndexCommand.Build.class, IndexCommand.Query.class})
public final class IndexCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: build or query");
  }

  /** Exit code for unreadable input or a damaged index file. */
  static final int EXIT_BAD_INPUT = 1;

  /** Characters of output gathered before they are written. */
  private static final int OUTPUT_BLOCK = 1 << 16;

  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = "Builds an index file from HASHFILE: one PDQ hash per line as 64 hex digits, "
          + "optionally followed by ,ID (ids default to the line number, counting from 0).")
  static final class Build implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "INDEXFILE", description = "Index file to write.")
    Path out;

    @Parameters(index = "0", paramLabel = "HASHFILE")
    Path hashFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      try {
        HashFile.Entries entries = HashFile.read(hashFile);
        try (HammingIndex index = HammingIndex.build(entries.words(), entries.ids())) {
          index.writeSnapshot(out);
        }
        err.println("indexed " + entries.count() + " hashes into " + out);
        err.flush();
        return 0;
      } catch (IOException e) {
        return fail(err, e);
      }
    }
  }

  @Command(
      name = "query",
      mixinStandardHelpOptions = true,
      description = "Looks up every hash of QUERYFILE (one per line) in INDEXFILE and prints one "
          + "line per match: query_line_number,id,distance (lines counted from 0; nearest first).")
  static final class Query implements Callable<Integer> {

    @Option(names = "--radius", defaultValue = "31", paramLabel = "R",
        description = "Largest Hamming distance that counts as a match, 0-256 (default: ${DEFAULT-VALUE}).")
    int radius;

    @Parameters(index = "0", paramLabel = "INDEXFILE")
    Path indexFile;

    @Parameters(index = "1", paramLabel = "QUERYFILE")
    Path queryFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      if (radius < 0 || radius > HammingIndex.MAX_RADIUS) {
        throw new ParameterException(spec.commandLine(), "--radius must be 0 to 256, got " + radius);
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (HammingIndex index = HammingIndex.readSnapshot(indexFile)) {
        HashFile.Entries queries = HashFile.read(queryFile);
        // Printed a block at a time: the writer flushed (a write to the terminal or pipe) at
        // every line, and a lookup that matches thousands of entries prints thousands.
        String newline = System.lineSeparator();
        StringBuilder block = new StringBuilder(OUTPUT_BLOCK + 256);
        long[] w = queries.words();
        long[] lines = queries.lines();
        for (int i = 0; i < queries.count(); i++) {
          Hash256 q = new Hash256(w[i * 4], w[i * 4 + 1], w[i * 4 + 2], w[i * 4 + 3]);
          for (Match match : index.search(q, radius)) {
            block.append(lines[i]).append(',').append(match.id()).append(',')
                .append(match.distance()).append(newline);
            if (block.length() >= OUTPUT_BLOCK) {
              out.append(block);
              block.setLength(0);
            }
          }
        }
        out.append(block);
        out.flush();
        return 0;
      } catch (IOException e) {
        return fail(err, e);
      }
    }
  }

  private static int fail(PrintWriter err, IOException e) {
    String message = e instanceof NoSuchFileException ? "no such file: " + e.getMessage()
        : e instanceof SnapshotException || e instanceof HashFile.BadLineException ? e.getMessage()
        : e.toString();
    err.println("countersignal index: " + message);
    err.flush();
    return EXIT_BAD_INPUT;
  }
}

package org.countersignal.cli.hash;

import java.util.concurrent.Callable;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.pdq.PdqHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code countersignal compare}: the Hamming distance between two PDQ hashes. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = "Prints the Hamming distance (0-256) between two PDQ hashes given as 64 hex digits.")
public final class CompareCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "HASH")
  String first;

  @Parameters(index = "1", paramLabel = "HASH")
  String second;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(parse(first).distance(parse(second)));
    spec.commandLine().getOut().flush();
    return 0;
  }

  private PdqHash parse(String text) {
    try {
      return PdqHash.fromHex(text);
    } catch (MalformedSignalException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage() + ": '" + text + "'");
    }
  }
}

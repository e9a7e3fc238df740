package org.countersignal.cli.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.server.audit.AuditArchive;
import org.countersignal.server.audit.AuditChain;
import org.countersignal.server.webhook.SecretBox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code countersignal audit verify-archive}: an audit archive file checked on its own, as an auditor holds it. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "The audit log's archive files (docs/AUDIT.md).",
    subcommands = {AuditCommand.VerifyArchive.class})
public final class AuditCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(
      name = "verify-archive",
      mixinStandardHelpOptions = true,
      description = {
          "Check an audit archive file (GET /api/v1/audit/archive) without the server: every seal's records add up to the"
              + " seal's hash and count, and every seal follows from the one before it. Prints what was checked as JSON;"
              + " exit code 0 when the file is intact, 1 when it is not.",
          "Compare last_chain_sha256 with the chain_sha256 that GET /api/v1/audit/seals lists for seal through_seal: the"
              + " server keeps every seal after their records are archived.",
          "With --secret-key-file, each seal's MAC is checked as well (the key file in use when the file was exported)."
      })
  static final class VerifyArchive implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The archive file.")
    Path file;

    @Option(names = "--secret-key-file", paramLabel = "FILE", description = "The server key file, to check the seals' MACs.")
    Path secretKeyFile;

    @Override
    public Integer call() {
      byte[] macKey = null;
      if (secretKeyFile != null) {
        try {
          macKey = SecretBox.onlyKeyFile(secretKeyFile).derivedKey(AuditChain.MAC_KEY_PURPOSE);
        } catch (RuntimeException e) {
          return Commands.fail(spec, CliException.badInput("cannot read the key file " + secretKeyFile + ": " + e.getMessage()));
        }
      }
      AuditArchive.Check check;
      try (InputStream in = Files.newInputStream(file)) {
        check = AuditArchive.check(in, macKey);
      } catch (NoSuchFileException e) {
        return Commands.fail(spec, CliException.badInput("no such file: " + file));
      } catch (IOException e) {
        return Commands.fail(spec, CliException.failed("cannot read " + file + ": " + e.getMessage()));
      }
      ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
      Commands.print(spec, json.valueToTree(check));
      if (!check.intact()) {
        spec.commandLine().getErr().println("the archive does not verify: " + check.problemsFound() + " problem(s), listed above");
        return CliException.FAILED;
      }
      return 0;
    }
  }
}

package org.countersignal.cli.serverkey;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.LocalBackend;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.serverkey.ServerKeyRotation;
import org.countersignal.server.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code countersignal server-key rotate}: a new server key, and every secret stored under the old one sealed again. */
@Command(
    name = "server-key",
    mixinStandardHelpOptions = true,
    description = "The server key (the secret key file) that encrypts stored secrets and keys the audit chain's MACs.",
    subcommands = {ServerKeyCommand.Rotate.class})
public final class ServerKeyCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = {
          "Replace the server key with a new one: webhook signing secrets, exchange credentials and the instance's signing"
              + " keys are sealed again under it, and the audit chain's seals get MACs under it, in one transaction"
              + " (audited as server_key.rotated, actor 0).",
          "Stop every server that uses the database first. The old key is kept as FILE.previous: copy the new FILE to"
              + " every replica, start them, and delete FILE.previous once no backup made before the rotation is needed.",
          "Settings as for serve: --config or COUNTERSIGNAL_CONFIG, then the environment (COUNTERSIGNAL_DATA_DIR,"
              + " COUNTERSIGNAL_DATABASE_URL, COUNTERSIGNAL_SECRET_KEY_FILE...), then these options.",
          "If it stops halfway (FILE.next is left), run it again: it finishes with the same new key."
      })
  static final class Rotate implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The server's data directory (default ./data).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE", description = "The server's configuration file (Java properties).")
    Path configFile;

    @Option(names = "--database-url", paramLabel = "URL", description = "The server's PostgreSQL, when it uses one.")
    String databaseUrl;

    @Option(names = "--database-user", paramLabel = "NAME", description = "User for --database-url.")
    String databaseUser;

    @Option(names = "--secret-key-file", paramLabel = "FILE", description = "The server key (default secret.key in the data directory).")
    Path secretKeyFile;

    @Override
    public Integer call() {
      ServerConfig config;
      try {
        config = resolve(System.getenv());
      } catch (IllegalArgumentException e) {
        return Commands.fail(spec, CliException.badInput(e.getMessage()));
      }
      ServerKeyRotation.Result result;
      try {
        result = ServerKeyRotation.rotate(config, LocalBackend.LOCAL_OPERATOR_KEY_ID);
      } catch (RuntimeException e) {
        return Commands.fail(spec, CliException.failed(Database.heldByAnotherProcess(e) ? "the database in " + config.dataDir().toAbsolutePath()
            + " is in use by a running server; stop it first" : e.getMessage()));
      }
      ObjectNode out = new ObjectMapper().createObjectNode();
      out.put("key_file", result.keyFile().toString());
      out.put("previous_key_file", result.previousKeyFile().toString());
      out.put("resumed", result.resumed());
      out.put("webhook_secrets", result.webhookSecrets());
      out.put("exchange_credentials", result.exchangeCredentials());
      out.put("instance_keys", result.instanceKeys());
      out.put("audit_seals", result.auditSeals());
      Commands.print(spec, out);
      return 0;
    }

    ServerConfig resolve(Map<String, String> env) {
      ServerConfig config = ServerConfig.fromFileAndEnvironment(configFile, env);
      if (dataDir != null) {
        config = config.withDataDir(dataDir);
      }
      if (databaseUrl != null) {
        config = config.withDatabaseUrl(databaseUrl);
      }
      if (databaseUser != null) {
        config = config.withDatabaseUser(databaseUser);
      }
      if (secretKeyFile != null) {
        config = config.withSecretKeyFile(secretKeyFile);
      }
      return config;
    }
  }
}

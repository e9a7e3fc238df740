package org.countersignal.cli.admin;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * Where a key or bank command acts: a running server ({@code --server URL} with {@code --key},
 * or the environment) or a data directory opened directly ({@code --data-dir}). Exactly one.
 */
public final class Target {

  public static final String ENV_SERVER = "COUNTERSIGNAL_SERVER";
  public static final String ENV_KEY = "COUNTERSIGNAL_KEY";

  /** The environment; tests replace it. */
  static UnaryOperator<String> environment = System::getenv;

  @Option(names = "--server", paramLabel = "URL",
      description = "The running server, e.g. http://localhost:8080 (default: $" + ENV_SERVER + ").")
  String server;

  @Option(names = "--key", paramLabel = "KEY",
      description = "API key for --server (default: $" + ENV_KEY + "; prefer the variable: options show in process lists).")
  String key;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Act directly on this data directory's database instead of a server (only while no server runs on it).")
  Path dataDir;

  /** Opens the backend the options (or the environment) name. */
  public Backend open() {
    if (dataDir != null) {
      if (server != null) {
        throw CliException.badInput("give either --server or --data-dir, not both");
      }
      if (key != null) {
        throw CliException.badInput("--key is for --server; --data-dir needs no key");
      }
      return new LocalBackend(dataDir);
    }
    return server(server, key, "say where to act: --server URL (or $" + ENV_SERVER + ") with an API key, or --data-dir DIR");
  }

  /**
   * The server {@code server} names (else the environment), with {@code key} (else the
   * environment's); {@code missing} says what to give when neither names a server.
   */
  static HttpBackend server(String server, String key, String missing) {
    String url = server != null ? server : blankToNull(environment.apply(ENV_SERVER));
    if (url == null) {
      throw CliException.badInput(missing);
    }
    String apiKey = key != null ? key : blankToNull(environment.apply(ENV_KEY));
    if (apiKey == null) {
      throw CliException.badInput("--server needs an API key: --key KEY or $" + ENV_KEY);
    }
    return new HttpBackend(url, apiKey.strip());
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}

package org.countersignal.cli.admin;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a command that needs a running server acts: {@code --server URL} with {@code --key}, or
 * the environment, as for {@link Target}, but never a data directory. Exchanges are fetched by
 * the server in the background, so configuring one in a database no server runs on would fetch
 * nothing, and the kinds and their checks live in the running server.
 */
public final class ServerTarget {

  @Option(names = "--server", paramLabel = "URL",
      description = "The running server, e.g. http://localhost:8080 (default: $" + Target.ENV_SERVER + ").")
  String server;

  @Option(names = "--key", paramLabel = "KEY",
      description = "API key for --server (default: $" + Target.ENV_KEY + "; prefer the variable: options show in process lists).")
  String key;

  // Not offered, only recognised: the other admin commands take it, so it is refused with the reason.
  @Option(names = "--data-dir", paramLabel = "DIR", hidden = true)
  Path dataDir;

  /** The server the options (or the environment) name; {@code why} says, on a refused --data-dir, why a server is needed. */
  public HttpBackend open(String why) {
    if (dataDir != null) {
      throw CliException.badInput("--data-dir is not taken here: " + why + "; give --server URL (or $" + Target.ENV_SERVER
          + ") with an API key");
    }
    return Target.server(server, key, "say which server: --server URL (or $" + Target.ENV_SERVER + ") with an API key");
  }
}

package org.countersignal.server.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How one server process runs. Built from defaults, then environment variables, then command-line
 * flags (each later source wins); the command line does the flag part.
 *
 * @param host address to listen on
 * @param port port to listen on; 0 picks a free one (tests)
 * @param dataDir where the embedded database file lives
 * @param maxUploadBytes largest request body accepted
 */
public record ServerConfig(String host, int port, Path dataDir, long maxUploadBytes) {

  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 20L * 1024 * 1024;

  public static final String ENV_PORT = "COUNTERSIGNAL_PORT";
  public static final String ENV_DATA_DIR = "COUNTERSIGNAL_DATA_DIR";
  public static final String ENV_HOST = "COUNTERSIGNAL_HOST";

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (maxUploadBytes <= 0) {
      throw new IllegalArgumentException("maxUploadBytes must be positive");
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig("0.0.0.0", DEFAULT_PORT, DEFAULT_DATA_DIR, DEFAULT_MAX_UPLOAD_BYTES);
  }

  /** Defaults overridden by the {@code COUNTERSIGNAL_*} variables present in {@code env}. */
  public static ServerConfig fromEnvironment(Map<String, String> env) {
    ServerConfig config = defaults();
    String port = env.get(ENV_PORT);
    if (port != null && !port.isBlank()) {
      try {
        config = config.withPort(Integer.parseInt(port.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(ENV_PORT + " is not a port number: " + port, e);
      }
    }
    String dataDir = env.get(ENV_DATA_DIR);
    if (dataDir != null && !dataDir.isBlank()) {
      config = config.withDataDir(Path.of(dataDir.strip()));
    }
    String host = env.get(ENV_HOST);
    if (host != null && !host.isBlank()) {
      config = new ServerConfig(host.strip(), config.port, config.dataDir, config.maxUploadBytes);
    }
    return config;
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, dataDir, maxUploadBytes);
  }

  public ServerConfig withDataDir(Path newDataDir) {
    return new ServerConfig(host, port, newDataDir, maxUploadBytes);
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, dataDir, maxUploadBytes);
  }

  public ServerConfig withMaxUploadBytes(long bytes) {
    return new ServerConfig(host, port, dataDir, bytes);
  }
}

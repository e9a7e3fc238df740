package org.countersignal.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * How one server process runs. Built from defaults, then a configuration file, then environment
 * variables, then command-line flags (each later source wins); the command line does the flag
 * part.
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
  public static final String ENV_CONFIG = "COUNTERSIGNAL_CONFIG";

  /** Keys of the configuration file (Java properties format). */
  static final Set<String> FILE_KEYS = Set.of("host", "port", "data-dir", "max-upload-bytes");

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

  /**
   * {@code base} overridden by a configuration file in Java properties format, e.g.
   * <pre>
   * port = 9000
   * data-dir = /var/lib/countersignal
   * host = 127.0.0.1
   * max-upload-bytes = 10485760
   * </pre>
   * An unknown key is an error rather than ignored: a misspelt setting should not silently keep
   * its default. A relative {@code data-dir} is taken relative to the file's folder.
   */
  public static ServerConfig fromFile(ServerConfig base, Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    ServerConfig config = base;
    for (String key : properties.stringPropertyNames()) {
      if (!FILE_KEYS.contains(key)) {
        throw new IllegalArgumentException(file + ": unknown setting '" + key + "'; known: " + String.join(", ", new java.util.TreeSet<>(FILE_KEYS)));
      }
      String value = properties.getProperty(key).strip();
      try {
        config = switch (key) {
          case "host" -> config.withHost(value);
          case "port" -> config.withPort(Integer.parseInt(value));
          case "data-dir" -> {
            Path dir = Path.of(value);
            Path folder = file.toAbsolutePath().getParent();
            yield config.withDataDir(dir.isAbsolute() || folder == null ? dir : folder.resolve(dir));
          }
          case "max-upload-bytes" -> config.withMaxUploadBytes(Long.parseLong(value));
          default -> throw new IllegalStateException(key);
        };
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(file + ": '" + key + "' is not a whole number: " + value, e);
      }
    }
    return config;
  }

  /** Defaults overridden by the {@code COUNTERSIGNAL_*} variables present in {@code env}. */
  public static ServerConfig fromEnvironment(Map<String, String> env) {
    return fromEnvironment(defaults(), env);
  }

  /** {@code base} overridden by the {@code COUNTERSIGNAL_*} variables present in {@code env}. */
  public static ServerConfig fromEnvironment(ServerConfig base, Map<String, String> env) {
    ServerConfig config = base;
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

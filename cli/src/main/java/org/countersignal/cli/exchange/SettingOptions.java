package org.countersignal.cli.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.countersignal.cli.admin.CliException;
import picocli.CommandLine.Option;

/** The settings {@code exchange create} and {@code exchange update} share; on update, only those given change. */
final class SettingOptions {

  private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  @Option(names = "--config", paramLabel = "JSON",
      description = "The kind's settings, a JSON object, e.g. {\"path\":\"feed\"} for a folder (a folder under the server's"
          + " exchange-folders directory).")
  String config;

  @Option(names = "--config-file", paramLabel = "FILE", description = "The kind's settings from a JSON file.")
  Path configFile;

  @Option(names = "--credentials-file", paramLabel = "FILE",
      description = "The kind's credentials: a JSON object of strings, or name=value lines. Refused unless readable by you"
          + " only (chmod 600). Never on the command line.")
  Path credentialsFile;

  @Option(names = "--map", paramLabel = "TAG=LABEL",
      description = "A source tag and the taxonomy label it becomes (repeatable; on update, replaces the whole map). Tags"
          + " without a label are kept as entity tags.")
  Map<String, String> labelMap;

  @Option(names = "--label", paramLabel = "LABEL",
      description = "A label every entry of the exchange gets (repeatable; on update, replaces the labels).")
  List<String> labels;

  @Option(names = "--trust", paramLabel = "review|trusted",
      description = "review: every match against its entries waits for a reviewer (the default for a new exchange);"
          + " trusted: matches act as the rules say.")
  String trust;

  @Option(names = "--incidents", paramLabel = "ignore|propose|accept",
      description = "What to do with the crisis incidents the source shares (countersignal exchanges): ignore them; propose"
          + " each to a coordinator here (the default); or accept each at once, following its hashes ahead of other exchanges.")
  String incidents;

  @Option(names = "--interval", paramLabel = "SECONDS", description = "Seconds between fetches (10 to 604800; default 300).")
  Integer interval;

  /** The configuration given, or null. */
  JsonNode config() {
    if (config != null && configFile != null) {
      throw CliException.badInput("give --config or --config-file, not both");
    }
    if (config != null) {
      return object(config, "--config");
    }
    if (configFile == null) {
      return null;
    }
    try {
      return object(Files.readString(configFile), configFile.toString());
    } catch (NoSuchFileException e) {
      throw CliException.badInput("no config file " + configFile);
    } catch (IOException e) {
      throw CliException.failed("cannot read " + configFile + ": " + e.getMessage());
    }
  }

  /** The credentials of --credentials-file, or null when it is not given. */
  Map<String, String> credentials(PrintWriter err) {
    return credentialsFile == null ? null : Credentials.fromFile(credentialsFile, err);
  }

  /** Whether any setting is given. */
  boolean any() {
    return config != null || configFile != null || credentialsFile != null || labelMap != null || labels != null || trust != null
        || interval != null || incidents != null;
  }

  private static JsonNode object(String text, String source) {
    JsonNode json;
    try {
      json = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw CliException.badInput(source + " is not JSON: " + e.getOriginalMessage());
    }
    if (json == null || !json.isObject()) {
      throw CliException.badInput(source + " must be a JSON object, e.g. {\"path\":\"feed\"}");
    }
    return json;
  }
}

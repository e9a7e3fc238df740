package org.countersignal.cli.exchange;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.countersignal.cli.admin.CliException;

/**
 * An exchange's credentials, from a file or the environment and never from an option: options
 * show in process lists and shell history. No message here ever quotes what a file or the
 * variable holds, not even where it is malformed, since that text is a secret.
 */
final class Credentials {

  static final String ENV = "COUNTERSIGNAL_EXCHANGE_CREDENTIALS";

  /** The environment; tests replace it. */
  static UnaryOperator<String> environment = System::getenv;

  // Far above any real credentials (the server takes 4000 characters a value): a larger file is the wrong file.
  private static final long MAX_FILE_BYTES = 64 * 1024;
  private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private Credentials() {}

  /**
   * The credentials in {@code file}: a JSON object of strings, or {@code name=value} lines (blank
   * lines and {@code #} comments skipped). Refused when others than its owner may read it; on a
   * file system without POSIX permissions, read with a warning on {@code err}.
   */
  static Map<String, String> fromFile(Path file, PrintWriter err) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        throw CliException.badInput(file + " holds credentials but others may read it (" + PosixFilePermissions.toString(permissions)
            + "); make it readable by you only: chmod 600 " + file);
      }
    } catch (UnsupportedOperationException e) {
      err.println("warning: cannot tell who may read " + file + " on this file system; keep it readable by you only");
    } catch (NoSuchFileException e) {
      throw CliException.badInput("no credentials file " + file);
    } catch (IOException e) {
      throw CliException.failed("cannot read " + file + ": " + e.getMessage());
    }
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw CliException.badInput(file + " is over " + MAX_FILE_BYTES / 1024 + " KiB; is it the credentials file?");
      }
      text = Files.readString(file);
    } catch (CharacterCodingException e) {
      throw CliException.badInput(file + " is not UTF-8 text");
    } catch (IOException e) {
      throw CliException.failed("cannot read " + file + ": " + e.getMessage());
    }
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    return body.strip().startsWith("{") ? json(body, file.toString()) : lines(body, file.toString());
  }

  /** The credentials in $COUNTERSIGNAL_EXCHANGE_CREDENTIALS (a JSON object of strings), or null when it is not set. */
  static Map<String, String> fromEnvironment() {
    String value = environment.apply(ENV);
    return value == null || value.isBlank() ? null : json(value, "$" + ENV);
  }

  private static Map<String, String> json(String text, String source) {
    JsonNode json;
    try {
      json = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the text around the error: only say where it is.
      JsonLocation at = e.getLocation();
      throw CliException.badInput(source + " is not a JSON object of credentials (malformed JSON"
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ")");
    }
    if (json == null || !json.isObject()) {
      throw CliException.badInput(source + " is not a JSON object of credentials, e.g. {\"api_key\": \"...\"}");
    }
    Map<String, String> credentials = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : json.properties()) {
      if (!field.getValue().isTextual()) {
        throw CliException.badInput("credential '" + field.getKey() + "' in " + source + " is not a JSON string");
      }
      credentials.put(field.getKey(), field.getValue().asText());
    }
    return nonEmpty(credentials, source);
  }

  private static Map<String, String> lines(String text, String source) {
    Map<String, String> credentials = new LinkedHashMap<>();
    int number = 0;
    for (String line : text.split("\r?\n", -1)) {
      number++;
      String stripped = line.strip();
      if (stripped.isEmpty() || stripped.startsWith("#")) {
        continue;
      }
      int equals = stripped.indexOf('=');
      if (equals <= 0 || stripped.substring(0, equals).isBlank()) {
        throw CliException.badInput("line " + number + " of " + source + " is not name=value (or a JSON object)");
      }
      String name = stripped.substring(0, equals).strip();
      if (credentials.put(name, stripped.substring(equals + 1).strip()) != null) {
        throw CliException.badInput("credential '" + name + "' is given twice in " + source);
      }
    }
    return nonEmpty(credentials, source);
  }

  private static Map<String, String> nonEmpty(Map<String, String> credentials, String source) {
    if (credentials.isEmpty()) {
      throw CliException.badInput("no credentials in " + source);
    }
    return credentials;
  }
}

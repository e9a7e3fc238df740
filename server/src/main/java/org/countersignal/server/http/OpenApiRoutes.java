package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.COORDINATOR;
import static org.countersignal.server.auth.Role.CURATOR;
import static org.countersignal.server.auth.Role.MATCHER;
import static org.countersignal.server.auth.Role.REVIEWER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.signal.ServerSignalType;

/**
 * {@code GET /api/v1/openapi.json}: the API description, written by hand in
 * {@code openapi.json} and checked against the routes by the tests (every route documented with
 * its roles, nothing documented that is not routed). What depends on the signal types (the list
 * of their names, the bank thresholds and settings with their ranges and defaults) is filled in
 * from the catalogue, so a new type shows up without editing the file.
 */
final class OpenApiRoutes {

  static final String RESOURCE = "/openapi.json";
  /** The names the hand-written file lists wherever a signal type goes; replaced by the catalogue's. */
  private static final List<String> WRITTEN_TYPES = List.of("pdq", "md5", "sha256", "vpdq");

  private final byte[] document;

  OpenApiRoutes(SignalCatalog catalog) {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the server jar");
      }
      ObjectMapper mapper = new ObjectMapper();
      JsonNode tree = mapper.readTree(in);
      fillIn(tree, catalog);
      this.document = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(document),
        ADMIN, CURATOR, MATCHER, AUDITOR, REVIEWER, COORDINATOR);
  }

  private static void fillIn(JsonNode node, SignalCatalog catalog) {
    if (node instanceof ObjectNode object) {
      JsonNode values = object.get("enum");
      if (values instanceof ArrayNode list && sameNames(list)) {
        list.removeAll();
        catalog.names().forEach(list::add);
      }
      JsonNode thresholds = object.get("thresholds");
      if (thresholds instanceof ObjectNode map && "object".equals(map.path("type").asText())) {
        map.put("description", thresholdsDescription(catalog));
      }
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        fillIn(field.getValue(), catalog);
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(item -> fillIn(item, catalog));
    }
  }

  private static boolean sameNames(ArrayNode list) {
    List<String> names = new ArrayList<>();
    list.forEach(item -> names.add(item.asText()));
    return names.equals(WRITTEN_TYPES);
  }

  private static String thresholdsDescription(SignalCatalog catalog) {
    List<String> parts = new ArrayList<>();
    for (ServerSignalType type : catalog.types()) {
      parts.add(type.name() + " 0.." + type.maxThreshold() + " (default " + type.defaultThreshold() + ")");
    }
    List<String> settings = new ArrayList<>();
    for (ServerSignalType.BankSetting setting : catalog.settings()) {
      settings.add(setting.name() + " 0.." + setting.max() + " (default " + setting.defaultValue() + "): " + setting.meaning());
    }
    return "signal type to largest matching distance: " + String.join(", ", parts) + "; and the types' other bank"
        + " settings: " + String.join("; ", settings) + ". A bank without a setting stored uses its default.";
  }
}

package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.countersignal.server.http.ApiServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document describes exactly the routes the server has, with their roles. */
class OpenApiTest {

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static JsonNode document;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    Api api = new Api(server.port());
    String matcher = TestServers.key(api, server.initialAdminKey().orElseThrow(), "matcher");
    Api.Response response = api.get("/api/v1/openapi.json", matcher);
    assertThat(response.status()).as(response.header()).isEqualTo(200);
    document = response.json();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** "GET /api/v1/banks/{id}" to the x-roles of that operation. */
  static Map<String, Set<String>> documented() {
    Map<String, Set<String>> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        Set<String> roles = new TreeSet<>();
        op.getValue().get("x-roles").forEach(r -> roles.add(r.asText()));
        out.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), roles);
      }
    }
    return out;
  }

  @Test
  void everyRouteIsDocumentedWithItsRolesAndNothingElseIs() {
    Map<String, Set<String>> routed = new HashMap<>();
    for (ApiServer.Route route : server.routes()) {
      if (route.path().equals("/console") || route.path().startsWith("/console/")) {
        continue; // the web console's pages: HTML behind a session, not part of the API
      }
      routed.put(route.method() + " " + route.path(), route.roles());
    }
    assertThat(documented()).isEqualTo(routed);
  }

  @Test
  void everyOperationButHealthNeedsAKeyAndDocumentsTheRefusals() {
    assertThat(document.get("openapi").asText()).startsWith("3.1");
    assertThat(document.get("security").get(0).has("apiKey")).isTrue();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fields().forEachRemaining(op -> {
        JsonNode responses = op.getValue().get("responses");
        // HMA's status checks are health checks under HMA's paths.
        if (!path.getKey().startsWith("/health/") && !path.getKey().startsWith("/status")) {
          assertThat(op.getValue().has("security")).as("%s %s uses the global key requirement", op.getKey(), path.getKey()).isFalse();
          assertThat(responses.has("401") && responses.has("403")).as("%s %s", op.getKey(), path.getKey()).isTrue();
        } else {
          assertThat(op.getValue().get("security")).as("%s is public", path.getKey()).isEmpty();
        }
      });
    }
  }

  @Test
  void everyReferenceResolves() {
    Set<String> refs = new TreeSet<>();
    collectRefs(document, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      // Schemas and the response headers every answer may carry: components of this document, none elsewhere.
      assertThat(ref).matches("#/components/(schemas|headers)/[^/]+");
      assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
  }

  private static void collectRefs(JsonNode node, Set<String> refs) {
    if (node.isObject()) {
      if (node.has("$ref")) {
        refs.add(node.get("$ref").asText());
      }
      node.forEach(child -> collectRefs(child, refs));
    } else if (node.isArray()) {
      node.forEach(child -> collectRefs(child, refs));
    }
  }
}

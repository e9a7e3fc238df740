package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;
import static org.countersignal.server.auth.Role.CURATOR;
import static org.countersignal.server.auth.Role.MATCHER;
import static org.countersignal.server.auth.Role.REVIEWER;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.json}: the API description, written by hand in
 * {@code openapi.json} and checked against the routes by the tests (every route documented with
 * its roles, nothing documented that is not routed).
 */
final class OpenApiRoutes {

  static final String RESOURCE = "/openapi.json";

  private final byte[] document;

  OpenApiRoutes() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the server jar");
      }
      this.document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(document),
        ADMIN, CURATOR, MATCHER, AUDITOR, REVIEWER);
  }
}

package org.countersignal.server.auth;

import io.javalin.security.RouteRole;
import java.util.Locale;

/**
 * What an API key may do. Each route lists the roles it admits; there is no hierarchy beyond
 * admin being listed on every route, so a route's permissions can be read off its declaration.
 */
public enum Role implements RouteRole {
  /** Everything, including keys. */
  ADMIN,
  /** Banks and entries: create, change, disable, delete; read them. */
  CURATOR,
  /** Hash and match only. */
  MATCHER,
  /** Read-only: banks, entries, keys (never the secrets) and the audit log. */
  AUDITOR,
  /** Works the review queue: claims cases and decides them and appeals; reads banks. */
  REVIEWER,
  /** Another instance: reads the pages of the feeds it is a peer of, nothing else. */
  PEER,
  /**
   * Runs crisis incidents: declares them, changes their level and status, fills their banks,
   * accepts those peers share; reads banks, rules and exchanges.
   */
  COORDINATOR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code text} (any case), or null. */
  public static Role fromWire(String text) {
    if (text == null) {
      return null;
    }
    for (Role role : values()) {
      if (role.wireName().equalsIgnoreCase(text.strip())) {
        return role;
      }
    }
    return null;
  }
}

package org.countersignal.server.auth;

import java.util.EnumMap;
import java.util.Map;

/**
 * Each role's default rate, for keys without one of their own. Matcher and admin keys are the
 * ones platforms and benchmarks drive hard: their defaults sit above what one server has been
 * measured to answer from one key (docs/BENCHMARKS.md, about 11,000 lookups a second on two
 * cores), so they stop a runaway client without throttling honest traffic. People's roles
 * (curators, reviewers, auditors) get far less.
 */
public record RateLimits(Map<Role, RateLimit> byRole) {

  public static final RateLimits DEFAULT = new RateLimits(Map.of(
      Role.ADMIN, new RateLimit(20_000, 40_000),
      Role.MATCHER, new RateLimit(20_000, 40_000),
      Role.CURATOR, new RateLimit(1_000, 2_000),
      Role.REVIEWER, new RateLimit(100, 200),
      Role.AUDITOR, new RateLimit(100, 200),
      // Another instance following a feed asks about three times for each change it takes (the
      // wait for updates, the page, the empty page after it): a hundred a second throttled
      // subscribers of a busy feed, whose retry then came ten seconds late.
      Role.PEER, new RateLimit(1_000, 2_000),
      // A coordinator fills an incident's bank during a crisis, hundreds of hashes at a time: as a curator.
      Role.COORDINATOR, new RateLimit(1_000, 2_000)));

  public RateLimits {
    EnumMap<Role, RateLimit> all = new EnumMap<>(Role.class);
    all.putAll(byRole);
    for (Role role : Role.values()) {
      if (!all.containsKey(role)) {
        throw new IllegalArgumentException("no rate limit for the " + role.wireName() + " role");
      }
    }
    byRole = Map.copyOf(all);
  }

  public RateLimit of(Role role) {
    return byRole.get(role);
  }

  /**
   * These defaults overridden by {@code matcher=5000/10000, curator=200, admin=unlimited}: per
   * role, tokens a second and optionally the burst (two seconds' worth if left out).
   */
  public RateLimits with(String text) {
    EnumMap<Role, RateLimit> changed = new EnumMap<>(byRole);
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] roleAndRate = part.split("=", 2);
      Role role = Role.fromWire(roleAndRate[0]);
      if (role == null || roleAndRate.length < 2) {
        throw new IllegalArgumentException("rate-limits are written role=rate[/burst], e.g. matcher=20000/40000; got '" + part.strip() + "'");
      }
      changed.put(role, parse(roleAndRate[1].strip()));
    }
    return new RateLimits(changed);
  }

  private static RateLimit parse(String text) {
    if (text.equalsIgnoreCase("unlimited")) {
      return RateLimit.UNLIMITED;
    }
    String[] parts = text.split("/", 2);
    try {
      return RateLimit.of(Double.parseDouble(parts[0].strip()), parts.length > 1 ? Long.valueOf(parts[1].strip()) : null);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rate-limits: a rate is a number a second and optionally /burst, or 'unlimited'; got '" + text + "'", e);
    }
  }

  /** {@code admin=20000/40000, curator=...}: the form {@link #with} reads. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (Role role : Role.values()) {
      text.append(text.isEmpty() ? "" : ", ").append(role.wireName()).append('=').append(byRole.get(role));
    }
    return text.toString();
  }
}

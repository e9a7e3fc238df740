package org.countersignal.server.console;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slows password guessing: after {@link #LIMIT} failed sign-ins for one username, or
 * {@link #ADDRESS_LIMIT} from one address (higher: an office may share one), within
 * {@link #WINDOW}, further tries are refused until the window has passed since the last failure. Kept per server process (each replica counts its own tries), which bounds a
 * guesser to a handful of tries per replica per window against passwords of 12 characters or more.
 */
final class SignInThrottle {

  static final int LIMIT = 10;
  static final int ADDRESS_LIMIT = 50;
  static final Duration WINDOW = Duration.ofMinutes(15);

  private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder()
      .expireAfterWrite(WINDOW)
      .maximumSize(100_000)
      .build();

  boolean blocked(String username, String address) {
    return count("user:" + username) >= LIMIT || count("addr:" + address) >= ADDRESS_LIMIT;
  }

  /** Counts a failure; true when it is the one that locks the username or the address out. */
  boolean failed(String username, String address) {
    int forUser = bump("user:" + username);
    int forAddress = bump("addr:" + address);
    return forUser == LIMIT || forAddress == ADDRESS_LIMIT;
  }

  void succeeded(String username) {
    failures.invalidate("user:" + username);
  }

  private int count(String key) {
    AtomicInteger n = failures.getIfPresent(key);
    return n == null ? 0 : n.get();
  }

  private int bump(String key) {
    AtomicInteger n = failures.get(key, k -> new AtomicInteger());
    int count = n.incrementAndGet();
    failures.put(key, n); // restarts the window at each failure
    return count;
  }
}

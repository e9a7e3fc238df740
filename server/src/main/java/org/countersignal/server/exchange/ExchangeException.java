package org.countersignal.server.exchange;

/**
 * A source that failed: unreachable, too slow, an error status, a page that does not parse. The
 * fetch stops, what was applied stays applied, the exchange's status records the message, and
 * the next fetch resumes from the last stored checkpoint.
 */
public class ExchangeException extends RuntimeException {

  public ExchangeException(String message) {
    super(message);
  }

  public ExchangeException(String message, Throwable cause) {
    super(message, cause);
  }
}

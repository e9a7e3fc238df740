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

  /**
   * The source can no longer continue from the checkpoint (it compacted its history past it):
   * the checkpoint is dropped and the exchange fetches everything again at once, removing at the
   * end what the source no longer has.
   */
  public static final class FromStart extends ExchangeException {
    public FromStart(String message) {
      super(message);
    }
  }
}

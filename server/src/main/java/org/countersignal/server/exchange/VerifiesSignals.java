package org.countersignal.server.exchange;

import java.util.List;
import java.util.Map;

/**
 * A kind whose source can say whether given signals are of content it has verified (Tech Against
 * Terrorism's hash verification): asked on demand, for a match a reviewer wants confirmed.
 *
 * @param <C> the kind's configuration
 */
public interface VerifiesSignals<C extends Record> {

  /**
   * The source's verdict on each signal, in the order given.
   *
   * @throws ExchangeException when the source refuses or cannot be reached
   */
  List<Verdict> verify(C config, Map<String, String> credentials, List<SignalKey> signals, ExchangeContext context);

  /**
   * @param verified whether the source knows the signal as verified content
   * @param detail what the source says beyond that (its classification, its confidence), may be null
   */
  record Verdict(SignalKey signal, boolean verified, String detail) {}
}

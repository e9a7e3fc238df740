package org.countersignal.server.exchange.tat;

import java.util.Locale;
import org.countersignal.server.signal.PdqType;
import org.countersignal.signals.MalformedSignalException;
import org.countersignal.signals.digest.DigestSignalType;
import org.countersignal.signals.pdq.PdqHash;

/**
 * Tech Against Terrorism's hash types (the hash list's {@code algorithm}, verification's
 * {@code hash_type}) and ours. It also carries SHA-512 and TMK (a video hash), which this service
 * does not match: records of those are reported, not banked.
 */
final class TatSignals {

  static final String MATCHED = "MD5, SHA256, PDQ";

  private TatSignals() {}

  /**
   * Our type for one of the source's, or null for a type we do not match. The source writes
   * {@code SHA256}; {@code SHA-256} and lower case are read alike, since nothing else could be meant.
   */
  static String ourType(String tatType) {
    String name = tatType == null ? "" : tatType.strip().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
    return switch (name) {
      case "MD5" -> DigestSignalType.MD5.name();
      case "SHA256" -> DigestSignalType.SHA256.name();
      case "PDQ" -> PdqType.NAME;
      default -> null;
    };
  }

  /** The source's name for one of our types, or null when the source has no hashes of it. */
  static String tatType(String ourType) {
    if (DigestSignalType.MD5.name().equals(ourType)) {
      return "MD5";
    }
    if (DigestSignalType.SHA256.name().equals(ourType)) {
      return "SHA256";
    }
    return PdqType.NAME.equals(ourType) ? "PDQ" : null;
  }

  /**
   * A hash of one of our types in its canonical text form (lower-case hex), so the same hash
   * written in upper case by the source is the same signal.
   *
   * @throws MalformedSignalException when it is not a hash of that type
   */
  static String canonical(String ourType, String hash) {
    if (PdqType.NAME.equals(ourType)) {
      return PdqHash.fromHex(hash).toHex();
    }
    DigestSignalType digest = DigestSignalType.MD5.name().equals(ourType) ? DigestSignalType.MD5 : DigestSignalType.SHA256;
    return digest.format(digest.parse(hash));
  }
}

package org.countersignal.server.hma;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.countersignal.server.bank.Bank;
import org.countersignal.server.bank.Entry;

/**
 * How HMA's clients name what this service holds. HMA allows bank names of upper-case letters,
 * digits and underscores only, and its clients store and send those names; a bank whose name
 * breaks that rule is given an alias that keeps it (upper case, other characters as
 * underscores, and the bank's id after it when two banks would share one). HMA calls the MD5 of
 * a video {@code video_md5}; here every content's MD5 is {@code md5}, and a video entry's is
 * shown under HMA's name.
 */
public final class HmaNames {

  /** HMA's rule for a bank name. */
  public static final Pattern BANK_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");

  /** HMA's name for the MD5 of a video file. */
  public static final String VIDEO_MD5 = org.countersignal.server.exchange.FieldSignals.VIDEO_MD5;

  private HmaNames() {}

  /** Each bank by the name HMA's clients use for it, in id order. */
  public static Map<String, Bank> byHmaName(List<Bank> banks) {
    Map<String, Bank> named = new LinkedHashMap<>();
    // Names that already follow HMA's rule keep them, whatever aliases the others would get.
    for (Bank bank : banks) {
      if (BANK_NAME.matcher(bank.name()).matches()) {
        named.put(bank.name(), bank);
      }
    }
    for (Bank bank : banks) {
      if (!BANK_NAME.matcher(bank.name()).matches()) {
        String alias = alias(bank.name());
        named.put(named.containsKey(alias) ? alias + "_" + bank.id() : alias, bank);
      }
    }
    return named;
  }

  /** The name HMA's clients use for {@code bank}. */
  public static String hmaName(Bank bank, List<Bank> all) {
    for (Map.Entry<String, Bank> named : byHmaName(all).entrySet()) {
      if (named.getValue().id() == bank.id()) {
        return named.getKey();
      }
    }
    throw new IllegalStateException("bank " + bank.id() + " is not among the banks given");
  }

  private static String alias(String name) {
    StringBuilder alias = new StringBuilder();
    for (char c : name.toUpperCase(Locale.ROOT).toCharArray()) {
      alias.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
    }
    return Character.isDigit(alias.charAt(0)) ? "_" + alias : alias.toString();
  }

  /** This service's signal type for a type name an HMA client sends. */
  public static String ourType(String hmaType) {
    return VIDEO_MD5.equals(hmaType) ? "md5" : hmaType;
  }

  /** The signals of an entry under HMA's type names. */
  public static Map<String, String> hmaSignals(Map<String, String> signals) {
    boolean video = signals.containsKey("vpdq");
    Map<String, String> named = new LinkedHashMap<>();
    signals.forEach((type, value) -> named.put(video && "md5".equals(type) ? VIDEO_MD5 : type, value));
    return named;
  }

  /**
   * HMA's {@code disable_until_ts} of an entry: 1 while it matches, 0 when it is disabled until
   * someone enables it, else the Unix time at which it matches again.
   */
  public static long disableUntilTs(Entry entry) {
    if (entry.enabled()) {
      return 1;
    }
    return entry.disabledUntil() == null ? 0 : Instant.parse(entry.disabledUntil()).getEpochSecond();
  }
}

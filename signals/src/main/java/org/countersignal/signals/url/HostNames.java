package org.countersignal.signals.url;

import com.ibm.icu.text.IDNA;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.countersignal.signals.ContentException;
import org.countersignal.signals.ContentException.Reason;

/**
 * Host names to ASCII by IDNA2008 as browsers apply it: UTS 46 nontransitional processing with
 * the Bidi and CONTEXTJ checks (the WHATWG URL standard's settings). Nontransitional means
 * {@code ß}, final {@code ς} and joiners stay in the name rather than being mapped away as
 * IDNA2003 did, so {@code faß.de} is {@code xn--fa-hia.de}, the host a browser visits, not
 * {@code fass.de}.
 */
final class HostNames {

  private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
      | IDNA.NONTRANSITIONAL_TO_UNICODE | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ);

  // Browsers skip the hyphen checks (CheckHyphens=false), and live hosts rely on it:
  // r3---sn-4g5e6nz7.googlevideo.com, -name.blogspot.com.
  private static final Set<IDNA.Error> TOLERATED =
      EnumSet.of(IDNA.Error.LEADING_HYPHEN, IDNA.Error.TRAILING_HYPHEN, IDNA.Error.HYPHEN_3_4);

  private HostNames() {}

  /** The lowercase ASCII (punycode) form of a host name without a trailing dot. */
  static String toAscii(String host) throws ContentException {
    IDNA.Info info = new IDNA.Info();
    StringBuilder ascii = new StringBuilder(host.length() + 8);
    UTS46.nameToASCII(host, ascii, info);
    Set<IDNA.Error> errors = EnumSet.noneOf(IDNA.Error.class);
    errors.addAll(info.getErrors());
    errors.removeAll(TOLERATED);
    if (!errors.isEmpty()) {
      throw new ContentException(Reason.CORRUPT,
          "URL host is not a valid domain name (IDNA2008): " + explain(errors.iterator().next()));
    }
    return ascii.toString();
  }

  private static String explain(IDNA.Error error) {
    return switch (error) {
      case LEADING_COMBINING_MARK -> "a label starts with a combining mark";
      case CONTEXTJ -> "a zero-width joiner or non-joiner stands where no script needs one";
      case BIDI -> "right-to-left and left-to-right text are mixed in a way the Bidi rule forbids";
      case DISALLOWED -> "it has a character that host names may not contain";
      case PUNYCODE, INVALID_ACE_LABEL -> "an xn-- label is not valid punycode";
      case EMPTY_LABEL -> "it has an empty label";
      case LABEL_TOO_LONG -> "a label is longer than 63 characters";
      case DOMAIN_NAME_TOO_LONG -> "it is longer than 253 characters";
      default -> error.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }
}

package org.countersignal.server.exchange.threatexchange;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.countersignal.server.exchange.FieldSignals;
import org.countersignal.server.signal.PdqType;
import org.countersignal.server.signal.TextType;
import org.countersignal.server.signal.UrlType;
import org.countersignal.signals.digest.DigestSignalType;
import org.countersignal.signals.pdq.PdqHash;
import org.countersignal.signals.url.UrlPattern;

/**
 * The ThreatExchange indicator types this service can bank, and the signal type of the field's
 * vocabulary ({@link FieldSignals}) each one is; python-threatexchange's signal types declare the
 * same pairs. Other types (IP addresses, TMK video hashes, ...) are not asked for.
 *
 * <p>ThreatExchange's plain digests ({@code HASH_MD5}, {@code HASH_SHA256}) are taken alongside its
 * video ones: python-threatexchange reads them as a video's only when tagged
 * {@code media_type_video}, since it keeps video digests apart, but our digest signals are of any
 * file's bytes, and a digest matches only those bytes whatever they are.
 *
 * <p>Only the types in Meta's published IndicatorType list are asked for by name: the Graph API may
 * refuse a whole request over a {@code types} value it does not know. The others here, known from
 * python-threatexchange, are read whenever a source sends them anyway.
 */
enum IndicatorType {
  HASH_PDQ(PdqType.NAME, true),
  HASH_MD5(FieldSignals.VIDEO_MD5, true),
  HASH_VIDEO_MD5(FieldSignals.VIDEO_MD5, true),
  HASH_SHA256(FieldSignals.VIDEO_SHA256, true),
  HASH_VIDEO_SHA256(FieldSignals.VIDEO_SHA256, false),
  URI(UrlType.NAME, true),
  RAW_URI(UrlType.NAME, false),
  /** A URL written so it cannot be clicked: {@code [h]ttps://...}, sometimes {@code evil[.]example}. */
  UNCLICKABLE_URL(UrlType.NAME, false),
  TEXT_STRING(FieldSignals.RAW_TEXT, true);

  private final String fieldType;
  private final boolean published;

  IndicatorType(String fieldType, boolean published) {
    this.fieldType = fieldType;
    this.published = published;
  }

  /** The value of the {@code types} parameter: the published types this service banks. */
  static String requested() {
    return Arrays.stream(values()).filter(t -> t.published).map(Enum::name).collect(Collectors.joining(","));
  }

  /** Every type this service banks, to name in a refusal. */
  static String banked() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }

  static Optional<IndicatorType> named(String name) {
    return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
  }

  /**
   * The indicator types whose indicator text can be written from our signal of {@code ourType}, to
   * look a signal up by. Not the unclickable URL form, nor text: our text signal is a sketch of
   * the text, which is not kept.
   */
  static List<IndicatorType> writing(String ourType) {
    return Arrays.stream(values())
        .filter(t -> t != UNCLICKABLE_URL && t != TEXT_STRING && t.ourType().equals(ourType))
        .toList();
  }

  /** Our signal type name for this indicator type. */
  String ourType() {
    return switch (this) {
      case HASH_PDQ -> PdqType.NAME;
      case HASH_MD5, HASH_VIDEO_MD5 -> DigestSignalType.MD5.name();
      case HASH_SHA256, HASH_VIDEO_SHA256 -> DigestSignalType.SHA256.name();
      case URI, RAW_URI, UNCLICKABLE_URL -> UrlType.NAME;
      case TEXT_STRING -> TextType.NAME;
    };
  }

  /**
   * The indicator as our signal in its canonical text form (so an update and a later deletion of it
   * name the same signal, however the source spelt them).
   *
   * @throws IllegalArgumentException with the reason, when the indicator is not of this type's form
   */
  String toOurs(String indicator) {
    FieldSignals.Ours ours = FieldSignals.toOurs(fieldType, clickable(indicator));
    if (ours.error() != null) {
      throw new IllegalArgumentException(ours.error());
    }
    String value = ours.value();
    return switch (this) {
      case HASH_PDQ -> PdqHash.fromHex(value).toHex();
      case HASH_MD5, HASH_VIDEO_MD5 -> DigestSignalType.MD5.parse(value).hex();
      case HASH_SHA256, HASH_VIDEO_SHA256 -> DigestSignalType.SHA256.parse(value).hex();
      case URI, RAW_URI, UNCLICKABLE_URL -> UrlPattern.parse(value).text();
      // Already our text signal: the field's text, hashed.
      case TEXT_STRING -> value;
    };
  }

  private String clickable(String indicator) {
    if (this != UNCLICKABLE_URL) {
      return indicator;
    }
    String url = indicator.strip();
    if (url.toLowerCase(Locale.ROOT).startsWith("[h]")) {
      url = "h" + url.substring(3);
    }
    return url.replace("[.]", ".");
  }
}

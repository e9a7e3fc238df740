package org.countersignal.server.statement;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the operator says once for every statement of reasons, because no record holds it: the
 * ground relied on when no label names one, the texts of the legal and the contractual ground, a
 * link to the terms, and where the restrictions apply.
 *
 * @param ground the ground when no label of the content names one ({@code statement-ground}:
 *     {@code illegal}, the default, or {@code terms})
 * @param legalGround {@code illegal_content_legal_ground} ({@code statement-legal-ground})
 * @param termsGround {@code incompatible_content_ground} ({@code statement-terms-ground})
 * @param termsUrl {@code decision_ground_reference_url} of statements on the terms, or null
 *     ({@code statement-terms-url})
 * @param territorialScope {@code territorial_scope}: EU and EEA country codes, every one of them
 *     by default ({@code statement-territorial-scope})
 */
public record StatementSettings(DecisionGround ground, String legalGround, String termsGround, String termsUrl, List<String> territorialScope) {

  /** The codes the Transparency Database accepts: the EU's 27 Member States (Greece as GR) and Iceland, Liechtenstein, Norway. */
  public static final List<String> EU_EEA = List.of("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
      "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK");

  /** The database's limit on the ground texts and the reference URL. */
  static final int MAX_GROUND = 500;

  public static final StatementSettings DEFAULT = new StatementSettings(DecisionGround.DECISION_GROUND_ILLEGAL_CONTENT,
      "Regulation (EU) 2021/784 on addressing the dissemination of terrorist content online, Art. 2(7)",
      "Terms and conditions: terrorist and violent extremist content", null, EU_EEA);

  public StatementSettings {
    if (ground == null) {
      throw new IllegalArgumentException("statement-ground is 'illegal' or 'terms'");
    }
    legalGround = ground("statement-legal-ground", legalGround);
    termsGround = ground("statement-terms-ground", termsGround);
    if (termsUrl != null) {
      termsUrl = termsUrl.strip();
      if (termsUrl.isEmpty()) {
        termsUrl = null;
      } else if (termsUrl.length() > MAX_GROUND || !isWebAddress(termsUrl)) {
        throw new IllegalArgumentException("statement-terms-url is an http or https URL of at most " + MAX_GROUND + " characters, got: " + termsUrl);
      }
    }
    if (territorialScope == null || territorialScope.isEmpty()) {
      throw new IllegalArgumentException("statement-territorial-scope names at least one EU or EEA country code");
    }
    territorialScope = List.copyOf(territorialScope);
  }

  public StatementSettings withGround(String text) {
    return new StatementSettings(DecisionGround.fromSetting(text), legalGround, termsGround, termsUrl, territorialScope);
  }

  public StatementSettings withLegalGround(String text) {
    return new StatementSettings(ground, text, termsGround, termsUrl, territorialScope);
  }

  public StatementSettings withTermsGround(String text) {
    return new StatementSettings(ground, legalGround, text, termsUrl, territorialScope);
  }

  public StatementSettings withTermsUrl(String text) {
    return new StatementSettings(ground, legalGround, termsGround, text, territorialScope);
  }

  /** Parses {@code statement-territorial-scope}: {@code eu-eea}, or country codes separated by commas (e.g. {@code DE,AT}). */
  public StatementSettings withTerritorialScope(String text) {
    String given = text.strip();
    if ("eu-eea".equalsIgnoreCase(given)) {
      return new StatementSettings(ground, legalGround, termsGround, termsUrl, EU_EEA);
    }
    List<String> codes = new ArrayList<>();
    for (String part : given.split(",")) {
      String code = part.strip().toUpperCase(Locale.ROOT);
      if (!EU_EEA.contains(code)) {
        throw new IllegalArgumentException("statement-territorial-scope: '" + part.strip() + "' is not an EU or EEA country code "
            + "(Greece is GR); use eu-eea for all of them");
      }
      if (!codes.contains(code)) {
        codes.add(code);
      }
    }
    return new StatementSettings(ground, legalGround, termsGround, termsUrl, codes);
  }

  private static String ground(String setting, String text) {
    String given = text == null ? "" : text.strip();
    if (given.isEmpty() || given.length() > MAX_GROUND) {
      throw new IllegalArgumentException(setting + " is a text of 1 to " + MAX_GROUND + " characters");
    }
    return given;
  }

  private static boolean isWebAddress(String text) {
    try {
      URI uri = new URI(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}

package org.countersignal.server.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The words a platform uses to say content deserves a person's judgement: the context it was
 * posted in (a news report may show what it reports on) and what the platform has verified of
 * the account that posted it. Content with either is never removed by a rule alone: every action
 * waits for a reviewer, during an incident too (the TCO regulation's Art. 1(3) exempts material
 * disseminated for educational, journalistic, artistic or research purposes, or to counter
 * terrorism). Rules may also name them as conditions.
 */
public final class Protected {

  /** Contexts content may be posted in. */
  public static final Set<String> CONTEXTS = Set.of("news", "documentary", "research", "education", "art", "counter_speech");

  /**
   * What the platform verified of an account: of public interest (a verification mark means that,
   * not endorsement), a news organisation, a researcher, a government, civil society.
   */
  public static final Set<String> ACCOUNT_ATTRIBUTES = Set.of("public_interest", "news_organisation", "researcher", "government",
      "civil_society");

  private Protected() {}

  /** {@code given} as the canonical word (lower case, {@code _} for {@code -}), or null when it is not one of {@code words}. */
  static String word(String given, Set<String> words) {
    if (given == null) {
      return null;
    }
    String word = given.strip().toLowerCase(Locale.ROOT).replace('-', '_');
    return words.contains(word) ? word : null;
  }

  /** The context {@code given} names; null for null. */
  public static String context(String given, String field) {
    if (given == null) {
      return null;
    }
    String word = word(given, CONTEXTS);
    if (word == null) {
      throw invalid(field, given, CONTEXTS, "leave it out for content posted in no such context");
    }
    return word;
  }

  /** The account attributes {@code given} names, each once and sorted; null for null or none. */
  public static List<String> accountAttributes(List<String> given, String field) {
    if (given == null || given.isEmpty()) {
      return null;
    }
    Set<String> words = new TreeSet<>();
    for (int i = 0; i < given.size(); i++) {
      String word = word(given.get(i), ACCOUNT_ATTRIBUTES);
      if (word == null) {
        throw invalid(field + "[" + i + "]", given.get(i), ACCOUNT_ATTRIBUTES, "what the platform has verified of the account");
      }
      words.add(word);
    }
    return new ArrayList<>(words);
  }

  private static org.countersignal.server.RequestException invalid(String field, String given, Set<String> words, String hint) {
    return org.countersignal.server.RequestException.invalid(field, "'" + given + "' is not one of "
        + String.join(", ", new TreeSet<>(words)) + " (" + hint + ")");
  }
}

package org.countersignal.server.bank;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.jdbi.v3.core.Jdbi;

/**
 * The content labels banks and entries may carry, as seeded in the {@code labels} table. Entity
 * tags (who is behind the content) are free text and checked only for shape.
 */
public final class LabelTaxonomy {

  private static final int MAX_TAG_LENGTH = 100;
  private static final int MAX_TAGS = 50;

  private final Set<String> labels;

  public LabelTaxonomy(Jdbi jdbi) {
    this.labels = Set.copyOf(jdbi.withHandle(h -> h.createQuery("SELECT name FROM labels ORDER BY name").mapTo(String.class).list()));
  }

  public Set<String> labels() {
    return labels;
  }

  /** The labels, checked against the taxonomy, without duplicates, in the given order. */
  public List<String> checkLabels(List<String> given, String field) {
    if (given == null) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < given.size(); i++) {
      String label = given.get(i);
      if (label == null || !labels.contains(label)) {
        throw RequestException.invalid(field + "[" + i + "]", "unknown label '" + label + "'; known: " + String.join(", ", new java.util.TreeSet<>(labels)));
      }
      out.add(label);
    }
    return new ArrayList<>(out);
  }

  /** Entity tags: non-blank, at most 100 characters, at most 50, trimmed, without duplicates. */
  public static List<String> checkEntities(List<String> given, String field) {
    if (given == null) {
      return List.of();
    }
    if (given.size() > MAX_TAGS) {
      throw RequestException.invalid(field, "at most " + MAX_TAGS + " entity tags");
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < given.size(); i++) {
      String tag = given.get(i) == null ? "" : given.get(i).strip();
      if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
        throw RequestException.invalid(field + "[" + i + "]", "an entity tag has 1 to " + MAX_TAG_LENGTH + " characters");
      }
      out.add(tag);
    }
    return new ArrayList<>(out);
  }
}

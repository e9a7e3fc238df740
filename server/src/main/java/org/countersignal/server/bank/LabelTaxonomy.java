package org.countersignal.server.bank;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.RequestException;
import org.countersignal.server.TextFields;
import org.jdbi.v3.core.Jdbi;

/**
 * The content labels banks and entries may carry: the {@code labels} table, seeded with
 * GIFCT-style labels, to which admins add their own. Labels are never deleted (entries, audit
 * records and reports keep referring to them). Entity tags (who is behind the content) are free
 * text and checked only for shape.
 *
 * <p>The names are cached; a name not in the cache is looked up again before it is refused, so
 * a label added through another replica is known at once.
 */
public final class LabelTaxonomy {

  /** One label of the taxonomy. */
  public record Label(String name, String description) {}

  private static final int MAX_TAG_LENGTH = 100;
  private static final int MAX_TAGS = 50;
  private static final int MAX_DESCRIPTION = 500;
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{1,63}");

  private final Jdbi jdbi;
  private volatile Set<String> labels;

  public LabelTaxonomy(Jdbi jdbi) {
    this.jdbi = jdbi;
    reload();
  }

  private Set<String> reload() {
    Set<String> names = Set.copyOf(jdbi.withHandle(h -> h.createQuery("SELECT name FROM labels").mapTo(String.class).list()));
    labels = names;
    return names;
  }

  public Set<String> labels() {
    return labels;
  }

  private boolean known(String label) {
    return labels.contains(label) || reload().contains(label);
  }

  /** Every label, by name. */
  public List<Label> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT name, description FROM labels ORDER BY name")
        .map((rs, ctx) -> new Label(rs.getString("name"), rs.getString("description")))
        .list());
  }

  /** Adds a label to the taxonomy (audited); 409 if the name is taken. */
  public Label create(Principal actor, String name, String description) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw RequestException.invalid("name", "a label name is 2 to 64 characters: a-z first, then a-z, 0-9 or _");
    }
    Label label = new Label(name, checkedDescription(description));
    jdbi.useTransaction(h -> {
      if (h.createQuery("SELECT COUNT(*) FROM labels WHERE name = :name").bind("name", name).mapTo(Integer.class).one() > 0) {
        throw new RequestException(RequestException.Kind.CONFLICT, "name", "the label '" + name + "' exists");
      }
      h.createUpdate("INSERT INTO labels (name, description) VALUES (:name, :description)")
          .bind("name", name)
          .bind("description", label.description())
          .execute();
      AuditLog.append(h, actor.keyId(), "label.created", "label", name, null, label);
    });
    reload();
    return label;
  }

  /** Changes a label's description (audited); names do not change, entries refer to them. */
  public Label update(Principal actor, String name, String description) {
    Label after = new Label(name, checkedDescription(description));
    jdbi.useTransaction(h -> {
      Label before = h.createQuery("SELECT name, description FROM labels WHERE name = :name FOR UPDATE")
          .bind("name", name)
          .map((rs, ctx) -> new Label(rs.getString("name"), rs.getString("description")))
          .findOne()
          .orElseThrow(() -> RequestException.notFound("label", name));
      h.createUpdate("UPDATE labels SET description = :description WHERE name = :name")
          .bind("name", name)
          .bind("description", after.description())
          .execute();
      AuditLog.append(h, actor.keyId(), "label.updated", "label", name, before, after);
    });
    return after;
  }

  private static String checkedDescription(String description) {
    if (description == null || description.isBlank() || description.length() > MAX_DESCRIPTION) {
      throw RequestException.invalid("description", "say what the label means, in 1 to " + MAX_DESCRIPTION + " characters");
    }
    return TextFields.paragraphs(description.strip(), "description");
  }

  /** The labels, checked against the taxonomy, without duplicates, in the given order. */
  public List<String> checkLabels(List<String> given, String field) {
    if (given == null) {
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < given.size(); i++) {
      String label = given.get(i);
      if (label == null || !known(label)) {
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
      out.add(TextFields.line(tag, field + "[" + i + "]"));
    }
    return new ArrayList<>(out);
  }
}

package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.audit.AuditEvent;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.Bank;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.Entry;
import org.countersignal.server.bank.EntryFilter;
import org.countersignal.server.bank.EntryOpinions;
import org.countersignal.server.bank.EntryPage;
import org.countersignal.server.bank.EntryService;

/**
 * A bank's page, with its entries searched and paged, and an entry's page: its signals, note,
 * provenance, state, history and what the peers of its feeds said of it. Read-only; the roles
 * are those that may read the same through the API.
 */
public final class BankEntryPages {

  /** Who may see a bank's details: who may read banks through the API. */
  static final Set<Role> BANK_READERS = Set.of(Role.ADMIN, Role.CURATOR, Role.AUDITOR, Role.REVIEWER, Role.COORDINATOR);
  /** Who may see its entries: who may read entries through the API (reviewers may not). */
  static final Set<Role> ENTRY_READERS = Set.of(Role.ADMIN, Role.CURATOR, Role.AUDITOR, Role.COORDINATOR);

  static final int DEFAULT_PAGE = 50;
  static final int MAX_PAGE = 200;
  /** How many entries one page of a narrowed search looks through (see {@link EntryService#browse}). */
  static final int WINDOW = 10_000;
  /** An entry's history shows its latest changes, this many. */
  static final int HISTORY = 50;
  /** A signal value longer than this (a text's sketches) is folded away until asked for. */
  static final int FOLD_CHARS = 120;

  /** Which entries a state choice keeps. */
  enum EntryState {
    ANY("any", null), ENABLED("enabled", true), DISABLED("disabled", false);

    final String word;
    final Boolean enabled;

    EntryState(String word, Boolean enabled) {
      this.word = word;
      this.enabled = enabled;
    }

    static EntryState of(String word) {
      for (EntryState state : values()) {
        if (state.word.equals(word)) {
          return state;
        }
      }
      return ANY;
    }
  }

  /** The search as entered, shown again in the form. */
  record Search(String type, String label, EntryState state, String text, int size) {

    static Search from(Context ctx) {
      String size = ctx.queryParam("size");
      int n = DEFAULT_PAGE;
      try {
        n = size == null || size.isBlank() ? DEFAULT_PAGE : Math.clamp(Integer.parseInt(size.strip()), 1, MAX_PAGE);
      } catch (NumberFormatException e) {
        // An odd size is the default size, not an error page.
      }
      return new Search(strip(ctx.queryParam("type")), strip(ctx.queryParam("label")), EntryState.of(ctx.queryParam("state")),
          strip(ctx.queryParam("q")), n);
    }

    boolean narrowed() {
      return type != null || label != null || state != EntryState.ANY || text != null;
    }

    /** This search's address, starting after entry {@code after} (0: from the first). */
    String href(long bankId, long after) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("type", type);
      params.put("label", label);
      params.put("state", state == EntryState.ANY ? null : state.word);
      params.put("q", text);
      params.put("size", size == DEFAULT_PAGE ? null : Integer.toString(size));
      params.put("after", after == 0 ? null : Long.toString(after));
      StringBuilder out = new StringBuilder("/console/banks/" + bankId);
      params.forEach((name, value) -> {
        if (value != null) {
          out.append(out.indexOf("?") < 0 ? '?' : '&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
      });
      return out.toString();
    }

    private static String strip(String text) {
      return text == null || text.isBlank() ? null : text.strip();
    }
  }

  /** An entry as a row of its bank's table: each signal as "type value", long values shortened. */
  record EntryRow(long id, List<String> signals, List<String> labels, String note, String provenance, boolean enabled, String createdAt) {}

  /**
   * A bank's page.
   *
   * @param entries null when the viewer may not read entries
   * @param nextHref the next page's address, null on the last
   * @param firstHref the first page's address when this is a later one, else null
   */
  record BankPage(Viewer viewer, Bank bank, String thresholds, List<String> signalTypes, Search search, List<EntryRow> entries,
      String nextHref, String firstHref, String message) {}

  /** One signal of an entry; {@code folded} for a value too long to show open. */
  record SignalView(String type, String value, boolean folded) {}

  /** One change of an entry, as the audit log has it. */
  record Change(String when, String what, String who) {}

  /** An entry's page. */
  record EntryView(Viewer viewer, Entry entry, String bankName, List<SignalView> signals, String madeBy, List<Change> history,
      EntryOpinions opinions) {}

  private final Console console;
  private final BankService banks;
  private final EntryService entries;
  private final AuditLog audit;
  private final List<String> signalTypes;

  public BankEntryPages(Console console, BankService banks, EntryService entries, AuditLog audit, Set<String> signalTypes) {
    this.console = console;
    this.banks = banks;
    this.entries = entries;
    this.audit = audit;
    this.signalTypes = signalTypes.stream().sorted().toList();
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get("/console/banks/{id}", console.page(this::bankPage));
    routes.get("/console/entries/{id}", console.page(this::entryPage));
  }

  private void bankPage(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, BANK_READERS);
    Bank bank = banks.get(ConsoleRoutes.pathId(ctx, "id", "bank"));
    Search search = Search.from(ctx);
    if (!ENTRY_READERS.contains(viewer.role())) {
      ctx.html(Templates.render("bank-page", new BankPage(viewer, bank, Pages.thresholds(bank.thresholds()), signalTypes, search,
          null, null, null, null)));
      return;
    }
    long after = afterParam(ctx);
    List<EntryRow> rows = new ArrayList<>();
    String next = null;
    String message = null;
    try {
      EntryPage page = entries.browse(new EntryFilter(bank.id(), search.label(), null, search.state().enabled, search.type(), null),
          search.text(), after, search.size(), WINDOW);
      page.items().forEach(entry -> rows.add(row(entry)));
      next = page.nextAfter() == null ? null : search.href(bank.id(), page.nextAfter());
      if (search.narrowed() && next != null && rows.size() < search.size()) {
        message = "Each page of a search looks through " + String.format(Locale.ROOT, "%,d", WINDOW)
            + " entries of the bank, so a page may show fewer than it could: the next page looks further.";
      }
    } catch (RequestException e) {
      ctx.status(e.kind().status());
      message = e.getMessage();
    }
    ctx.html(Templates.render("bank-page", new BankPage(viewer, bank, Pages.thresholds(bank.thresholds()), signalTypes, search, rows,
        next, after > 0 ? search.href(bank.id(), 0) : null, message)));
  }

  private static long afterParam(Context ctx) {
    try {
      String text = ctx.queryParam("after");
      return text == null || text.isBlank() ? 0 : Math.max(0, Long.parseLong(text.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static EntryRow row(Entry entry) {
    List<String> signals = new ArrayList<>();
    entry.signals().forEach((type, value) -> signals.add(type + " " + shortened(value)));
    return new EntryRow(entry.id(), signals, entry.labels(), entry.note(), entry.provenance(), entry.enabled(), entry.createdAt());
  }

  /** A hash fits a cell; a longer value shows its start, which the search's prefix finds. */
  private static String shortened(String value) {
    return value.length() <= 64 ? value : value.substring(0, 24) + "…";
  }

  private void entryPage(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, ENTRY_READERS);
    Entry entry = entries.get(ConsoleRoutes.pathId(ctx, "id", "entry"));
    Bank bank = banks.get(entry.bankId());
    List<SignalView> signals = new ArrayList<>();
    for (String type : entry.signals().keySet()) {
      // The whole value where the entry keeps one beside a short identity (a text's sketches).
      String value = entries.wholeValue(entry.id(), type);
      signals.add(new SignalView(type, value, value.length() > FOLD_CHARS));
    }
    List<AuditEvent> events = audit.ofTarget("entry", Long.toString(entry.id()), HISTORY);
    Set<Long> actors = new HashSet<>();
    events.stream().map(AuditEvent::actorKeyId).filter(java.util.Objects::nonNull).forEach(actors::add);
    if (entry.createdBy() != null) {
      actors.add(entry.createdBy());
    }
    Map<Long, String> names = console.actorNames(actors);
    List<Change> history = events.stream()
        .map(e -> new Change(e.occurredAt(), what(e.action()), who(names, e.actorKeyId())))
        .toList();
    ctx.html(Templates.render("entry", new EntryView(viewer, entry, bank.name(), signals, who(names, entry.createdBy()), history,
        entry.opinions())));
  }

  /** An audit action as words: {@code entry.note_changed} is "note changed". */
  static String what(String action) {
    String bare = action.startsWith("entry.") ? action.substring("entry.".length()) : action;
    return bare.replace('_', ' ');
  }

  private static String who(Map<Long, String> names, Long keyId) {
    if (keyId == null) {
      return "the server";
    }
    return names.getOrDefault(keyId, "key " + keyId);
  }
}

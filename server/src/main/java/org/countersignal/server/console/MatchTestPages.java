package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.Bank;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.match.CancelledHit;
import org.countersignal.server.match.MatchHit;

/**
 * The match tester: a person pastes a text, a URL or a hash, or chooses a file, and sees what in
 * the banks it matches and why, without anything being done about it ({@link MatchTestRun}).
 */
public final class MatchTestPages {

  /**
   * Those who bank content or judge matches: curators and coordinators bank, reviewers and admins
   * decide on matches. Auditors are left out: they look at what was recorded, and a trial records
   * nothing.
   */
  static final Set<Role> USERS = Set.of(Role.ADMIN, Role.CURATOR, Role.COORDINATOR, Role.REVIEWER);

  public static final String PATH = "/console/match";

  /** What the person gave to test. */
  enum Source { TEXT, URL, HASH, FILE }

  /** The form as entered, shown again with the result. */
  record Entered(String text, String url, String hashType, String hash, Set<Long> banks) {

    static final Entered NONE = new Entered(null, null, null, null, Set.of());
  }

  /**
   * One hit as the page shows it.
   *
   * @param entryLink whether the viewer may open the entry's page
   * @param part what of a banked text matched, in words, or null
   * @param excerpt the matched excerpt of the tested text, or null
   */
  record Hit(long bankId, String bankName, long entryId, boolean entryLink, String signalType, int distance, int threshold,
      String part, String excerpt) {}

  /** A hit a negative bank's entry cancelled. */
  record Cancelled(Hit hit, String byBank, long byEntry, int byDistance) {}

  /** The outcome of one trial: what was looked up and what was found. */
  record Result(String tested, List<String> signals, List<Hit> hits, List<Cancelled> cancelled, boolean truncated) {}

  record MatchTestPage(Viewer viewer, List<Bank> banks, List<String> hashTypes, long maxBytes, Entered entered, Result result,
      String message) {}

  private final MatchTestRun run;
  private final BankService banks;

  public MatchTestPages(MatchTestRun run, BankService banks) {
    this.run = run;
    this.banks = banks;
  }

  void register(RoutesConfig routes, ConsoleRoutes console) {
    routes.get(PATH, console.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, USERS);
      ctx.html(page(viewer, Entered.NONE, null, null));
    }));
    // A multipart form: its size is capped for this path in the body limits, and the session and
    // role are checked before any of it is read.
    routes.post(PATH, console.upload(USERS, this::test));
  }

  private void test(Context ctx, Viewer viewer) throws IOException {
    Entered entered = new Entered(given(ctx.formParam("text")), trimmed(ctx.formParam("url")), trimmed(ctx.formParam("hash_type")),
        trimmed(ctx.formParam("hash")), chosenBanks(ctx));
    UploadedFile file = ctx.uploadedFile("file");
    boolean hasFile = file != null && (file.size() > 0 || file.filename() != null && !file.filename().isBlank());
    List<Source> given = new ArrayList<>();
    if (entered.text() != null) {
      given.add(Source.TEXT);
    }
    if (entered.url() != null) {
      given.add(Source.URL);
    }
    if (entered.hash() != null) {
      given.add(Source.HASH);
    }
    if (hasFile) {
      given.add(Source.FILE);
    }
    if (given.size() != 1) {
      ctx.status(422).html(page(viewer, entered, null, given.isEmpty()
          ? "Give a text, a URL, a hash or a file to test."
          : "Give one thing to test at a time: a text, a URL, a hash or a file."));
      return;
    }
    List<Long> chosen = entered.banks().isEmpty() ? null : List.copyOf(entered.banks());
    try {
      Source source = given.getFirst();
      MatchTestRun.Found found = switch (source) {
        case TEXT -> run.text(entered.text(), chosen);
        case URL -> run.url(entered.url(), chosen);
        case HASH -> {
          if (entered.hashType() == null) {
            throw RequestException.invalid("hash_type", "choose the hash's type");
          }
          yield run.hash(entered.hashType(), entered.hash(), chosen);
        }
        case FILE -> run.bytes(fileBytes(file), chosen);
      };
      ctx.html(page(viewer, entered, result(viewer, source, file, found), null));
    } catch (RequestException e) {
      ctx.status(e.kind().status()).html(page(viewer, entered, null, "Not tested: " + e.getMessage() + "."));
    }
  }

  /** The file's bytes, refused by its size before they are read when it declares too many. */
  private byte[] fileBytes(UploadedFile file) throws IOException {
    if (file.size() > run.maxBytes()) {
      throw new RequestException(RequestException.Kind.TOO_LARGE, "the file has more than " + run.maxBytes()
          + " bytes, the most the tester takes");
    }
    try (InputStream in = file.content()) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, run.maxBytes() + 1));
    }
  }

  private MatchTestPages.Result result(Viewer viewer, Source source, UploadedFile file, MatchTestRun.Found found) {
    boolean links = BankEntryPages.ENTRY_READERS.contains(viewer.role());
    List<Hit> hits = found.hits().stream().map(hit -> hit(hit, links)).toList();
    List<Cancelled> cancelled = found.cancelled().stream()
        .map(c -> new Cancelled(hit(c.hit(), links), c.cancelledBy().bankName(), c.cancelledBy().entryId(), c.cancelledBy().distance()))
        .toList();
    String tested = switch (source) {
      case TEXT -> "the pasted text";
      case URL -> "the content at the URL";
      case HASH -> "the hash";
      case FILE -> "the file " + (file.filename() == null ? "" : file.filename());
    };
    return new Result(tested.strip(), found.signals(), hits, cancelled, found.truncated());
  }

  private static Hit hit(MatchHit hit, boolean links) {
    return new Hit(hit.bankId(), hit.bankName(), hit.entryId(), links, hit.signalType(), hit.distance(), hit.threshold(),
        part(hit.part()), excerpt(hit.part()));
  }

  /** A text hit's part in words: which words of the banked text, on which pages, and how much of the tested text. */
  @SuppressWarnings("unchecked")
  static String part(Map<String, Object> part) {
    if (part == null || !(part.get("banked") instanceof Map<?, ?> banked) || !(banked.get("words") instanceof List<?> words)
        || words.size() < 2) {
      return null;
    }
    StringBuilder out = new StringBuilder("banked words " + words.get(0) + "–" + words.get(1));
    if (banked.get("pages") instanceof List<?> pages && pages.size() == 2) {
      out.append(pages.get(0).equals(pages.get(1)) ? ", page " + pages.get(0) : ", pages " + pages.get(0) + "–" + pages.get(1));
    }
    if (part.get("query") instanceof Map<?, ?> query && query.get("share") instanceof Number share) {
      out.append("; ").append(Math.round(share.doubleValue() * 100)).append(" % of the tested text");
    }
    return out.toString();
  }

  private static String excerpt(Map<String, Object> part) {
    return part != null && part.get("query") instanceof Map<?, ?> query && query.get("excerpt") instanceof String text ? text : null;
  }

  private String page(Viewer viewer, Entered entered, Result result, String message) {
    return Templates.render("match-test", new MatchTestPage(viewer, banks.list(), run.hashTypes(), run.maxBytes(), entered, result,
        message));
  }

  private static Set<Long> chosenBanks(Context ctx) {
    Set<Long> ids = new java.util.LinkedHashSet<>();
    for (String text : ctx.formParams("bank")) {
      try {
        ids.add(Long.parseLong(text.strip()));
      } catch (NumberFormatException e) {
        throw RequestException.invalid("bank", "a bank is chosen by its number");
      }
    }
    return ids;
  }

  /** A pasted text as pasted: its spacing is part of what is hashed. */
  private static String given(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static String trimmed(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }

  /** How a byte limit reads on the page. */
  static String size(long bytes) {
    return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%,d MiB", bytes >> 20) : String.format(Locale.ROOT, "%,d KiB", bytes >> 10);
  }
}

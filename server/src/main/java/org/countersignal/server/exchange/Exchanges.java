package org.countersignal.server.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.bank.Bank;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Exchanges as coordinators configure them: a kind, its configuration and credentials, the bank
 * it fills, how its tags become our labels, and the trust its entries get. Credentials are
 * encrypted at rest and never shown again (answers list which are set). Every change is audited,
 * without the credentials.
 */
public final class Exchanges {

  static final int MAX_NAME = 200;
  static final int DEFAULT_INTERVAL_SECONDS = 300;
  static final int MIN_INTERVAL_SECONDS = 10;
  static final int MAX_INTERVAL_SECONDS = 7 * 24 * 3600;
  private static final int MAX_CONFIG_CHARS = 8000;

  private final Jdbi jdbi;
  private final ExchangeKinds kinds;
  private final BankService banks;
  private final LabelTaxonomy taxonomy;
  private final ExchangeCredentials credentials;
  private final ExchangeContext context;
  private final Runnable wakeUp;

  /** @param wakeUp called when a fetch is asked for now, so the fetcher looks at once */
  public Exchanges(Jdbi jdbi, ExchangeKinds kinds, BankService banks, LabelTaxonomy taxonomy, ExchangeCredentials credentials,
      ExchangeContext context, Runnable wakeUp) {
    this.jdbi = jdbi;
    this.kinds = kinds;
    this.banks = banks;
    this.taxonomy = taxonomy;
    this.credentials = credentials;
    this.context = context;
    this.wakeUp = wakeUp;
  }

  public List<ExchangeKinds.KindView> kinds() {
    return kinds.views();
  }

  public ExchangeView create(Principal actor, ExchangeChanges request) {
    return create(actor, request, false);
  }

  /**
   * Follows an incident that the source of exchange {@code viaExchangeId} shares: a new exchange
   * of the same kind, source and credentials, reading the incident's feed into a bank of its own
   * ({@code bankName}, made now). It is urgent: fetched ahead of every other exchange, and a fetch
   * of another exchange steps aside for it between two batches. Its entries act as rules say
   * (trusted): accepting the incident, by a coordinator or by the exchange's policy, is the check.
   */
  public ExchangeView followIncident(Principal actor, long viaExchangeId, SharedIncident incident, String exchangeName, String bankName) {
    ExchangeRow via = jdbi.withHandle(h -> find(h, viaExchangeId)).orElseThrow(() -> RequestException.notFound("exchange", viaExchangeId));
    SignalExchange<?, ?> kind = kind(via.kind());
    return create(actor, new ExchangeChanges(exchangeName, kind.name(), ExchangeJson.parse(incidentConfig(kind, via, incident)),
        credentials.open(via), bankName, via.labelMap(), via.labels(), Trust.TRUSTED.wire(), true, via.fetchIntervalSeconds(), null,
        IncidentPolicy.IGNORE.wire()), true);
  }

  private static <C extends Record, K extends Checkpoint> String incidentConfig(SignalExchange<C, K> kind, ExchangeRow via,
      SharedIncident incident) {
    return ExchangeJson.write(kind.configForIncident(ExchangeJson.read(via.config(), kind.configType()), incident));
  }

  private ExchangeView create(Principal actor, ExchangeChanges request, boolean urgent) {
    String name = checkName(request.name());
    SignalExchange<?, ?> kind = kind(request.kind());
    String config = checkConfig(kind, request.config() == null ? ExchangeJson.MAPPER.createObjectNode() : request.config());
    Map<String, String> secrets = checkCredentials(kind, request.credentials() == null ? Map.of() : request.credentials());
    Map<String, String> labelMap = checkLabelMap(request.labelMap());
    List<String> labels = taxonomy.checkLabels(request.labels(), "labels");
    Trust trust = request.trust() == null ? Trust.REVIEW : trust(request.trust());
    IncidentPolicy incidents = request.incidents() == null ? IncidentPolicy.PROPOSE : incidents(request.incidents());
    int interval = interval(request.fetchIntervalSeconds() == null ? DEFAULT_INTERVAL_SECONDS : request.fetchIntervalSeconds());
    boolean enabled = request.enabled() == null || request.enabled();
    String bankName = request.bank() == null || request.bank().isBlank() ? name : request.bank().strip();
    // Checked before the bank is made, so that a name in use makes no bank; and again below, in the transaction.
    jdbi.useHandle(h -> requireNameFree(h, name));
    Bank bank = jdbi.withHandle(h -> BankService.findByName(h, bankName)).orElseGet(() -> banks.create(actor,
        new BankChanges(bankName, "Entries of the exchange '" + name + "'", List.of(), List.of(), null, true)));
    if (bank.follows() != null) {
      throw new RequestException(Kind.CONFLICT, "bank", "bank '" + bankName + "' already follows the exchange '" + bank.follows() + "'");
    }
    ExchangeView created = jdbi.inTransaction(h -> {
      requireNameFree(h, name);
      BankService.follow(h, actor, bank.id(), name);
      OffsetDateTime now = Clock.now(h);
      long made = h.createUpdate("""
              INSERT INTO exchanges (name, kind, config, credentials_cipher, credential_names, bank_id, label_map, labels, trust,
                incidents, urgent, enabled, fetch_interval_seconds, created_at, updated_at, created_by, up_to_date, fetched_items,
                malformed_items, failures_in_a_row, next_fetch_at)
              VALUES (:name, :kind, :config, :cipher, :names, :bank, :labelMap, :labels, :trust, :incidents, :urgent, :enabled, :interval,
                :now, :now, :by, FALSE, 0, 0, 0, :now)""")
          .bind("name", name)
          .bind("kind", kind.name())
          .bind("config", config)
          .bind("cipher", credentials.seal(secrets))
          .bind("names", JsonText.write(List.copyOf(secrets.keySet())))
          .bind("bank", bank.id())
          .bind("labelMap", JsonText.write(labelMap))
          .bind("labels", JsonText.write(labels))
          .bind("trust", trust.wire())
          .bind("incidents", incidents.wire())
          .bind("urgent", urgent)
          .bind("enabled", enabled)
          .bind("interval", interval)
          .bind("now", now)
          .bind("by", actor.keyId())
          .executeAndReturnGeneratedKeys("id")
          .mapTo(Long.class)
          .one();
      ExchangeView view = view(h, find(h, made).orElseThrow());
      AuditLog.append(h, actor.keyId(), "exchange.created", "exchange", made, null, view);
      return view;
    });
    wakeUp.run();
    return created;
  }

  public List<ExchangeView> list() {
    return jdbi.withHandle(h -> h.createQuery(ExchangeRow.SELECT + " ORDER BY id").map((rs, ctx) -> ExchangeRow.map(rs)).list()
        .stream().map(row -> view(h, row)).toList());
  }

  public ExchangeView get(long id) {
    return jdbi.withHandle(h -> view(h, find(h, id).orElseThrow(() -> RequestException.notFound("exchange", id))));
  }

  /** Exchange {@code id}'s name, without the status {@link #get} counts (its bank's entries, which may be millions). */
  public String name(long id) {
    return jdbi.withHandle(h -> find(h, id).orElseThrow(() -> RequestException.notFound("exchange", id))).name();
  }

  /**
   * Changes what the request gives. A new configuration points at a new timeline, so the
   * checkpoint is dropped: the next fetch takes everything from the start, and entries the
   * source no longer has are removed when it completes.
   */
  public ExchangeView update(Principal actor, long id, ExchangeChanges request) {
    String name = request.name() == null ? null : checkName(request.name());
    Map<String, String> labelMap = request.labelMap() == null ? null : checkLabelMap(request.labelMap());
    List<String> labels = request.labels() == null ? null : taxonomy.checkLabels(request.labels(), "labels");
    Trust trust = request.trust() == null ? null : trust(request.trust());
    IncidentPolicy incidents = request.incidents() == null ? null : incidents(request.incidents());
    Integer interval = request.fetchIntervalSeconds() == null ? null : interval(request.fetchIntervalSeconds());
    ExchangeView after = jdbi.inTransaction(h -> {
      ExchangeRow before = lock(h, id);
      ExchangeView was = view(h, before);
      if (request.kind() != null && !request.kind().strip().equals(before.kind())) {
        throw RequestException.invalid("kind", "an exchange's kind does not change; make a new exchange");
      }
      if (request.bank() != null && !request.bank().strip().equals(was.bankName())) {
        throw RequestException.invalid("bank", "an exchange's bank does not change; make a new exchange");
      }
      SignalExchange<?, ?> kind = kind(before.kind());
      String config = request.config() == null ? before.config() : checkConfig(kind, request.config());
      boolean newTimeline = !ExchangeJson.parse(config).equals(ExchangeJson.parse(before.config()));
      byte[] cipher = before.credentialsCipher();
      List<String> credentialNames = before.credentialNames();
      if (request.credentials() != null) {
        Map<String, String> secrets = checkCredentials(kind, request.credentials());
        cipher = credentials.seal(secrets);
        credentialNames = List.copyOf(secrets.keySet());
      }
      if (name != null && !name.equals(before.name())) {
        requireNameFree(h, name);
        BankService.follow(h, actor, before.bankId(), name);
      }
      h.createUpdate("""
              UPDATE exchanges SET name = :name, config = :config, credentials_cipher = :cipher, credential_names = :names,
                label_map = :labelMap, labels = :labels, trust = :trust, incidents = :incidents, enabled = :enabled,
                fetch_interval_seconds = :interval,
                checkpoint = :checkpoint, checkpoint_at = :checkpointAt, updated_at = :now, next_fetch_at = :next
              WHERE id = :id""")
          .bind("name", name == null ? before.name() : name)
          .bind("config", config)
          .bind("cipher", cipher)
          .bind("names", JsonText.write(credentialNames))
          .bind("labelMap", JsonText.write(labelMap == null ? before.labelMap() : labelMap))
          .bind("labels", JsonText.write(labels == null ? before.labels() : labels))
          .bind("trust", (trust == null ? before.trust() : trust).wire())
          .bind("incidents", (incidents == null ? before.incidents() : incidents).wire())
          .bind("enabled", request.enabled() == null ? before.enabled() : request.enabled())
          .bind("interval", interval == null ? before.fetchIntervalSeconds() : interval)
          .bind("checkpoint", newTimeline ? null : before.checkpoint())
          .bind("checkpointAt", newTimeline ? null : before.checkpointAt())
          .bind("now", Clock.now(h))
          // A changed source or credentials are worth trying at once.
          .bind("next", newTimeline || request.credentials() != null || Boolean.TRUE.equals(request.enabled())
              ? Clock.now(h) : before.nextFetchAt())
          .bind("id", id)
          .execute();
      ExchangeView now = view(h, find(h, id).orElseThrow());
      AuditLog.append(h, actor.keyId(), "exchange.updated", "exchange", id, was, now);
      return now;
    });
    if (request.entriesEnabled() != null && request.entriesEnabled() != after.entriesEnabled()) {
      banks.update(actor, after.bankId(), new BankChanges(null, null, null, null, null, request.entriesEnabled()));
      after = get(id);
    }
    wakeUp.run();
    return after;
  }

  /** Deletes the exchange; its bank and entries stay, as a local bank from then on. */
  public void delete(Principal actor, long id) {
    jdbi.useTransaction(h -> {
      ExchangeRow before = lock(h, id);
      ExchangeView was = view(h, before);
      h.createUpdate("DELETE FROM exchanges WHERE id = :id").bind("id", id).execute();
      BankService.follow(h, actor, before.bankId(), null);
      AuditLog.append(h, actor.keyId(), "exchange.deleted", "exchange", id, was, null);
    });
  }

  /** Asks for a fetch now: at once when the fetcher runs in this process, else within its poll interval. */
  public ExchangeView fetchNow(Principal actor, long id) {
    ExchangeView view = jdbi.inTransaction(h -> {
      ExchangeRow row = lock(h, id);
      if (!row.enabled()) {
        throw new RequestException(Kind.CONFLICT, "enabled", "exchange " + id + " is disabled; enable it to fetch");
      }
      h.createUpdate("UPDATE exchanges SET next_fetch_at = :now WHERE id = :id").bind("now", Clock.now(h)).bind("id", id).execute();
      AuditLog.append(h, actor.keyId(), "exchange.fetch_requested", "exchange", id, null, Map.of("name", row.name()));
      return view(h, find(h, id).orElseThrow());
    });
    wakeUp.run();
    return view;
  }

  /** Sends our opinion of a signal to the exchange's source. */
  public void reportOpinion(Principal actor, long id, SignalKey signal, Opinion opinion) {
    ExchangeRow row = jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("exchange", id));
    SignalExchange<?, ?> kind = kind(row.kind());
    if (!kind.takesOpinions()) {
      throw new RequestException(Kind.CONFLICT, "opinion", "the " + kind.name() + " exchange kind takes no opinions");
    }
    try {
      sendOpinion(kind, row, signal, opinion);
    } catch (ExchangeException e) {
      throw new RequestException(Kind.CONFLICT, "opinion", "the source did not take the opinion: " + e.getMessage());
    }
    jdbi.useTransaction(h -> AuditLog.append(h, actor.keyId(), "exchange.opinion_reported", "exchange", id, null,
        Map.of("signal_type", signal.type(), "signal", signal.signal(), "opinion", opinion.name())));
  }

  /** The source's verdict on each signal, for kinds whose source verifies. */
  public List<VerifiesSignals.Verdict> verify(long id, List<SignalKey> signals) {
    ExchangeRow row = jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("exchange", id));
    SignalExchange<?, ?> kind = kind(row.kind());
    if (!(kind instanceof VerifiesSignals<?>)) {
      throw new RequestException(Kind.CONFLICT, "signals", "the " + kind.name() + " exchange kind does not verify signals");
    }
    try {
      return verifyWith(kind, row, signals);
    } catch (ExchangeException e) {
      throw new RequestException(Kind.CONFLICT, "signals", "the source did not answer: " + e.getMessage());
    }
  }

  /**
   * The banks whose matches wait for a reviewer whatever the rules say: those of exchanges not
   * yet trusted. Read in the caller's transaction.
   */
  public static Set<Long> reviewFirstBanks(Handle h) {
    return new HashSet<>(h.createQuery("SELECT bank_id FROM exchanges WHERE trust = :review")
        .bind("review", Trust.REVIEW.wire()).mapTo(Long.class).list());
  }

  static Optional<ExchangeRow> find(Handle h, long id) {
    return h.createQuery(ExchangeRow.SELECT + " WHERE id = :id").bind("id", id).map((rs, ctx) -> ExchangeRow.map(rs)).findOne();
  }

  /** The row, locked until the caller's transaction ends, so a fetch's batch and a change do not cross. */
  static ExchangeRow lock(Handle h, long id) {
    return lockIfPresent(h, id).orElseThrow(() -> RequestException.notFound("exchange", id));
  }

  /** As {@link #lock}, empty when the exchange was deleted. */
  static Optional<ExchangeRow> lockIfPresent(Handle h, long id) {
    return h.createQuery(ExchangeRow.SELECT + " WHERE id = :id FOR UPDATE").bind("id", id).map((rs, ctx) -> ExchangeRow.map(rs))
        .findOne();
  }

  private <C extends Record, K extends Checkpoint> void sendOpinion(SignalExchange<C, K> kind, ExchangeRow row, SignalKey signal,
      Opinion opinion) {
    kind.reportOpinion(ExchangeJson.read(row.config(), kind.configType()), credentials.open(row), signal, opinion, context);
  }

  @SuppressWarnings("unchecked")
  private <C extends Record, K extends Checkpoint> List<VerifiesSignals.Verdict> verifyWith(SignalExchange<C, K> kind, ExchangeRow row,
      List<SignalKey> signals) {
    return ((VerifiesSignals<C>) kind).verify(ExchangeJson.read(row.config(), kind.configType()), credentials.open(row), signals, context);
  }

  private ExchangeView view(Handle h, ExchangeRow row) {
    Bank bank = BankService.find(h, row.bankId()).orElseThrow();
    long entries = h.createQuery("SELECT COUNT(*) FROM entries WHERE bank_id = :bank").bind("bank", row.bankId()).mapTo(Long.class).one();
    ExchangeView.Status status = new ExchangeView.Status(
        ExchangeJson.parse(row.checkpoint()),
        text(row.checkpointAt()),
        text(row.fetchStartedAt()),
        text(row.lastFetchCompletedAt()),
        row.lastFetchSucceeded(),
        row.upToDate(),
        row.fetchedItems(),
        row.malformedItems(),
        entries,
        row.lastError(),
        row.enabled() ? text(row.nextFetchAt()) : null,
        row.fullFetchSince() != null);
    return new ExchangeView(row.id(), row.name(), row.kind(), ExchangeJson.parse(row.config()), row.credentialNames(), row.bankId(),
        bank.name(), bank.enabled(), row.labelMap(), row.labels(), row.trust().wire(), row.incidents().wire(), row.urgent(), row.enabled(), row.fetchIntervalSeconds(),
        text(row.createdAt()), text(row.updatedAt()), status);
  }

  private static String text(OffsetDateTime time) {
    return time == null ? null : Clock.text(time);
  }

  private SignalExchange<?, ?> kind(String name) {
    if (name == null || name.isBlank()) {
      throw RequestException.invalid("kind", "required; one of " + String.join(", ", kindNames()));
    }
    return kinds.find(name.strip()).orElseThrow(() -> RequestException.invalid("kind",
        "'" + name + "' is not an exchange kind; one of " + String.join(", ", kindNames())));
  }

  private List<String> kindNames() {
    return kinds.all().stream().map(SignalExchange::name).toList();
  }

  /** The configuration as stored: read into the kind's record (so every field is known) and checked by the kind. */
  private <C extends Record> String checkConfig(SignalExchange<C, ?> kind, JsonNode json) {
    if (!json.isObject()) {
      throw RequestException.invalid("config", "a JSON object with the " + kind.name() + " kind's settings");
    }
    C config;
    try {
      config = ExchangeJson.read(json, kind.configType());
    } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
      throw RequestException.invalid("config." + e.getPropertyName(), "the " + kind.name() + " kind has no such setting; it takes "
          + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()));
    } catch (JsonProcessingException e) {
      throw RequestException.invalid("config", e.getOriginalMessage());
    }
    try {
      kind.check(config, context);
    } catch (IllegalArgumentException e) {
      // The kind says "field: what is wrong"; the problem names the field within the config.
      String message = e.getMessage() == null ? "invalid" : e.getMessage();
      int colon = message.indexOf(':');
      boolean named = colon > 0 && message.substring(0, colon).matches("[a-z_.\\[\\]0-9]+");
      throw named ? RequestException.invalid("config." + message.substring(0, colon), message.substring(colon + 1).strip())
          : RequestException.invalid("config", message);
    }
    String stored = ExchangeJson.write(config);
    if (stored.length() > MAX_CONFIG_CHARS) {
      throw RequestException.invalid("config", "at most " + MAX_CONFIG_CHARS + " characters of JSON");
    }
    return stored;
  }

  private static Map<String, String> checkCredentials(SignalExchange<?, ?> kind, Map<String, String> given) {
    Set<String> needed = kind.credentialNames();
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> credential : given.entrySet()) {
      if (!needed.contains(credential.getKey())) {
        throw RequestException.invalid("credentials." + credential.getKey(), "the " + kind.name() + " kind takes "
            + (needed.isEmpty() ? "no credentials" : "only " + String.join(", ", new java.util.TreeSet<>(needed))));
      }
      if (credential.getValue() == null || credential.getValue().isBlank() || credential.getValue().length() > 4000) {
        throw RequestException.invalid("credentials." + credential.getKey(), "1 to 4000 characters");
      }
      out.put(credential.getKey(), credential.getValue());
    }
    List<String> missing = new ArrayList<>(new java.util.TreeSet<>(needed));
    missing.removeAll(out.keySet());
    if (!missing.isEmpty()) {
      throw RequestException.invalid("credentials." + missing.getFirst(), "the " + kind.name() + " kind needs " + String.join(", ", missing));
    }
    return out;
  }

  private Map<String, String> checkLabelMap(Map<String, String> given) {
    Map<String, String> out = new TreeMap<>();
    if (given == null) {
      return out;
    }
    for (Map.Entry<String, String> mapping : given.entrySet()) {
      String tag = mapping.getKey().strip();
      if (tag.isEmpty() || tag.length() > 200) {
        throw RequestException.invalid("label_map", "a source tag has 1 to 200 characters");
      }
      out.put(tag, taxonomy.checkLabels(java.util.Collections.singletonList(mapping.getValue()), "label_map." + tag).getFirst());
    }
    return out;
  }

  private static IncidentPolicy incidents(String text) {
    IncidentPolicy policy = IncidentPolicy.fromWire(text);
    if (policy == null) {
      throw RequestException.invalid("incidents", "ignore, propose (each waits for a coordinator) or accept (each is followed at once)");
    }
    return policy;
  }

  private static Trust trust(String text) {
    Trust trust = Trust.fromWire(text);
    if (trust == null) {
      throw RequestException.invalid("trust", "review (matches wait for a reviewer) or trusted (matches act as rules say)");
    }
    return trust;
  }

  private static int interval(int seconds) {
    if (seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) {
      throw RequestException.invalid("fetch_interval_seconds", "from " + MIN_INTERVAL_SECONDS + " to " + MAX_INTERVAL_SECONDS);
    }
    return seconds;
  }

  private static String checkName(String name) {
    String stripped = name == null ? "" : name.strip();
    if (stripped.isEmpty() || stripped.length() > MAX_NAME) {
      throw RequestException.invalid("name", "an exchange name has 1 to " + MAX_NAME + " characters");
    }
    return TextFields.line(stripped, "name");
  }

  private static void requireNameFree(Handle h, String name) {
    Optional<Long> other = h.createQuery("SELECT id FROM exchanges WHERE name = :name").bind("name", name).mapTo(Long.class).findOne();
    if (other.isPresent()) {
      throw new RequestException(Kind.CONFLICT, "name", "an exchange named '" + name + "' already exists (id " + other.get() + ")");
    }
  }
}

package org.countersignal.server.exchange;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One kind of exchange: a source of shared signals, such as a folder of hash-list files or a
 * hash-sharing service. The shape is python-threatexchange's {@code SignalExchangeAPI}, typed, so
 * the field's vocabulary carries over: a kind names itself ({@code get_name}), says which
 * configuration and checkpoint it reads ({@code get_config_cls}, {@code get_checkpoint_cls}) and
 * which secret fields it needs, and {@link #fetch} yields the source's updates in order from a
 * checkpoint ({@code fetch_iter}). Opinions and "seen" reports back to the source are optional: one
 * at a time ({@link #reportOpinion}, asked for by a curator) or a report after each fetch
 * ({@link #reportOpinions}, made from this instance's matches and reviews).
 *
 * <p>A kind knows only its source: it never touches the database. The exchange package stores its
 * configuration (credentials encrypted), runs its fetches in the background, and applies each
 * {@link FetchDelta} to the exchange's bank in one transaction with the delta's checkpoint, so a
 * kind's batches are its units of progress: a crash repeats at most the batch in flight.
 *
 * <p>Adding a kind is one class implementing this (and its config and checkpoint records), listed
 * in {@link ExchangeKinds}.
 *
 * @param <C> the configuration, a record read from the exchange's JSON {@code config} (snake_case
 *     fields); never holds secrets
 * @param <K> the checkpoint, a record written to the database as JSON between batches
 */
public interface SignalExchange<C extends Record, K extends Checkpoint> {

  /** The most signals one {@link #reportOpinions} request carries. */
  int OPINIONS_PER_REPORT = 1000;

  /** The kind's name in the API and the database: one lower-case word with underscores, such as {@code folder}. */
  String name();

  /** What the kind is, in a sentence, for the kinds list. */
  String description();

  Class<C> configType();

  Class<K> checkpointType();

  /** The credential fields the kind needs (such as {@code username}, {@code password}); empty when it needs none. */
  Set<String> credentialNames();

  /**
   * Refuses a configuration that could never work (a missing field, a malformed URL, a folder
   * outside the allowed root), with a message naming the field; called when an exchange is
   * created or changed, before anything is stored.
   *
   * @throws IllegalArgumentException with a message of the form {@code "field: what is wrong"}
   */
  void check(C config, ExchangeContext context);

  /**
   * The source's updates after {@code checkpoint}, in the source's order.
   *
   * @param checkpoint where the last applied batch ended; null to fetch everything (first fetch,
   *     or the checkpoint went stale)
   * @param credentials the decrypted credentials, by the names of {@link #credentialNames()}
   */
  Fetch<K> fetch(C config, Map<String, String> credentials, K checkpoint, ExchangeContext context);

  /**
   * Sends our opinion of a signal back to the source (python-threatexchange's
   * {@code report_opinion}; ThreatExchange's reactions). Kinds whose source takes none keep this
   * default.
   *
   * @throws UnsupportedOperationException when the source takes no opinions
   * @throws ExchangeException when the source refuses it or cannot be reached
   */
  default void reportOpinion(C config, Map<String, String> credentials, SignalKey signal, Opinion opinion,
      ExchangeContext context) {
    throw new UnsupportedOperationException(name() + " exchanges take no opinions");
  }

  /** Whether {@link #reportOpinion} is implemented. */
  default boolean takesOpinions() {
    return false;
  }

  /**
   * Waits, up to {@code wait}, until the source has updates after {@code checkpoint} (a long
   * poll), for sources that can say so. While such a call is open the fetcher needs no schedule:
   * it fetches as soon as the call answers, which keeps the exchange within moments of its source.
   * Fetching at the exchange's interval stays the fallback, and the only way for kinds that keep
   * this default.
   *
   * @param checkpoint where the last applied batch ended; null when nothing was fetched yet
   * @param incidents whether to answer also when the incidents the source shares change (kinds
   *     that share incidents; the first wait of a process answers at once when it shares any)
   * @return whether the source has updates after the checkpoint, and whether the incidents it
   *     shares changed; {@link Announcement#NOTHING} when the wait ran out
   * @throws UnsupportedOperationException when the source cannot say
   * @throws ExchangeException when the source refuses or cannot be reached
   */
  default Announcement awaitUpdates(C config, Map<String, String> credentials, K checkpoint, boolean incidents, Duration wait,
      ExchangeContext context) {
    throw new UnsupportedOperationException(name() + " exchanges cannot be waited on");
  }

  /** Whether {@link #awaitUpdates} is implemented. */
  default boolean announcesUpdates() {
    return false;
  }

  /**
   * Sends the source, in one request, what this instance holds now of each signal of
   * {@code opinions} (at most {@value #OPINIONS_PER_REPORT}); each replaces what it told the
   * source of that signal before, so a report sent twice does no harm. Called after a fetch, with
   * what changed since the last report, for kinds whose {@link #reportsOpinions()} is true.
   *
   * @return the id of the source's platform when its answer names one, which words are never
   *     passed back to; null when it names none
   * @throws ExchangeException when the source refuses the report or cannot be reached (it is
   *     sent again after the next fetch)
   */
  default String reportOpinions(C config, Map<String, String> credentials, List<SignalOpinion> opinions, ExchangeContext context) {
    throw new UnsupportedOperationException(name() + " exchanges take no reports of opinions");
  }

  /** Whether {@link #reportOpinions} is implemented: the exchange then reports after every fetch. */
  default boolean reportsOpinions() {
    return false;
  }

  /**
   * The crisis incidents the source shares with this instance now, each with the feed of its
   * entries; kinds whose source shares none keep this default.
   *
   * @throws UnsupportedOperationException when the source shares no incidents
   * @throws ExchangeException when the source refuses or cannot be reached
   */
  default List<SharedIncident> incidents(C config, Map<String, String> credentials, ExchangeContext context) {
    throw new UnsupportedOperationException(name() + " exchanges share no incidents");
  }

  /** Whether {@link #incidents} is implemented. */
  default boolean sharesIncidents() {
    return false;
  }

  /** The configuration of an exchange of the same source that follows {@code incident}'s feed. */
  default C configForIncident(C config, SharedIncident incident) {
    throw new UnsupportedOperationException(name() + " exchanges share no incidents");
  }

  /**
   * The source's updates, one batch at a time. A batch is applied and committed with its
   * checkpoint before the next is asked for, so a kind may hold one page of the source in memory
   * and no more.
   */
  interface Fetch<K extends Checkpoint> extends AutoCloseable {

    /**
     * The next batch, or null when the source has nothing more for now (the exchange is then up
     * to date).
     *
     * @throws ExchangeException when the source fails, answers something malformed or too slowly;
     *     the batches applied before stay applied and the next fetch resumes after them
     */
    FetchDelta<K> next();

    /** Releases what the fetch holds (connections, open files); the default holds nothing. */
    @Override
    default void close() {}
  }
}

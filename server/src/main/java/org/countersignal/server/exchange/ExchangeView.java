package org.countersignal.server.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * An exchange as the API shows it: never its credentials, only which are set.
 *
 * @param entriesEnabled whether its bank is enabled (its entries can match)
 * @param incidents what it does with the incidents its source shares ({@code ignore}, {@code propose}, {@code accept})
 * @param urgent it follows an accepted incident: fetched ahead of every other exchange
 */
public record ExchangeView(
    long id,
    String name,
    String kind,
    JsonNode config,
    List<String> credentialsSet,
    long bankId,
    String bankName,
    boolean entriesEnabled,
    Map<String, String> labelMap,
    List<String> labels,
    String trust,
    String incidents,
    boolean urgent,
    boolean enabled,
    int fetchIntervalSeconds,
    String createdAt,
    String updatedAt,
    Status status) {

  /**
   * Where fetching stands, with the field names of HMA's {@code FetchStatus}: the checkpoint's
   * source time, when the running fetch started (null when none runs), when the last fetch
   * ended and whether it succeeded, whether everything the source had was applied, and how many
   * updates were applied in all.
   *
   * @param bankEntries entries in the exchange's bank now
   * @param malformedItems updates refused because no signal could be made of them
   * @param lastError why the last fetch failed (null after a success)
   */
  public record Status(
      JsonNode checkpoint,
      String checkpointTs,
      String runningFetchStartTs,
      String lastFetchCompleteTs,
      Boolean lastFetchSucceeded,
      boolean upToDate,
      long fetchedItems,
      long malformedItems,
      long bankEntries,
      String lastError,
      String nextFetchAt,
      boolean fullFetchRunning) {}
}

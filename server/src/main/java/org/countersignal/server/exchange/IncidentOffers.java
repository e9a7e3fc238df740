package org.countersignal.server.exchange;

import java.util.List;

/**
 * Where the incidents a source shares go: the fetcher hands over the source's list before each
 * fetch of an exchange whose kind shares incidents and whose policy is not {@code ignore}.
 */
public interface IncidentOffers {

  /** Nowhere: incidents are not kept. */
  IncidentOffers NONE = (exchange, policy, incidents) -> {};

  /**
   * @param exchangeId the exchange they came through
   * @param policy what that exchange does with them
   * @param incidents every incident the source shares with this instance now
   */
  void offered(long exchangeId, IncidentPolicy policy, List<SharedIncident> incidents);
}

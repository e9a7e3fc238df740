package org.countersignal.server.exchange.tat;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.countersignal.server.exchange.ExchangeContext;
import org.countersignal.server.exchange.SignalExchange;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.VerifiesSignals;

/**
 * Tech Against Terrorism's hash list of terrorist and violent extremist content: the hashes of
 * the TCAP archive, collected and classified by its analysts, with hash verification for a match a
 * reviewer wants confirmed. Its MD5, SHA-256 and PDQ hashes are banked; its SHA-512 and TMK hashes
 * are reported as records this service cannot match.
 *
 * <p>The API is TCAP's Content Hash List v2 and Hash Verification v2, as documented at
 * terrorismanalytics.org and used by python-threatexchange's {@code tat} exchange: see
 * {@link TatClient} for the routes, {@link TatCheckpoint} for the cursor, {@link TatRecords} for a
 * record and {@link TatVerification} for verification. The source takes no opinions back.
 */
public final class TechAgainstTerrorismExchange
    implements SignalExchange<TatConfig, TatCheckpoint>, VerifiesSignals<TatConfig> {

  public static final String NAME = "tech_against_terrorism";

  private static final Set<String> CREDENTIALS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("username", "password")));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Tech Against Terrorism's hash list of terrorist content (MD5, SHA-256 and PDQ), fetched with a TCAP"
        + " username and password; matches can be sent to its hash verification";
  }

  @Override
  public Class<TatConfig> configType() {
    return TatConfig.class;
  }

  @Override
  public Class<TatCheckpoint> checkpointType() {
    return TatCheckpoint.class;
  }

  @Override
  public Set<String> credentialNames() {
    return CREDENTIALS;
  }

  @Override
  public void check(TatConfig config, ExchangeContext context) {
    config.check();
  }

  @Override
  public Fetch<TatCheckpoint> fetch(TatConfig config, Map<String, String> credentials, TatCheckpoint checkpoint,
      ExchangeContext context) {
    return new TatFetch(new TatClient(config, credentials, context), config.effectivePageSize(), checkpoint);
  }

  @Override
  public List<Verdict> verify(TatConfig config, Map<String, String> credentials, List<SignalKey> signals,
      ExchangeContext context) {
    if (signals.isEmpty()) {
      return List.of();
    }
    return TatVerification.verify(new TatClient(config, credentials, context), signals, config.effectivePdqConfidence());
  }
}

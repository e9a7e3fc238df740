package org.countersignal.server.exchange.threatexchange;

import java.util.Map;
import java.util.Set;
import org.countersignal.server.exchange.ExchangeContext;
import org.countersignal.server.exchange.Opinion;
import org.countersignal.server.exchange.SignalExchange;
import org.countersignal.server.exchange.SignalKey;

/**
 * Meta's ThreatExchange: the threat updates of one privacy group, the way GIFCT's hash-sharing
 * database and other collaborations are reached (python-threatexchange's {@code fb_threatexchange}).
 * An app's access token ({@code app_id|app_secret}) reads {@code /<privacy-group>/threat_updates}
 * page by page; each ThreatIndicator of a type this service banks becomes an update of our signal,
 * with the group's tags and the members' opinions, and a removed one a tombstone. Our opinions go
 * back as reactions on the members' descriptors.
 */
public final class ThreatExchangeExchange implements SignalExchange<ThreatExchangeConfig, ThreatExchangeCheckpoint> {

  public static final String NAME = "threatexchange";
  public static final String ACCESS_TOKEN = "access_token";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Meta ThreatExchange: the PDQ, MD5, SHA-256, URL and text indicators of a privacy group (such as GIFCT's hash-sharing"
        + " database), with their tags, members' opinions and removals; opinions go back as reactions";
  }

  @Override
  public Class<ThreatExchangeConfig> configType() {
    return ThreatExchangeConfig.class;
  }

  @Override
  public Class<ThreatExchangeCheckpoint> checkpointType() {
    return ThreatExchangeCheckpoint.class;
  }

  @Override
  public Set<String> credentialNames() {
    return Set.of(ACCESS_TOKEN);
  }

  @Override
  public void check(ThreatExchangeConfig config, ExchangeContext context) {
    config.check();
  }

  @Override
  public Fetch<ThreatExchangeCheckpoint> fetch(ThreatExchangeConfig config, Map<String, String> credentials,
      ThreatExchangeCheckpoint checkpoint, ExchangeContext context) {
    return new ThreatUpdatesFetch(graph(config, credentials, context), config, checkpoint,
        context.clock().instant().getEpochSecond());
  }

  @Override
  public void reportOpinion(ThreatExchangeConfig config, Map<String, String> credentials, SignalKey signal, Opinion opinion,
      ExchangeContext context) {
    Reactions.report(graph(config, credentials, context), signal, opinion);
  }

  @Override
  public boolean takesOpinions() {
    return true;
  }

  private static GraphApi graph(ThreatExchangeConfig config, Map<String, String> credentials, ExchangeContext context) {
    return new GraphApi(context.http(), context.requestTimeout(), config.baseUri(), credentials.get(ACCESS_TOKEN));
  }
}

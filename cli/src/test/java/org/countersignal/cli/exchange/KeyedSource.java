package org.countersignal.cli.exchange;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.countersignal.server.exchange.Checkpoint;
import org.countersignal.server.exchange.ExchangeContext;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.Opinion;
import org.countersignal.server.exchange.SignalExchange;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.VerifiesSignals;

/**
 * An exchange kind for the tests, named {@code keyed}: a source that needs an {@code api_key}
 * (a fetch fails unless it is {@link #key}), takes opinions and verifies signals. It keeps what
 * it was sent, so a test sees what reached the source.
 */
final class KeyedSource implements SignalExchange<KeyedSource.Config, KeyedSource.Position>, VerifiesSignals<KeyedSource.Config> {

  record Config(String list) {}

  record Position(Instant at) implements Checkpoint {
    @Override
    public Instant progress() {
      return at;
    }
  }

  record SentOpinion(SignalKey signal, Opinion opinion, String key) {}

  /** The key the source takes. */
  volatile String key;
  /** The signals the source has verified. */
  final Set<SignalKey> verified;
  final List<String> keysSeen = new CopyOnWriteArrayList<>();
  final List<SentOpinion> opinions = new CopyOnWriteArrayList<>();

  KeyedSource(String key, Set<SignalKey> verified) {
    this.key = key;
    this.verified = verified;
  }

  @Override
  public String name() {
    return "keyed";
  }

  @Override
  public String description() {
    return "A source behind an API key";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Class<Position> checkpointType() {
    return Position.class;
  }

  @Override
  public Set<String> credentialNames() {
    return Set.of("api_key");
  }

  @Override
  public void check(Config config, ExchangeContext context) {
    if (config.list() == null || config.list().isBlank()) {
      throw new IllegalArgumentException("list: the list to follow");
    }
  }

  @Override
  public Fetch<Position> fetch(Config config, Map<String, String> credentials, Position checkpoint, ExchangeContext context) {
    keysSeen.add(credentials.get("api_key"));
    if (!key.equals(credentials.get("api_key"))) {
      throw new ExchangeException("the source refused the API key");
    }
    return () -> null;
  }

  @Override
  public boolean takesOpinions() {
    return true;
  }

  @Override
  public void reportOpinion(Config config, Map<String, String> credentials, SignalKey signal, Opinion opinion, ExchangeContext context) {
    opinions.add(new SentOpinion(signal, opinion, credentials.get("api_key")));
  }

  @Override
  public List<Verdict> verify(Config config, Map<String, String> credentials, List<SignalKey> signals, ExchangeContext context) {
    return signals.stream().map(s -> new Verdict(s, verified.contains(s), verified.contains(s) ? "seen in " + config.list() : null))
        .toList();
  }
}

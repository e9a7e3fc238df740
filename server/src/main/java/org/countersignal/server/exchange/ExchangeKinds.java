package org.countersignal.server.exchange;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.countersignal.server.exchange.folder.FolderExchange;
import org.countersignal.server.exchange.tat.TechAgainstTerrorismExchange;
import org.countersignal.server.exchange.threatexchange.ThreatExchangeExchange;

/** The kinds of exchange this server can run, by name. */
public final class ExchangeKinds {

  private final Map<String, SignalExchange<?, ?>> byName = new LinkedHashMap<>();

  public ExchangeKinds(List<SignalExchange<?, ?>> kinds) {
    for (SignalExchange<?, ?> kind : kinds) {
      if (byName.putIfAbsent(kind.name(), kind) != null) {
        throw new IllegalArgumentException("two exchange kinds are named " + kind.name());
      }
    }
  }

  /** The kinds built in, then {@code extra}. */
  public static ExchangeKinds builtIn(List<SignalExchange<?, ?>> extra) {
    List<SignalExchange<?, ?>> kinds = new java.util.ArrayList<>(List.of(new FolderExchange(), new TechAgainstTerrorismExchange(),
        new ThreatExchangeExchange(), new org.countersignal.server.exchange.peer.PeerExchange()));
    kinds.addAll(extra);
    return new ExchangeKinds(kinds);
  }

  public Optional<SignalExchange<?, ?>> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Collection<SignalExchange<?, ?>> all() {
    return byName.values();
  }

  /** A kind as the kinds list shows it. */
  public record KindView(String name, String description, List<String> credentialNames, boolean takesOpinions, boolean verifies) {}

  public List<KindView> views() {
    return byName.values().stream()
        .map(k -> new KindView(k.name(), k.description(), k.credentialNames().stream().sorted().toList(), k.takesOpinions(),
            k instanceof VerifiesSignals<?>))
        .toList();
  }
}

package org.countersignal.server.bank;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.countersignal.server.RequestException;
import org.countersignal.server.signal.Md5Type;
import org.countersignal.server.signal.PdqType;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.server.signal.Sha256Type;
import org.countersignal.server.signal.StoredValues;
import org.countersignal.server.signal.TextType;
import org.countersignal.server.signal.UrlType;
import org.countersignal.server.signal.VideoSource;
import org.countersignal.server.signal.VpdqType;
import org.countersignal.signals.vpdq.VpdqSignal;

/**
 * The signal types the service banks and matches: a list of {@link ServerSignalType}s, in the
 * order responses and metrics list them. Everything that differs between types is asked of the
 * type; this class only looks them up by name and gathers the bank settings they define.
 */
public final class SignalCatalog {

  private final Map<String, ServerSignalType> types = new LinkedHashMap<>();
  // Each bank setting of a type (besides its distance), by name, sorted as banks list them.
  private final Map<String, ServerSignalType.BankSetting> settings = new TreeMap<>();
  private final VpdqType video;

  /** The built-in types, without access to stored videos or texts (for parts that only check names). */
  public SignalCatalog() {
    this(VideoSource.NONE, StoredValues.NONE, List.of());
  }

  /**
   * The built-in types and {@code extra} ones after them.
   *
   * @param videos where the video index reads banked videos' frames
   * @param values where indexes read the whole values of types with short identities (texts)
   */
  public SignalCatalog(VideoSource videos, StoredValues values, List<ServerSignalType> extra) {
    video = new VpdqType(videos);
    List<ServerSignalType> all = new ArrayList<>(List.of(new PdqType(), new Md5Type(), new Sha256Type(), video,
        new TextType(values), new UrlType()));
    all.addAll(extra);
    for (ServerSignalType type : all) {
      if (types.putIfAbsent(type.name(), type) != null) {
        throw new IllegalArgumentException("two signal types are named " + type.name());
      }
      for (ServerSignalType.BankSetting setting : type.settings()) {
        settings.put(setting.name(), setting);
      }
    }
    for (String name : settings.keySet()) {
      if (types.containsKey(name)) {
        throw new IllegalArgumentException("a bank setting has the name of a signal type: " + name);
      }
    }
  }

  public Collection<ServerSignalType> types() {
    return Collections.unmodifiableCollection(types.values());
  }

  public Optional<ServerSignalType> find(String name) {
    return Optional.ofNullable(types.get(name));
  }

  /** The type named {@code name}; a 422 naming {@code field} when there is none. */
  public ServerSignalType type(String name, String field) {
    ServerSignalType type = types.get(name);
    if (type == null) {
      throw RequestException.invalid(field, "unknown signal type '" + name + "'; known: " + String.join(", ", types.keySet()));
    }
    return type;
  }

  /** The video type, whose values are matched as whole videos. */
  public VpdqType video() {
    return video;
  }

  /** Every name a bank threshold may have: each signal type's distance, then the types' other settings. */
  public Set<String> thresholdNames() {
    Set<String> names = new LinkedHashSet<>(types.keySet());
    names.addAll(settings.keySet());
    return names;
  }

  public boolean knowsThreshold(String name) {
    return types.containsKey(name) || settings.containsKey(name);
  }

  /**
   * Reads a video's frame hashes from the reference text format ({@code frame,quality,pdq,seconds}
   * a line), as entries and match requests give them.
   */
  public VpdqSignal parseVideo(String text, String field) {
    return video.parse(text, field);
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(types.keySet());
  }

  public boolean knows(String name) {
    return types.containsKey(name);
  }

  /** The types' bank settings besides their distances, by name. */
  public Collection<ServerSignalType.BankSetting> settings() {
    return Collections.unmodifiableCollection(settings.values());
  }

  /** Largest value of a threshold or setting; see each type. */
  public int maxThreshold(String name) {
    ServerSignalType.BankSetting setting = settings.get(name);
    return setting != null ? setting.max() : types.get(name).maxThreshold();
  }

  public int defaultThreshold(String name) {
    ServerSignalType.BankSetting setting = settings.get(name);
    return setting != null ? setting.defaultValue() : type(name, name).defaultThreshold();
  }

  /**
   * A bank's value of {@code setting}, from its stored thresholds: banks made before the setting
   * existed have none stored and get the default.
   */
  public static int setting(Map<String, Integer> thresholds, ServerSignalType.BankSetting setting) {
    return thresholds.getOrDefault(setting.name(), setting.defaultValue());
  }

  /**
   * The canonical text of {@code text} as a {@code name} signal.
   *
   * @param field where the value came from in the request, for the problem detail
   */
  public String canonical(String name, String text, String field) {
    return type(name, field).canonical(text, field);
  }

  /** What entries, hits and submissions keep of a canonical {@code name} value; see {@link ServerSignalType#identity}. */
  public String identity(String name, String canonical) {
    return type(name, name).identity(canonical);
  }

  /** As {@link #canonical}, for a value a bank is to hold: values no bank should hold are refused. */
  public String bankable(String name, String text, String field) {
    ServerSignalType type = type(name, field);
    String canonical = type.canonical(text, field);
    type.checkBankable(canonical, field);
    return canonical;
  }
}

package org.countersignal.server.console;

import java.util.List;

/**
 * How media are shown to one reviewer. The defaults protect: blurred and grey until the reviewer
 * reveals one item. Videos never play by themselves and start muted, whatever is set here.
 */
public record WellnessSettings(boolean blur, boolean greyscale, String blurStrength) {

  public static final List<String> STRENGTHS = List.of("low", "medium", "high");
  public static final WellnessSettings DEFAULTS = new WellnessSettings(true, true, "high");

  public WellnessSettings {
    if (!STRENGTHS.contains(blurStrength)) {
      throw org.countersignal.server.RequestException.invalid("blur_strength", "one of " + String.join(", ", STRENGTHS));
    }
  }
}

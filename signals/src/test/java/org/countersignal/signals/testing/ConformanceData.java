package org.countersignal.signals.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the reference vectors of the public PDQ/vPDQ implementations. They live outside the
 * repository (set {@code countersignal.conformance.dir}); without them the conformance tests are
 * skipped loudly, or fail when {@code countersignal.conformance.required=true} or the
 * environment has {@code COUNTERSIGNAL_CONFORMANCE_REQUIRED=true} (as CI does).
 */
public final class ConformanceData {

  private ConformanceData() {}

  public static Path directory(String subfolder) {
    String configured = System.getProperty("countersignal.conformance.dir", "../../shared/conformance");
    Path dir = Path.of(configured).toAbsolutePath().normalize().resolve(subfolder);
    if (!Files.isDirectory(dir)) {
      String message = "CONFORMANCE DATA MISSING: " + dir
          + " does not exist; conformance tests are NOT being run."
          + " Set -Dcountersignal.conformance.dir=/path/to/shared/conformance.";
      System.err.println("\n!!! " + message + "\n");
      if (Boolean.getBoolean("countersignal.conformance.required")
          || "true".equalsIgnoreCase(System.getenv("COUNTERSIGNAL_CONFORMANCE_REQUIRED"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    return dir;
  }
}

package org.countersignal.signals.image;

import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * How a decoding path whose native libraries ship in the bindings' jars starts: those jars carry
 * natives for the platforms the build names, so elsewhere the path is absent and the later ones
 * decode.
 */
final class BundledNatives {

  private BundledNatives() {}

  /** {@code start}'s decoder, or empty where its libraries cannot load. */
  static <T> Optional<T> open(String name, Supplier<T> start) {
    try {
      return Optional.of(start.get());
    } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
      // The logger is asked for here only: starting the logging system costs a command-line run 14 ms.
      LoggerFactory.getLogger(BundledNatives.class)
          .debug("{} not available, the later decoding paths are used: {}", name, e.toString());
      return Optional.empty();
    }
  }
}

package org.countersignal.cli.hash;

import static org.assertj.core.api.Assertions.assertThat;

import org.countersignal.cli.CliRun;
import org.junit.jupiter.api.Test;

class CompareCommandTest {

  // The reference Java and C++ tools' hashes of the same photo (shared conformance set).
  private static final String JAVA_REF = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  private static final String CPP_REF = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";

  @Test
  void printsTheHammingDistance() {
    CliRun run = CliRun.of("compare", JAVA_REF, CPP_REF);
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().strip()).isEqualTo("6");
    assertThat(CliRun.of("compare", "0".repeat(64), "f".repeat(64)).out().strip()).isEqualTo("256");
  }

  @Test
  void aMalformedHashIsAUsageErrorNamingTheProblem() {
    CliRun run = CliRun.of("compare", "xyz", CPP_REF);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("expected 64 hex digits").contains("'xyz'");
    assertThat(run.out()).isEmpty();
  }
}

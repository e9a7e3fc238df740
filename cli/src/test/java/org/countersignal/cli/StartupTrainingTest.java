package org.countersignal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher records its start-up caches from these runs and, when one fails, quietly runs
 * without a cache: a training run that broke would only show as slow starts.
 */
class StartupTrainingTest {

  @TempDir
  Path dir;

  @Test
  void theCommandsRunSucceeds() throws Exception {
    assertThat(StartupTraining.trainCommands(dir)).isZero();
  }

  @Test
  void theServeRunStartsAServerAndMatches() throws Exception {
    assertThat(StartupTraining.trainServe(dir)).isZero();
  }
}

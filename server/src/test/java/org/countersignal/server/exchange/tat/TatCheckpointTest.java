package org.countersignal.server.exchange.tat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The TAT cursor as a checkpoint: its progress, what is refused, and how it is stored. */
class TatCheckpointTest {

  // How exchanges store configurations and checkpoints: snake_case, unknown fields refused.
  private static final ObjectMapper STORE = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  @Test
  void progressIsTheTimeOfTheCursorToTheMicrosecond() {
    assertThat(new TatCheckpoint("1724856487.709035,10594").progress()).isEqualTo(Instant.parse("2024-08-28T14:48:07.709035Z"));
    assertThat(new TatCheckpoint("1704067200,1").progress()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1724856487.709035", "1724856487.709035,", "yesterday,10594", "-5,10594", "1,2,3", "1e20,4"})
  void aCursorThatIsNotTimestampCommaIdIsRefused(String cursor) {
    assertThatThrownBy(() -> new TatCheckpoint(cursor)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(cursor);
  }

  @Test
  void neverGoesStaleBecauseTheSourceKeepsItsDeletions() {
    TatCheckpoint old = new TatCheckpoint("1704067200.000001,2800");
    assertThat(old.isStale(old.progress().plus(Duration.ofDays(3650)))).isFalse();
  }

  @Test
  void isStoredAsTheSourcesCursorAndReadBackUnchanged() throws Exception {
    TatCheckpoint checkpoint = new TatCheckpoint("1724856487.709035,10594");
    String stored = STORE.writeValueAsString(checkpoint);
    assertThat(STORE.readTree(stored).properties()).hasSize(1);
    assertThat(STORE.readTree(stored).get("cursor").asText()).isEqualTo("1724856487.709035,10594");
    assertThat(STORE.readValue(stored, TatCheckpoint.class)).isEqualTo(checkpoint);
  }
}

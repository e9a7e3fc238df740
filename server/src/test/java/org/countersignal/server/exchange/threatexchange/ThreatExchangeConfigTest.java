package org.countersignal.server.exchange.threatexchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.countersignal.server.exchange.ExchangeContext;
import org.junit.jupiter.api.Test;

/**
 * A configuration that could never fetch is refused when the exchange is created, naming the
 * field; and a configuration reads as the exchange store keeps it (snake_case JSON that refuses
 * fields it does not know).
 */
class ThreatExchangeConfigTest {

  static final ObjectMapper STORE_JSON = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  final ThreatExchangeExchange kind = new ThreatExchangeExchange();
  final ExchangeContext context = Fetching.context();

  @Test
  void aGroupIdIsRequiredAndIsDigits() {
    assertThatThrownBy(() -> kind.check(new ThreatExchangeConfig(null, null, null), context))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("privacy_group_id: missing");
    assertThatThrownBy(() -> kind.check(new ThreatExchangeConfig("  ", null, null), context))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("privacy_group_id: missing");
    assertThatThrownBy(() -> kind.check(ThreatExchangeConfig.of("gifct-hsdb"), context))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("privacy_group_id: 'gifct-hsdb' is not");
  }

  @Test
  void theBaseUrlMustBeAnHttpsUrlWithoutQueryOrCredentials() {
    assertRefused("graph.facebook.com/v21.0", "base_url: must be an https URL");
    assertRefused("https://graph.facebook.com/v21.0 x", "base_url: not a URL");
    assertRefused("https:///v21.0", "base_url: has no host");
    assertRefused("ftp://graph.facebook.com/v21.0", "base_url: must be an https URL");
    assertRefused("https://graph.facebook.com/v21.0?limit=10", "base_url: must not have a query");
    assertRefused("https://app:secret@graph.facebook.com/v21.0", "base_url: must not hold a user name");
    // The token rides in every URL: plain http only to this machine.
    assertRefused("http://graph.facebook.com/v21.0", "base_url: must be https");
  }

  @Test
  void thePageSizeIsWhatTheGraphApiGives() {
    assertRefused(new ThreatExchangeConfig("123", null, 0), "page_size: 0 is not between 1 and 1000");
    assertRefused(new ThreatExchangeConfig("123", null, 1001), "page_size: 1001 is not between 1 and 1000");
  }

  @Test
  void aWorkableConfigurationIsTaken() {
    assertThatCode(() -> kind.check(ThreatExchangeConfig.of("303030303030303"), context)).doesNotThrowAnyException();
    assertThatCode(() -> kind.check(new ThreatExchangeConfig("303030303030303", "http://127.0.0.1:8080/v21.0/", 1000), context))
        .doesNotThrowAnyException();
    assertThat(ThreatExchangeConfig.of("1").baseUri()).isEqualTo(ThreatExchangeConfig.DEFAULT_BASE_URL);
    assertThat(new ThreatExchangeConfig("1", "https://graph.example/v19.0/", null).baseUri()).isEqualTo("https://graph.example/v19.0");
  }

  @Test
  void theConfigurationReadsFromSnakeCaseJson() throws Exception {
    ThreatExchangeConfig config = STORE_JSON.readValue(
        "{\"privacy_group_id\": 303030303030303, \"base_url\": \"https://graph.facebook.com/v21.0\", \"page_size\": 200}",
        ThreatExchangeConfig.class);

    assertThat(config).isEqualTo(new ThreatExchangeConfig("303030303030303", "https://graph.facebook.com/v21.0", 200));
    assertThat(STORE_JSON.readValue(STORE_JSON.writeValueAsString(config), ThreatExchangeConfig.class)).isEqualTo(config);
  }

  private void assertRefused(String baseUrl, String message) {
    assertRefused(new ThreatExchangeConfig("123", baseUrl, null), message);
  }

  private void assertRefused(ThreatExchangeConfig config, String message) {
    assertThatThrownBy(() -> kind.check(config, context))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}

package org.countersignal.server.exchange.peer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.countersignal.server.exchange.ExchangeContext;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.Opinion;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.SignalOpinion;
import org.countersignal.server.federation.FeedOpinions;

/**
 * Opinions of a feed's signals sent back to its publisher ({@code POST
 * /api/v1/feeds/{name}/opinions} there), with the same peer key the pages are read with. Each
 * word carries a signal's type and value, an opinion and a count, and, when this instance passes
 * on another platform's word, that platform's instance id; the report names this instance's id as
 * the platform its own words are from. Nothing else travels.
 */
final class PeerOpinions {

  private static final ObjectMapper JSON = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  /** More than any answer the publisher gives to a report. */
  private static final int MAX_ANSWER_BYTES = 1 << 20;
  private static final int MAX_DETAIL_CHARS = 300;

  private PeerOpinions() {}

  /** A word of a report made after a fetch: the opinion (when there is one) and the count. */
  static FeedOpinions.Item item(SignalOpinion opinion) {
    return new FeedOpinions.Item(opinion.signal().type(), opinion.signal().signal(),
        opinion.opinion() == null ? null : word(opinion.opinion()), opinion.seen(), opinion.platform());
  }

  /** A word a curator sends on its own: the opinion alone, the count left as it was. */
  static FeedOpinions.Item single(SignalKey signal, Opinion opinion) {
    return new FeedOpinions.Item(signal.type(), signal.signal(), word(opinion), null);
  }

  private static String word(Opinion opinion) {
    return switch (opinion) {
      case POSITIVE_CLASS -> FeedOpinions.POSITIVE;
      case NEGATIVE_CLASS -> FeedOpinions.NEGATIVE;
      case DISPUTED -> FeedOpinions.DISPUTED;
      case SAW_THIS_TOO, INVESTIGATION_SEED -> throw new ExchangeException("a Countersignal publisher takes positive_class,"
          + " negative_class or disputed; how often a signal was seen goes back by itself after every fetch, counted from"
          + " this instance's matches");
    };
  }

  /**
   * Sends {@code items} to the publisher of {@code config}'s feed; returns the publisher's platform
   * id when its answer names one.
   *
   * @throws ExchangeException when the publisher refuses them or cannot be reached
   */
  static String send(PeerConfig config, Map<String, String> credentials, List<FeedOpinions.Item> items, ExchangeContext context) {
    HttpClient http = PeerExchange.client(config, context);
    String key = PeerExchange.peerKey(credentials);
    String platform;
    try {
      platform = context.instanceId().get();
    } catch (RuntimeException e) {
      // Sent unnamed, its words would be kept apart from those this instance sent under its name.
      throw new ExchangeException("this instance's id cannot be read from its signing key: " + e.getMessage());
    }
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(new FeedOpinions.Report(platform, items));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report of opinions always writes as JSON", e);
    }
    URI opinions = PeerExchange.feedUri(config, "opinions");
    HttpRequest request = HttpRequest.newBuilder(opinions)
        .timeout(context.requestTimeout())
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new ExchangeException("the publisher could not be reached: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExchangeException("interrupted while sending opinions to the publisher");
    }
    try (InputStream in = response.body()) {
      byte[] answer = in.readNBytes(MAX_ANSWER_BYTES);
      int status = response.statusCode();
      if (status / 100 == 2) {
        return platformOf(answer);
      }
      String why = switch (status) {
        case 401 -> "refused the peer key (HTTP 401): it is wrong or was revoked";
        case 403 -> "refused the opinions (HTTP 403)";
        case 404 -> "has no such feed for this peer, or takes no opinions (HTTP 404)";
        default -> "answered HTTP " + status;
      };
      throw new ExchangeException("the publisher " + why + detail(answer));
    } catch (IOException e) {
      throw new ExchangeException("the publisher's answer could not be read: " + e.getClass().getSimpleName());
    }
  }

  /** The publisher's platform id as its answer names it, or null. */
  private static String platformOf(byte[] answer) {
    try {
      JsonNode received = JSON.readTree(answer);
      String platform = received == null ? "" : received.path("platform").asText("");
      return platform.isEmpty() ? null : platform;
    } catch (IOException e) {
      return null;
    }
  }

  /** The problem's detail the publisher gave, if any, to say which word it refused. */
  private static String detail(byte[] answer) {
    try {
      JsonNode problem = JSON.readTree(answer);
      String detail = problem == null ? "" : problem.path("detail").asText("");
      if (detail.isEmpty()) {
        return "";
      }
      return ": " + (detail.length() > MAX_DETAIL_CHARS ? detail.substring(0, MAX_DETAIL_CHARS) + "..." : detail);
    } catch (IOException e) {
      return "";
    }
  }
}

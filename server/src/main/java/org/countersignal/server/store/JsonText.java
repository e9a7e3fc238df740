package org.countersignal.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON documents kept in text columns (label lists, thresholds, audit snapshots). */
public final class JsonText {

  // snake_case, as the API writes the same records, so audit snapshots read like API responses.
  private static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
      .build();

  private JsonText() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON column", e);
    }
  }

  public static List<String> stringList(String json) {
    return read(json, new TypeReference<List<String>>() {});
  }

  public static Map<String, Integer> intMap(String json) {
    return new LinkedHashMap<>(read(json, new TypeReference<Map<String, Integer>>() {}));
  }

  public static Map<String, Object> objectMap(String json) {
    return new LinkedHashMap<>(read(json, new TypeReference<Map<String, Object>>() {}));
  }

  /** A stored document read back as the record it was written from. */
  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON column is not a " + type.getSimpleName(), e);
    }
  }

  public static JsonNode tree(String json) {
    if (json == null) {
      return null;
    }
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON column is not JSON", e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON column is not JSON", e);
    }
  }
}

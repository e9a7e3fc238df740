package org.countersignal.server.statement;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.server.RequestException;

/**
 * Writes statements as they come: JSON lines (one body of {@code POST /api/v1/statement} per
 * line; a hundred of them make the {@code statements} of one batch) or CSV with a header row of
 * the field names, lists joined by commas within their cell.
 */
public final class StatementExport implements Statements.Sink, AutoCloseable {

  /** The two formats, by the {@code format} query parameter's word. */
  public enum Format {
    JSONL("application/x-ndjson"),
    CSV("text/csv; charset=utf-8");

    private final String mediaType;

    Format(String mediaType) {
      this.mediaType = mediaType;
    }

    public String mediaType() {
      return mediaType;
    }

    public static Format parse(String text) {
      if (text == null || text.isBlank() || "jsonl".equals(text)) {
        return JSONL;
      }
      if ("csv".equals(text)) {
        return CSV;
      }
      throw RequestException.invalid("format", "jsonl (the default) or csv");
    }
  }

  private static final ObjectMapper JSON = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private final Format format;
  private final Writer out;
  private boolean started;

  public StatementExport(Format format, OutputStream out) {
    this.format = format;
    this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
  }

  @Override
  public void accept(StatementOfReasons statement) {
    try {
      if (format == Format.JSONL) {
        out.write(JSON.writeValueAsString(statement));
        out.write('\n');
        return;
      }
      if (!started) {
        out.write(String.join(",", StatementOfReasons.FIELDS));
        out.write("\r\n");
        started = true;
      }
      JsonNode tree = JSON.valueToTree(statement);
      List<String> cells = new ArrayList<>();
      for (String field : StatementOfReasons.FIELDS) {
        cells.add(cell(tree.get(field)));
      }
      out.write(String.join(",", cells));
      out.write("\r\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends the export: a CSV of no statement still has its header. */
  @Override
  public void close() throws IOException {
    if (format == Format.CSV && !started) {
      out.write(String.join(",", StatementOfReasons.FIELDS));
      out.write("\r\n");
    }
    out.flush();
  }

  /** RFC 4180: quoted when it holds a comma, a quote or a line break, with quotes doubled. */
  private static String cell(JsonNode value) {
    if (value == null || value.isNull()) {
      return "";
    }
    String text;
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(v -> items.add(v.asText()));
      text = String.join(",", items);
    } else {
      text = value.asText();
    }
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }
}

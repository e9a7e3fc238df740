package org.countersignal.server.transparency;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A report's figures looked up by key, breakdown and row; what a period did not have counts as zero. */
record FigureLookup(List<Figure> figures) {

  long total(String key) {
    return figures.stream().filter(f -> f.key().equals(key)).mapToLong(Figure::total).sum();
  }

  Long median(String key) {
    return figures.stream().filter(f -> f.key().equals(key)).findFirst().map(Figure::medianSeconds).orElse(null);
  }

  List<Figure.Count> rows(String key, String by) {
    return figures.stream().filter(f -> f.key().equals(key)).flatMap(f -> f.breakdowns().stream())
        .filter(b -> b.by().equals(by)).flatMap(b -> b.rows().stream()).toList();
  }

  Map<String, Figure.Count> byValue(String key, String by) {
    Map<String, Figure.Count> rows = new LinkedHashMap<>();
    rows(key, by).forEach(c -> rows.put(c.value(), c));
    return rows;
  }

  long count(String key, String by, String value) {
    Figure.Count row = byValue(key, by).get(value);
    return row == null ? 0 : row.count();
  }
}

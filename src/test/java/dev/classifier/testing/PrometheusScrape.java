package dev.classifier.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /actuator/prometheus} in the text format, queried by metric name and labels.
 */
public final class PrometheusScrape {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples = new ArrayList<>();

  public PrometheusScrape(String text) {
    for (String line : text.lines().toList()) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher label = LABEL.matcher(m.group(3));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
  }

  /**
   * The value of the one series named {@code name} whose labels include {@code labels} (pairs), or
   * 0 if absent.
   */
  public double value(String name, String... labels) {
    List<Sample> matches = matching(name, labels);
    if (matches.size() > 1) {
      throw new IllegalStateException(
          matches.size() + " series match " + name + " " + List.of(labels));
    }
    return matches.isEmpty() ? 0 : matches.get(0).value();
  }

  /** Whether at least one series named {@code name} has labels including {@code labels}. */
  public boolean has(String name, String... labels) {
    return !matching(name, labels).isEmpty();
  }

  /** The label values of {@code label} over all series named {@code name}. */
  public List<String> labelValues(String name, String label) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .map(s -> s.labels().get(label))
        .toList();
  }

  private List<Sample> matching(String name, String... labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(
            s -> {
              for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                  return false;
                }
              }
              return true;
            })
        .toList();
  }
}

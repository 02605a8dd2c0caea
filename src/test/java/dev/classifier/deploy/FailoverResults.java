package dev.classifier.deploy;

import dev.classifier.deploy.LoadGenerator.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The failover scenarios' numbers as a Markdown table, ready to copy into docs/load-balancing.md.
 */
final class FailoverResults {

  private final List<String> rows = new ArrayList<>();

  void add(String scenario, Summary all, Summary event, long eventNanos, String markedDown) {
    rows.add(
        "| %s | %d | %d | %d | %d | %d | %d | %.1f | %s |"
            .formatted(
                scenario,
                all.sent(),
                all.failed(),
                event.sent(),
                event.failed(),
                event.p99Millis(),
                event.maxMillis(),
                TimeUnit.NANOSECONDS.toMillis(eventNanos) / 1000.0,
                markedDown));
  }

  void write(Path file, String setup) throws IOException {
    if (rows.isEmpty()) {
      return;
    }
    List<String> lines =
        new ArrayList<>(
            List.of(
                setup,
                "",
                "| scenario | requests sent | failed | sent during event | failed during event | p99 during event (ms)"
                    + " | max during event (ms) | event duration (s) | marked DOWN after |",
                "|---|---|---|---|---|---|---|---|---|"));
    lines.addAll(rows);
    Files.createDirectories(file.getParent());
    Files.write(file, lines);
  }
}

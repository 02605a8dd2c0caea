package dev.classifier.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ## } sections of docs/benchmarks.md that runs of their own write (the protocol,
 * operations and soak benchmarks), found and replaced by their heading line, so each run rewrites
 * only its own part.
 */
final class MarkdownSections {

  /** The headings of the sections written by runs other than the main benchmark, in order. */
  static final List<String> SEPARATE_RUNS = List.of(OipBench.HEADING, OpsBench.HEADING, "## Soak");

  private MarkdownSections() {}

  /** The section of {@code markdown} under {@code heading}, heading included, or empty. */
  static String section(String markdown, String heading) {
    List<String> lines = markdown.lines().toList();
    int from = lines.indexOf(heading);
    if (from < 0) {
      return "";
    }
    return String.join("\n", lines.subList(from, end(lines, from))).strip() + "\n";
  }

  /**
   * {@code markdown} with the section that has {@code section}'s heading (its first line) replaced
   * by it, or with it appended.
   */
  static String replace(String markdown, String section) {
    String heading = section.lines().findFirst().orElseThrow();
    List<String> lines = new ArrayList<>(markdown.lines().toList());
    int from = lines.indexOf(heading);
    if (from < 0) {
      String base = markdown.isEmpty() || markdown.endsWith("\n") ? markdown : markdown + "\n";
      return base + (base.isEmpty() ? "" : "\n") + section;
    }
    int to = end(lines, from);
    List<String> result = new ArrayList<>(lines.subList(0, from));
    result.addAll(section.strip().lines().toList());
    if (to < lines.size()) {
      result.add("");
      result.addAll(lines.subList(to, lines.size()));
    }
    return String.join("\n", result) + "\n";
  }

  private static int end(List<String> lines, int from) {
    int to = from + 1;
    while (to < lines.size() && !lines.get(to).startsWith("## ")) {
      to++;
    }
    return to;
  }
}

package dev.classifier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownSectionsTest {

  private static final String DOC = "# Benchmarks\n\n## 1. Raw\n\nfloor\n\n## Soak\n\nflat\n";

  @Test
  void aSectionRunsFromItsHeadingToTheNextOne() {
    assertThat(MarkdownSections.section(DOC, "## 1. Raw")).isEqualTo("## 1. Raw\n\nfloor\n");
    assertThat(MarkdownSections.section(DOC, "## Soak")).isEqualTo("## Soak\n\nflat\n");
    assertThat(MarkdownSections.section(DOC, "## Nothing")).isEmpty();
  }

  @Test
  void replacingKeepsEverythingElseAndANewSectionIsAppended() {
    assertThat(MarkdownSections.replace(DOC, "## 1. Raw\n\nfaster\n"))
        .isEqualTo("# Benchmarks\n\n## 1. Raw\n\nfaster\n\n## Soak\n\nflat\n");
    assertThat(MarkdownSections.replace(DOC, "## Soak\n\nstill flat\n"))
        .isEqualTo("# Benchmarks\n\n## 1. Raw\n\nfloor\n\n## Soak\n\nstill flat\n");
    assertThat(MarkdownSections.replace(DOC, "## Operations\n\ncache\n"))
        .isEqualTo(DOC + "\n## Operations\n\ncache\n");
  }
}

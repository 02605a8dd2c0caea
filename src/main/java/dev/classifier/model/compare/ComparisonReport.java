package dev.classifier.model.compare;

import dev.classifier.model.ModelMetadata;
import java.nio.file.Path;
import java.util.Locale;

/** The plain-text table {@code compare-models} prints. */
final class ComparisonReport {

  private ComparisonReport() {}

  /** One compared model, as the table describes it. */
  record Model(Path file, long bytes, ModelMetadata metadata, long createNanos) {}

  static String format(
      Model reference,
      Model candidate,
      String input,
      String threads,
      Path images,
      ModelComparer.Outcome outcome) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "compare-models: %d images from %s%s, input %s, %s%n%n",
            outcome.images(),
            images,
            outcome.skipped() > 0 ? " (" + outcome.skipped() + " skipped)" : "",
            input,
            threads));
    s.append(
        String.format(
            Locale.ROOT,
            "%-10s %-9s %-9s %-14s %s%n",
            "",
            "precision",
            "size",
            "session start",
            "file (weights)"));
    row(s, "reference", reference);
    row(s, "candidate", candidate);
    s.append(String.format("%n"));
    s.append(figures(outcome.candidate(), outcome.noiseBaseline()));
    s.append(String.format("%n"));
    long ref = ModelComparer.Outcome.median(outcome.referenceNanos());
    long cand = ModelComparer.Outcome.median(outcome.candidateNanos());
    s.append(
        String.format(
            Locale.ROOT,
            "speed, batch 1, median of %d interleaved runs: reference %.1f ms, candidate %.1f ms,"
                + " ratio %.2f (reference time / candidate time)%n",
            outcome.images(),
            ref / 1e6,
            cand / 1e6,
            (double) ref / cand));
    s.append(
        String.format(
            "%nThe noise column is the floor: figures near it mean the candidate differs from the"
                + " reference%nabout as much as a 1-grey-level change of the input does. Judge on"
                + " photos like the ones you serve.%n"));
    return s.toString();
  }

  /** The agreement block: deterministic for given models and images. */
  static String figures(Agreement.Figures candidate, Agreement.Figures noise) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "%-17s %-24s %s%n",
            "",
            "candidate vs reference",
            "reference +-1 grey level"));
    s.append(
        String.format(
            Locale.ROOT, "%-17s %-24s %s%n", "top-1 agreement", top1(candidate), top1(noise)));
    s.append(
        String.format(
            Locale.ROOT,
            "%-17s %-24s %s%n",
            "top-5 overlap",
            percent(candidate.top5Overlap()),
            percent(noise.top5Overlap())));
    s.append(
        String.format(
            Locale.ROOT,
            "%-17s %-24s %s%n",
            "mean KL (nats)",
            number(candidate.meanKl()),
            number(noise.meanKl())));
    s.append(
        String.format(
            Locale.ROOT,
            "%-17s %-24s %s%n",
            "max |dp|",
            number(candidate.maxAbsDiff()),
            number(noise.maxAbsDiff())));
    return s.toString();
  }

  private static void row(StringBuilder s, String role, Model m) {
    s.append(
        String.format(
            Locale.ROOT,
            "%-10s %-9s %-9s %-14s %s (%s)%n",
            role,
            m.metadata().precision(),
            String.format(Locale.ROOT, "%.1f MB", m.bytes() / 1e6),
            String.format(Locale.ROOT, "%.0f ms", m.createNanos() / 1e6),
            m.file(),
            m.metadata().weightsSource()));
  }

  private static String top1(Agreement.Figures f) {
    return String.format(
        Locale.ROOT,
        "%d/%d (%.1f %%)",
        f.top1Agreements(),
        f.images(),
        f.images() == 0 ? 0.0 : 100.0 * f.top1Agreements() / f.images());
  }

  /** Four decimals; below 0.001 in scientific notation, so a small divergence never reads 0. */
  static String number(double v) {
    if (v == 0) {
      return "0";
    }
    return String.format(Locale.ROOT, Math.abs(v) < 1e-3 ? "%.2e" : "%.4f", v);
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }
}

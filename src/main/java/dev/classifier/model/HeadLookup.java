package dev.classifier.model;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ClassifierHeadReader} found in a model: its classifier head, or why the model cannot
 * be explained (for the start-up log; clients only learn that explanations are unsupported).
 */
public final class HeadLookup {

  private final ClassifierHead head;
  private final String reason;

  private HeadLookup(ClassifierHead head, String reason) {
    this.head = head;
    this.reason = reason;
  }

  public static HeadLookup found(ClassifierHead head) {
    return new HeadLookup(Objects.requireNonNull(head), null);
  }

  public static HeadLookup unsupported(String reason) {
    return new HeadLookup(null, Objects.requireNonNull(reason));
  }

  public boolean supported() {
    return head != null;
  }

  public Optional<ClassifierHead> head() {
    return Optional.ofNullable(head);
  }

  /** Why the model has no usable head; empty when it has one. */
  public Optional<String> unsupportedReason() {
    return Optional.ofNullable(reason);
  }

  @Override
  public String toString() {
    return supported()
        ? "head on '"
            + head.featureOutput()
            + "' ("
            + head.layout()
            + ", "
            + head.channels()
            + " channels, "
            + head.classes()
            + " classes)"
        : "unsupported: " + reason;
  }
}

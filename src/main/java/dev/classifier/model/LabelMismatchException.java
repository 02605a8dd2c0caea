package dev.classifier.model;

import java.nio.file.Path;

/** At start-up: the label file names another number of classes than the model scores. */
public class LabelMismatchException extends IllegalStateException {

  private final int classes;
  private final Path labels;
  private final int labelCount;

  public LabelMismatchException(int classes, Path labels, int labelCount) {
    super(
        "the model has "
            + classes
            + " output classes but "
            + labels
            + " has "
            + labelCount
            + " labels");
    this.classes = classes;
    this.labels = labels;
    this.labelCount = labelCount;
  }

  public int classes() {
    return classes;
  }

  public Path labels() {
    return labels;
  }

  public int labelCount() {
    return labelCount;
  }
}

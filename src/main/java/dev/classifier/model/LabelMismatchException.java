package dev.classifier.model;

/** At start-up: the labels name another number of classes than the model scores. */
public class LabelMismatchException extends IllegalStateException {

  private final int classes;
  private final String source;
  private final int labelCount;

  /**
   * @param source where the labels came from, e.g. "the label file models/x.tsv"
   */
  public LabelMismatchException(int classes, String source, int labelCount) {
    super(
        "the model has "
            + classes
            + " output classes but "
            + source
            + " has "
            + labelCount
            + " labels");
    this.classes = classes;
    this.source = source;
    this.labelCount = labelCount;
  }

  public int classes() {
    return classes;
  }

  public String source() {
    return source;
  }

  public int labelCount() {
    return labelCount;
  }
}

package dev.classifier.model;

import java.util.List;

/** The class names a model's output indices map to, as one injectable value. */
public record LabelSet(List<ImageNetLabel> all) {

  public LabelSet {
    all = List.copyOf(all);
  }

  public ImageNetLabel get(int index) {
    return all.get(index);
  }

  public int size() {
    return all.size();
  }
}

package dev.classifier.model;

import java.nio.file.Path;
import java.util.List;

/** Reads the 1000 ImageNet classes from the labels file in {@code models/}. */
public final class ImageNetLabels {

  private ImageNetLabels() {}

  /** @return the labels in class-index order, so that {@code get(i).index() == i} */
  public static List<ImageNetLabel> load(Path file) {
    throw new UnsupportedOperationException("labels not implemented yet");
  }
}

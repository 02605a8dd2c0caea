package dev.classifier.core;

/**
 * One request for an explanation picture: one encoded image, the class to show over it (null for
 * the top-1), and how opaque the heatmap is.
 *
 * @param opacity of the heatmap, in [0, 1]
 */
public record ExplainRequest(
    Images.Encoded image, Integer classIndex, double opacity, Client client) {

  public static final double DEFAULT_OPACITY = 0.5;

  /**
   * @throws InvalidRequestException for other than one image, a negative class or an opacity
   *     outside [0, 1]
   */
  public ExplainRequest {
    if (image.count() != 1) {
      throw new InvalidRequestException(
          image.count() == 0
              ? InvalidRequestException.Reason.NO_IMAGES
              : InvalidRequestException.Reason.TOO_MANY_IMAGES,
          "an explanation takes exactly one image, not " + image.count());
    }
    if (classIndex != null && classIndex < 0) {
      throw new InvalidRequestException(
          InvalidRequestException.Reason.CLASS_INDEX,
          "class must be at least 0, was " + classIndex);
    }
    if (!(opacity >= 0 && opacity <= 1)) {
      throw new IllegalArgumentException("opacity must be in [0, 1], was " + opacity);
    }
  }
}

package dev.classifier.core;

/**
 * One request to classify images, as every door hands it to the core.
 *
 * @param topK how many classes to return per image, most likely first
 * @param explain whether each prediction gets its class activation map; only then is the model's
 *     feature output fetched
 */
public record ClassificationRequest(Images images, int topK, boolean explain, Client client) {

  public static final int TOP_K_MIN = 1;
  public static final int TOP_K_MAX = 1000;

  /**
   * @throws InvalidRequestException for no images or a topK out of range
   */
  public ClassificationRequest {
    if (images.count() == 0) {
      throw new InvalidRequestException(InvalidRequestException.Reason.NO_IMAGES, "no image");
    }
    if (topK < TOP_K_MIN || topK > TOP_K_MAX) {
      throw new InvalidRequestException(
          InvalidRequestException.Reason.TOP_K,
          "topK must be between " + TOP_K_MIN + " and " + TOP_K_MAX + ", was " + topK);
    }
  }
}

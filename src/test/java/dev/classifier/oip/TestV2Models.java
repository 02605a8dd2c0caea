package dev.classifier.oip;

import java.util.List;

/**
 * Small V2 models for codec tests: input {@code input_1} FP32 [-1,2,2,3] (NHWC), output {@code
 * predictions} FP32 [-1,3] with labels cat, dog and "" (no label), at most 4 per batch, and the
 * image model beside it.
 */
public final class TestV2Models {

  public static final V2Models MODELS =
      V2Models.of(
          "xception",
          "input_1",
          new long[] {1, 2, 2, 3},
          "NHWC",
          "predictions",
          List.of("cat", "dog", ""),
          "labels.tsv",
          4);

  public static final V2Model TENSOR = MODELS.find("xception", "");
  public static final V2Model IMAGE = MODELS.find("xception-image", "");

  /** 1 MiB requests. */
  public static final OipLimits LIMITS = OipLimits.forMaxBytes(1 << 20);

  private TestV2Models() {}
}

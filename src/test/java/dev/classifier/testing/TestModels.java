package dev.classifier.testing;

import java.nio.file.Path;

/**
 * Where tests keep the synthetic Xception they share: built once per clean build, reused by later
 * tests.
 */
public final class TestModels {

  private TestModels() {}

  /**
   * The configured model path for the full synthetic Xception; the service builds it there when
   * absent.
   */
  public static Path syntheticXception() {
    return Path.of("target", "test-models", "xception-synthetic-42.onnx").toAbsolutePath();
  }
}

package dev.classifier.testing;

import dev.classifier.model.build.XceptionModelBuilder;
import java.nio.file.Path;

/**
 * Where tests keep the synthetic Xception they share: built once per clean build, reused by later
 * tests.
 */
public final class TestModels {

  private TestModels() {}

  /**
   * The configured model path for the full synthetic Xception; the service builds it there when
   * absent. Named by builder version, so a file cached by an older builder is never reused.
   */
  public static Path syntheticXception() {
    String version = XceptionModelBuilder.BUILDER_VERSION.replaceAll("[^A-Za-z0-9.-]", "-");
    return Path.of("target", "test-models", "xception-synthetic-42-" + version + ".onnx")
        .toAbsolutePath();
  }
}

package dev.classifier.model;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the configured model file exists: uses it as it is, or has the synthetic Xception
 * built into it. The builder is handed in, so the runtime package never depends on the build tool.
 */
public final class ModelProvisioner {

  /**
   * Writes a synthetic model to {@code output} (atomically: a crash never leaves a half-written
   * file).
   */
  @FunctionalInterface
  public interface SyntheticBuilder {
    void build(long seed, Path output);
  }

  private static final Logger log = LoggerFactory.getLogger(ModelProvisioner.class);

  private final SyntheticBuilder builder;

  public ModelProvisioner(SyntheticBuilder builder) {
    this.builder = builder;
  }

  /**
   * @param modelPath the configured model file
   * @param syntheticSeed seed for the synthetic weights used when the file is absent
   * @return the file to load
   */
  public Path ensure(Path modelPath, long syntheticSeed) {
    if (!Files.isRegularFile(modelPath)) {
      log.info(
          "Model {} is absent: building the synthetic Xception (seed {})",
          modelPath,
          syntheticSeed);
      builder.build(syntheticSeed, modelPath);
    }
    return modelPath;
  }
}

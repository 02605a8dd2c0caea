package dev.classifier.model;

import java.nio.file.Path;

/**
 * Makes sure the configured model file exists: uses it as it is, or builds the synthetic Xception into it
 * (written atomically, so a crash never leaves a half-written model) and warns loudly that labels are
 * meaningless until real weights are installed.
 */
public final class ModelProvisioner {

  /**
   * @param modelPath the configured model file
   * @param syntheticSeed seed for the synthetic weights used when the file is absent
   * @return the file to load and its weights source, read from the model's metadata
   */
  public ProvisionedModel ensure(Path modelPath, long syntheticSeed) {
    throw new UnsupportedOperationException("model provisioning not implemented yet");
  }
}

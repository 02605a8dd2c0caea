package dev.classifier.model;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the configured model file exists: uses it as it is, or builds the synthetic Xception into it
 * (written atomically, so a crash never leaves a half-written model) and warns loudly that labels are
 * meaningless until real weights are installed.
 */
public final class ModelProvisioner {

  private static final Logger log = LoggerFactory.getLogger(ModelProvisioner.class);

  /**
   * @param modelPath the configured model file
   * @param syntheticSeed seed for the synthetic weights used when the file is absent
   * @return the file to load and its weights source, read from the model's metadata
   */
  public ProvisionedModel ensure(Path modelPath, long syntheticSeed) {
    ProvisionedModel model;
    if (Files.isRegularFile(modelPath)) {
      String source = OnnxModelFiles.readMetadata(modelPath).getOrDefault(ModelMetadata.WEIGHTS_SOURCE, "unknown");
      log.info("Using model {} (weights {})", modelPath, source);
      model = new ProvisionedModel(modelPath, source);
    } else {
      log.info("Model {} is absent: building the synthetic Xception (seed {})", modelPath, syntheticSeed);
      XceptionModelBuilder.Result result = new XceptionModelBuilder(log::info).synthetic(syntheticSeed, modelPath);
      model = new ProvisionedModel(modelPath, result.weightsSource());
    }
    // On every start, not only the first: a cached synthetic model is just as meaningless.
    if (model.synthetic()) {
      log.warn("""

          ************************************************************************************************
          *  SYNTHETIC MODEL IN USE ({}): real Xception architecture and speed, RANDOM weights.
          *  Predicted labels are MEANINGLESS until the real ImageNet weights are installed:
          *    models/download-weights.sh            (downloads the Keras h5, checks its MD5, converts it)
          *  or, with the h5 file at hand:
          *    java -jar target/xception-classifier-0.1.0-SNAPSHOT.jar build-model \\
          *        --weights xception_weights_tf_dim_ordering_tf_kernels.h5 --output {}
          ************************************************************************************************""",
          model.weightsSource(), modelPath);
    }
    return model;
  }
}

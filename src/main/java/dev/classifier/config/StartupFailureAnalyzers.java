package dev.classifier.config;

import dev.classifier.inference.CudaUnavailableException;
import dev.classifier.inference.ModelLoadException;
import dev.classifier.inference.PreprocessingUnknownException;
import dev.classifier.model.LabelMismatchException;
import dev.classifier.model.ModelMetadata;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * The service's own start-up failures as Spring Boot reports what it understands: "APPLICATION
 * FAILED TO START", what is wrong and what to do, without a stack trace (Boot logs the trace at
 * DEBUG). Registered in {@code META-INF/spring.factories}.
 */
final class StartupFailureAnalyzers {

  private StartupFailureAnalyzers() {}

  /** The model records no preprocessing (or one the service does not know) and none is set. */
  static final class Preprocessing extends AbstractFailureAnalyzer<PreprocessingUnknownException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, PreprocessingUnknownException cause) {
      String description =
          cause.recorded() == null
              ? "The model records no preprocessing (ONNX metadata '"
                  + ModelMetadata.PREPROCESSING
                  + "') and classifier.model.preprocessing is not set, so the service cannot know"
                  + " how to scale the pixels of its input."
              : "The model records preprocessing '"
                  + cause.recorded()
                  + "' (ONNX metadata '"
                  + ModelMetadata.PREPROCESSING
                  + "'), which the service does not know.";
      return new FailureAnalysis(
          description,
          "Set classifier.model.preprocessing to the scaling the model was trained with: tf"
              + " ([-1, 1]), torch (ImageNet mean and standard deviation) or caffe (BGR, mean"
              + " subtracted).",
          cause);
    }
  }

  /** The label file does not have one label per class the model scores. */
  static final class Labels extends AbstractFailureAnalyzer<LabelMismatchException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, LabelMismatchException cause) {
      return new FailureAnalysis(
          "The model scores "
              + cause.classes()
              + " classes, but "
              + cause.source()
              + " has "
              + cause.labelCount()
              + " labels.",
          "Set classifier.model.labels to the label file of this model (one line per class, in"
              + " the order of the model's outputs), or classifier.model.path to the model these"
              + " labels belong to.",
          cause);
    }
  }

  /** {@code classifier.inference.provider=cuda}, and CUDA cannot be used. */
  static final class Cuda extends AbstractFailureAnalyzer<CudaUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, CudaUnavailableException cause) {
      return new FailureAnalysis(
          "classifier.inference.provider=cuda, but the CUDA execution provider could not be"
              + " created for device "
              + cause.deviceId()
              + ": "
              + cause.reason(),
          "Run with "
              + cause.requirements()
              + "; or set classifier.inference.provider=cpu, or auto to use CUDA when it is"
              + " usable and the CPU otherwise.",
          cause);
    }
  }

  /** The model file cannot be read, or is not an ONNX image classifier. */
  static final class Model extends AbstractFailureAnalyzer<ModelLoadException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, ModelLoadException cause) {
      return new FailureAnalysis(
          "The model file " + cause.model() + " cannot be loaded: " + cause.reason(),
          "Set classifier.model.path to a readable ONNX image classifier (one float32 image"
              + " input, a float32 class-score output), or remove the file to have the synthetic"
              + " Xception built in its place.",
          cause);
    }
  }
}

package dev.classifier.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the configured execution provider to the session options, failing with an actionable message
 * when CUDA was asked for and cannot be had: the commonest GPU failure is a CUDA or cuDNN that does
 * not match the build.
 */
record ProviderSelection(ExecutionProvider requested, int deviceId) {

  private static final Logger log = LoggerFactory.getLogger(ProviderSelection.class);

  /** What the ONNX Runtime GPU build of this version expects on the host. */
  static final String CUDA_REQUIREMENTS =
      "the GPU build (com.microsoft.onnxruntime:onnxruntime_gpu, Maven profile -Pgpu, the image built on "
          + "docker/gpu-base), "
          + "CUDA 12.x and cuDNN 9.x libraries on the library path, and an NVIDIA driver";

  /**
   * @return the provider in use, {@code CPU} or {@code CUDA}
   */
  String apply(OrtSession.SessionOptions options) throws OrtException {
    if (requested == ExecutionProvider.CPU) {
      return "CPU";
    }
    String failure = tryCuda(options);
    if (failure == null) {
      return "CUDA";
    }
    if (requested == ExecutionProvider.CUDA) {
      throw new CudaUnavailableException(
          "classifier.inference.provider=cuda, but the CUDA execution provider could not be created for device "
              + deviceId
              + ": "
              + failure
              + ". It needs "
              + CUDA_REQUIREMENTS
              + ". Set classifier.inference.provider=cpu (or auto) to run on the CPU.",
          deviceId,
          failure);
    }
    log.warn(
        "classifier.inference.provider=auto: CUDA is not usable ({}); running on the CPU", failure);
    return "CPU";
  }

  /**
   * @return null when CUDA was added, else why not
   */
  private String tryCuda(OrtSession.SessionOptions options) {
    EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
    if (!available.contains(OrtProvider.CUDA)) {
      return "this ONNX Runtime build ("
          + OrtEnvironment.getEnvironment().getVersion()
          + ") has no CUDA provider, only "
          + available;
    }
    try {
      options.addCUDA(deviceId);
      return null;
    } catch (OrtException e) {
      List<String> missing = CudaLibraries.missing(System.getenv("LD_LIBRARY_PATH"));
      return e.getMessage()
          + (missing.isEmpty()
              ? ""
              : " (not found on the library path: " + String.join(", ", missing) + ")");
    }
  }
}

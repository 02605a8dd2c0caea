package dev.classifier.inference;

/** At start-up: the CUDA provider was asked for explicitly and could not be created. */
public class CudaUnavailableException extends InferenceException {

  private final int deviceId;
  private final String reason;

  CudaUnavailableException(String message, int deviceId, String reason) {
    super(message, null);
    this.deviceId = deviceId;
    this.reason = reason;
  }

  public int deviceId() {
    return deviceId;
  }

  /** What the CUDA provider needs, to say in the action. */
  public String requirements() {
    return ProviderSelection.CUDA_REQUIREMENTS;
  }

  /** Why CUDA could not be used, as ONNX Runtime or the library check said. */
  public String reason() {
    return reason;
  }
}

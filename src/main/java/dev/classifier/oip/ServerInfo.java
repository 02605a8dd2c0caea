package dev.classifier.oip;

import java.util.List;

/**
 * What server metadata reports: the service's name and version and the protocol extensions it
 * speaks (Triton's names: binary tensor data, classification, model configuration).
 */
public record ServerInfo(String name, String version, List<String> extensions) {

  public static final List<String> EXTENSIONS =
      List.of("binary_tensor_data", "classification", "model_configuration");

  public ServerInfo {
    extensions = List.copyOf(extensions);
  }

  public static ServerInfo of(String version) {
    return new ServerInfo("xception-classifier", version, EXTENSIONS);
  }
}

package dev.classifier.rest.v1;

import dev.classifier.image.ImageInfo;
import dev.classifier.rest.v1.ClassificationResponse.ImageResult;
import dev.classifier.rest.v1.ClassificationResponse.ModelSummary;
import dev.classifier.rest.v1.ClassificationResponse.Prediction;
import dev.classifier.rest.v1.ClassificationResponse.Timings;
import io.swagger.v3.oas.models.examples.Example;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Example bodies for the OpenAPI document, built from the real DTOs and problem types so they
 * cannot go stale.
 */
final class OpenApiExamples {

  private OpenApiExamples() {}

  static Map<String, Object> problem(ProblemType type) {
    Map<String, Object> example = new LinkedHashMap<>();
    example.put("type", type.type().toString());
    example.put("title", type.title());
    example.put("status", type.status().value());
    example.put(
        "detail",
        switch (type) {
          case INVALID_TOP_K ->
              "topK must be greater than or equal to " + ApiContract.TOP_K_MIN + ", was 0";
          case MISSING_IMAGE -> "the request body is empty";
          case CORRUPT_IMAGE -> "the png image is truncated";
          case QUEUE_FULL -> "the inference queue is full (16 waiting)";
          case INVALID_CLASS -> "class must be between 0 and 999, was 1000";
          default -> type.title();
        });
    example.put("instance", "/v1/classify");
    example.put("requestId", "5b0f3c9e-1d7a-4a53-9c55-0c8a1f0e2b17");
    return example;
  }

  static Example success() {
    ClassificationResponse body =
        new ClassificationResponse(
            "5b0f3c9e-1d7a-4a53-9c55-0c8a1f0e2b17",
            new ModelSummary("xception", "synthetic:42", true, "CPU", "9f2c…", "fp32"),
            List.of(
                new ImageResult(
                    new ImageInfo("jpeg", 640, 480),
                    List.of(
                        new Prediction(1, 281, "n02123045", "tabby", 0.87f),
                        new Prediction(2, 282, "n02123159", "tiger cat", 0.06f)),
                    new Timings(3.1, 1.2, 0.05, 98.4, 103.2, 1))));
    return new Example().summary("Two classes of one JPEG").value(body);
  }
}

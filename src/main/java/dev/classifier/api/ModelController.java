package dev.classifier.api;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.explain.Explainer;
import dev.classifier.inference.Classifier;
import dev.classifier.inference.ModelInfo;
import dev.classifier.inference.ModelSignature;
import dev.classifier.model.LabelSet;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/models/{name}}: the loaded model's interface, weights, provider and thread
 * settings; {@code GET /v1/models}: all served models, so a client can show them before its first
 * upload.
 */
@RestController
@RequestMapping("/v1/models")
class ModelController {

  private final Classifier classifier;
  private final LabelSet labels;
  private final String modelName;
  private final Explainer explainer;

  ModelController(
      Classifier classifier,
      LabelSet labels,
      ClassifierProperties properties,
      Explainer explainer) {
    this.explainer = explainer;
    this.classifier = classifier;
    this.labels = labels;
    this.modelName = properties.model().name();
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  ModelInfoResponse.ModelList models() {
    return new ModelInfoResponse.ModelList(List.of(describe()));
  }

  @GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
  ModelInfoResponse model(@PathVariable String name) {
    if (!modelName.equals(name)) {
      throw new ApiException(
          ProblemType.NOT_FOUND,
          "no model named '" + name + "'; this service serves '" + modelName + "'");
    }
    return describe();
  }

  private ModelInfoResponse describe() {
    ModelInfo info = classifier.info();
    ModelSignature signature = info.signature();
    return new ModelInfoResponse(
        modelName,
        info.weightsSource(),
        info.synthetic(),
        info.sha256(),
        info.file(),
        info.builderVersion(),
        new ModelInfoResponse.Input(
            signature.inputName(),
            Arrays.stream(signature.inputShape()).boxed().toList(),
            signature.layout(),
            signature.height(),
            signature.width()),
        new ModelInfoResponse.Output(
            signature.outputName(),
            Arrays.stream(signature.outputShape()).boxed().toList(),
            info.outputKind().name().toLowerCase(Locale.ROOT)),
        labels.size(),
        info.provider(),
        new ModelInfoResponse.Threads(
            info.threads().cpus(), info.threads().workers(), info.threads().intraOpThreads()),
        new ModelInfoResponse.Batching(
            info.batching().maxBatchSize(),
            info.batching().maxQueueDelay().toNanos() / 1e6,
            info.batching().queueCapacity()),
        classifier.ready(),
        explainer.supported());
  }
}

package dev.classifier.rest.v1;

import dev.classifier.inference.Inference;
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
 * {@code GET /v1/models/{name}}: the served model's interface, weights, provider and thread
 * settings; {@code GET /v1/models}: all served models, so a client can show them before its first
 * upload.
 */
@RestController
@RequestMapping("/v1/models")
class ModelController {

  private final Inference inference;
  private final int labels;

  ModelController(Inference inference, LabelSet labels) {
    this.inference = inference;
    this.labels = labels.size();
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  ModelInfoResponse.ModelList models() {
    return new ModelInfoResponse.ModelList(List.of(describe(inference.model())));
  }

  @GetMapping(path = "/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
  ModelInfoResponse model(@PathVariable String name) {
    ModelInfo info = inference.model();
    if (!info.name().equals(name)) {
      throw new ApiException(
          ProblemType.NOT_FOUND,
          "no model named '" + name + "'; this service serves '" + info.name() + "'");
    }
    return describe(info);
  }

  private ModelInfoResponse describe(ModelInfo info) {
    ModelSignature signature = info.signature();
    return new ModelInfoResponse(
        info.name(),
        info.weightsSource(),
        info.synthetic(),
        info.sha256(),
        info.file(),
        info.metadata().builderVersion(),
        info.precision(),
        new ModelInfoResponse.Input(
            signature.inputName(),
            Arrays.stream(signature.inputShape()).boxed().toList(),
            signature.layout(),
            info.input().height(),
            info.input().width(),
            info.input().normalization().id()),
        new ModelInfoResponse.Output(
            signature.outputName(),
            Arrays.stream(signature.outputShape()).boxed().toList(),
            info.outputKind().name().toLowerCase(Locale.ROOT)),
        labels,
        info.provider(),
        new ModelInfoResponse.Threads(
            info.threads().threading(),
            info.threads().cpus(),
            info.threads().workers(),
            info.threads().intraOpThreads()),
        new ModelInfoResponse.Batching(
            info.batching().maxBatchSize(),
            info.batching().maxQueueDelay().toNanos() / 1e6,
            info.batching().queueCapacity()),
        info.explanations(),
        inference.ready());
  }
}

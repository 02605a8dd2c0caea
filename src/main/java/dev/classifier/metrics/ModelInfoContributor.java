package dev.classifier.metrics;

import dev.classifier.inference.Inference;
import dev.classifier.inference.ModelInfo;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/** Puts the served model into {@code /actuator/info} next to the build and git details. */
@Component
class ModelInfoContributor implements InfoContributor {

  private final Inference inference;

  ModelInfoContributor(Inference inference) {
    this.inference = inference;
  }

  @Override
  public void contribute(Info.Builder builder) {
    ModelInfo info = inference.model();
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("name", info.name());
    model.put("file", info.file());
    model.put("sha256", info.sha256());
    model.put("weights", info.weightsSource());
    model.put("synthetic", info.synthetic());
    model.put("precision", info.precision());
    model.put("preprocessing", info.input().normalization().id());
    model.put("builderVersion", info.metadata().builderVersion());
    model.put("provider", info.provider());
    model.put("outputKind", info.outputKind().name().toLowerCase(Locale.ROOT));
    model.put("ready", inference.ready());
    builder.withDetail("model", model);
  }
}

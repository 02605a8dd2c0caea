package dev.classifier.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Encoding;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Completes the generated OpenAPI document with what springdoc cannot see in the handler
 * signatures: both request-body variants of {@code POST /v1/classify}, every problem response with
 * its {@code type} values, the correlation and retry headers, and examples. Generated from {@link
 * ProblemType}, so the spec cannot list an error the service does not return.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocumentation {

  static final List<String> RAW_TYPES =
      List.of(
          "application/octet-stream",
          "image/jpeg",
          "image/png",
          "image/gif",
          "image/bmp",
          "image/webp",
          "image/tiff");

  private static final String PROBLEM_JSON = "application/problem+json";
  private static final String PROBLEM_SCHEMA = "Problem";
  private static final String UPLOAD_SCHEMA = "ImageUpload";
  private static final String REQUEST_ID = "X-Request-Id";

  private static final List<ProblemType> CLASSIFY_ERRORS =
      List.of(
          ProblemType.MALFORMED_REQUEST,
          ProblemType.MISSING_IMAGE,
          ProblemType.INVALID_TOP_K,
          ProblemType.TOO_MANY_IMAGES,
          ProblemType.EXPLANATIONS_UNSUPPORTED,
          ProblemType.NOT_ACCEPTABLE,
          ProblemType.PAYLOAD_TOO_LARGE,
          ProblemType.IMAGE_TOO_LARGE,
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          ProblemType.CORRUPT_IMAGE,
          ProblemType.QUEUE_FULL,
          ProblemType.DEADLINE_EXCEEDED,
          ProblemType.NOT_READY,
          ProblemType.SHUTTING_DOWN,
          ProblemType.INTERNAL_ERROR);

  private static final List<ProblemType> EXPLAIN_ERRORS =
      List.of(
          ProblemType.MALFORMED_REQUEST,
          ProblemType.MISSING_IMAGE,
          ProblemType.INVALID_CLASS,
          ProblemType.TOO_MANY_IMAGES,
          ProblemType.EXPLANATIONS_UNSUPPORTED,
          ProblemType.NOT_ACCEPTABLE,
          ProblemType.PAYLOAD_TOO_LARGE,
          ProblemType.IMAGE_TOO_LARGE,
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          ProblemType.CORRUPT_IMAGE,
          ProblemType.QUEUE_FULL,
          ProblemType.DEADLINE_EXCEEDED,
          ProblemType.NOT_READY,
          ProblemType.SHUTTING_DOWN,
          ProblemType.INTERNAL_ERROR);

  private static final List<ProblemType> MODEL_ERRORS =
      List.of(ProblemType.NOT_FOUND, ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL_ERROR);

  @Bean
  OpenApiCustomizer classifierOpenApi() {
    return openApi -> {
      openApi.info(
          new Info()
              .title("Xception image classifier")
              .version("v1")
              .description(
                  "Upload an image, get the top-k ImageNet classes. Errors are RFC 9457 problem documents whose"
                      + " `type` is one of the `"
                      + ProblemType.PREFIX
                      + "<slug>` URIs listed per response."));
      openApi.servers(
          List.of(new Server().url("http://localhost:8080").description("a local instance")));
      if (openApi.getComponents() == null) {
        openApi.components(new Components());
      }
      openApi.getComponents().addSchemas(PROBLEM_SCHEMA, problemSchema());
      openApi.getComponents().addSchemas(UPLOAD_SCHEMA, uploadSchema());
      openApi.getComponents().addHeaders(REQUEST_ID, requestIdHeader());
      openApi
          .getComponents()
          .addHeaders(
              "Retry-After",
              new Header()
                  .description("Seconds after which a retry is likely to succeed")
                  .schema(new IntegerSchema()));
      // Tags name the generated client's classes (ClassificationApi, ModelsApi).
      openApi.tags(
          List.of(
              new Tag().name("classification").description("Classify images"),
              new Tag()
                  .name("explanations")
                  .description("Where the model looked: class activation maps"),
              new Tag().name("models").description("The served model")));
      PathItem classify = openApi.getPaths().get("/v1/classify");
      if (classify != null && classify.getPost() != null) {
        documentClassify(classify.getPost());
      }
      PathItem explain = openApi.getPaths().get("/v1/explain");
      if (explain != null && explain.getPost() != null) {
        documentExplain(explain.getPost());
      }
      PathItem models = openApi.getPaths().get("/v1/models");
      if (models != null && models.getGet() != null) {
        models
            .getGet()
            .tags(List.of("models"))
            .operationId("listModels")
            .summary("List the served models");
        addCommon(models.getGet(), List.of(ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL_ERROR));
      }
      PathItem model = openApi.getPaths().get("/v1/models/{name}");
      if (model != null && model.getGet() != null) {
        model
            .getGet()
            .tags(List.of("models"))
            .operationId("getModel")
            .summary("Describe the loaded model");
        addCommon(model.getGet(), MODEL_ERRORS);
      }
    };
  }

  /** Named, not inline, so client generators emit a model for it rather than a dangling import. */
  private static Schema<?> uploadSchema() {
    return new ObjectSchema()
        .description("The multipart variant: one or more images, each a part named `image`")
        .addProperty("image", new ArraySchema().items(new BinarySchema()).minItems(1))
        .addRequiredItem("image");
  }

  private static Content imageBody() {
    Content content = new Content();
    for (String type : RAW_TYPES) {
      content.addMediaType(type, new MediaType().schema(new BinarySchema()));
    }
    content.addMediaType(
        org.springframework.http.MediaType.MULTIPART_FORM_DATA_VALUE,
        new MediaType()
            .schema(new Schema<>().$ref("#/components/schemas/" + UPLOAD_SCHEMA))
            .addEncoding("image", new Encoding().contentType("image/*, application/octet-stream")));
    return content;
  }

  private static void documentExplain(Operation operation) {
    operation
        .tags(List.of("explanations"))
        .operationId("explain")
        .summary("Draw where the model found a class")
        .description(
            "One image, as the raw request body or as one multipart part named `image`. Returns the"
                + " class activation map (Zhou et al. 2016) of `class` — by default the top-1 class —"
                + " upsampled bilinearly, coloured with viridis (dark: low, yellow: high, normalised"
                + " to the map's own range) and blended over the upright image, as a PNG of the"
                + " image's aspect ratio, at most "
                + ExplainService.MAX_SIDE
                + " pixels on its long side. For the raw maps use `POST /v1/classify?explain=true`."
                + " Needs a model whose `explanations` is true.");
    operation.requestBody(new RequestBody().required(true).content(imageBody()));
    if (operation.getParameters() != null) {
      for (Parameter parameter : operation.getParameters()) {
        if ("class".equals(parameter.getName())) {
          parameter
              .description("Class index to explain, 0 to classes − 1 (default: the top-1 class)")
              .example(281)
              .schema(new IntegerSchema().minimum(java.math.BigDecimal.ZERO));
        } else if ("opacity".equals(parameter.getName())) {
          parameter
              .description(
                  "Heatmap opacity from 0 (image only) to 1 (heatmap only), default "
                      + ExplainService.DEFAULT_OPACITY)
              .example(0.5)
              .schema(
                  new io.swagger.v3.oas.models.media.NumberSchema()
                      .minimum(java.math.BigDecimal.ZERO)
                      .maximum(java.math.BigDecimal.ONE));
        }
      }
    }
    ApiResponse ok =
        new ApiResponse()
            .description("The heatmap over the image")
            .content(
                new Content()
                    .addMediaType(
                        org.springframework.http.MediaType.IMAGE_PNG_VALUE,
                        new MediaType().schema(new BinarySchema())));
    ok.addHeaderObject(
        ExplainController.CLASS_HEADER,
        new Header()
            .description("The class index shown (the top-1 when `class` was not given)")
            .schema(new IntegerSchema()));
    operation.getResponses().addApiResponse("200", ok);
    addCommon(operation, EXPLAIN_ERRORS);
  }

  private static void documentClassify(Operation operation) {
    operation
        .tags(List.of("classification"))
        .operationId("classify")
        .summary("Classify one or more images")
        .description(
            "Send the images as multipart parts named `image` (several parts are classified in one call, results"
                + " in upload order), or one image as the raw request body. The declared content type only picks"
                + " the variant: the format is always sniffed from the bytes.");
    operation.requestBody(new RequestBody().required(true).content(imageBody()));
    if (operation.getParameters() != null) {
      for (Parameter parameter : operation.getParameters()) {
        if ("topK".equals(parameter.getName())) {
          parameter
              .description(
                  "How many classes to return per image, most likely first (default: the service's"
                      + " `classifier.top-k-default`, 5 unless configured)")
              .example(3)
              .schema(
                  new IntegerSchema()
                      .minimum(java.math.BigDecimal.ONE)
                      .maximum(java.math.BigDecimal.valueOf(1000)));
        } else if ("explain".equals(parameter.getName())) {
          parameter.description(
              "Add to each prediction its class activation map `map` (raw values, row-major,"
                  + " upright; the map's mean plus the class's bias is its logit) and to each"
                  + " result `timings.explainMs`. Needs a model whose `explanations` is true, else"
                  + " `explanations-unsupported`. Without it the model's feature map is not even"
                  + " fetched.");
        }
      }
    }
    ApiResponse ok = operation.getResponses().get("200");
    if (ok != null && ok.getContent() != null) {
      ok.description("One result per image, in upload order");
      ok.getContent()
          .values()
          .forEach(media -> media.addExamples("synthetic-weights", OpenApiExamples.success()));
    }
    addCommon(operation, CLASSIFY_ERRORS);
  }

  private static void addCommon(Operation operation, List<ProblemType> errors) {
    operation.addParametersItem(
        new Parameter()
            .in("header")
            .name(REQUEST_ID)
            .required(false)
            .description(
                "Correlation id, echoed back; 1–128 characters of [A-Za-z0-9._:-], else replaced by a UUID")
            .schema(new StringSchema().pattern("^[A-Za-z0-9._:-]{1,128}$")));
    ApiResponses responses = operation.getResponses();
    responses
        .values()
        .forEach(response -> response.addHeaderObject(REQUEST_ID, headerRef(REQUEST_ID)));
    Map<Integer, List<ProblemType>> byStatus = new TreeMap<>();
    for (ProblemType type : errors) {
      byStatus
          .computeIfAbsent(type.status().value(), status -> new java.util.ArrayList<>())
          .add(type);
    }
    byStatus.forEach(
        (status, types) ->
            responses.addApiResponse(Integer.toString(status), problemResponse(types)));
  }

  private static ApiResponse problemResponse(List<ProblemType> types) {
    MediaType media =
        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA));
    StringBuilder description = new StringBuilder("Problem; `type` is one of:");
    for (ProblemType type : types) {
      description.append(" `").append(type.type()).append("` (").append(type.title()).append(')');
      media.addExamples(
          type.slug(), new Example().summary(type.title()).value(OpenApiExamples.problem(type)));
    }
    ApiResponse response =
        new ApiResponse()
            .description(description.toString())
            .content(new Content().addMediaType(PROBLEM_JSON, media));
    response.addHeaderObject(REQUEST_ID, headerRef(REQUEST_ID));
    if (types.stream()
        .anyMatch(type -> type.status().value() == 429 || type.status().value() == 503)) {
      response.addHeaderObject("Retry-After", headerRef("Retry-After"));
    }
    return response;
  }

  private static Header headerRef(String name) {
    return new Header().$ref("#/components/headers/" + name);
  }

  private static Header requestIdHeader() {
    return new Header().description("The request's correlation id").schema(new StringSchema());
  }

  private static Schema<?> problemSchema() {
    StringSchema type = new StringSchema();
    type.format("uri").description("Stable identifier of the kind of error; switch on this");
    Arrays.stream(ProblemType.values())
        .forEach(problem -> type.addEnumItem(problem.type().toString()));
    return new ObjectSchema()
        .description("RFC 9457 problem details")
        .addProperty("type", type)
        .addProperty("title", new StringSchema().description("Fixed per type"))
        .addProperty("status", new IntegerSchema().description("The HTTP status"))
        .addProperty("detail", new StringSchema().description("What went wrong with this request"))
        .addProperty(
            "instance", new StringSchema().format("uri-reference").description("The request path"))
        .addProperty("requestId", new StringSchema().description("The request's correlation id"))
        .required(List.of("type", "title", "status"));
  }
}

package dev.classifier.rest.v1;

import dev.classifier.core.ExplainService;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
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
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Completes the generated OpenAPI document with what springdoc cannot see in the handler signatures
 * (parameters and their bounds it reads from the annotations): both request-body variants of the
 * upload endpoints, the PNG answer of {@code /v1/explain}, summaries and examples; the problem
 * responses come from {@link OpenApiProblems}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiDocumentation {

  private static final String UPLOAD_SCHEMA = "ImageUpload";

  private static final List<ProblemType> CLASSIFY_ERRORS =
      List.of(
          ProblemType.MALFORMED_REQUEST,
          ProblemType.MISSING_IMAGE,
          ProblemType.INVALID_TOP_K,
          ProblemType.TOO_MANY_IMAGES,
          ProblemType.EXPLANATIONS_UNSUPPORTED,
          // With authentication on (dev.classifier.security): before the body is read.
          ProblemType.UNAUTHORIZED,
          ProblemType.FORBIDDEN,
          ProblemType.NOT_ACCEPTABLE,
          ProblemType.UPLOAD_TOO_SLOW,
          ProblemType.PAYLOAD_TOO_LARGE,
          ProblemType.IMAGE_TOO_LARGE,
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          ProblemType.CORRUPT_IMAGE,
          ProblemType.QUEUE_FULL,
          ProblemType.QUOTA_EXCEEDED,
          ProblemType.DEADLINE_EXCEEDED,
          ProblemType.OVERLOADED,
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
          // With authentication on (dev.classifier.security): before the body is read.
          ProblemType.UNAUTHORIZED,
          ProblemType.FORBIDDEN,
          ProblemType.NOT_ACCEPTABLE,
          ProblemType.UPLOAD_TOO_SLOW,
          ProblemType.PAYLOAD_TOO_LARGE,
          ProblemType.IMAGE_TOO_LARGE,
          ProblemType.UNSUPPORTED_MEDIA_TYPE,
          ProblemType.CORRUPT_IMAGE,
          ProblemType.QUEUE_FULL,
          ProblemType.QUOTA_EXCEEDED,
          ProblemType.DEADLINE_EXCEEDED,
          ProblemType.OVERLOADED,
          ProblemType.NOT_READY,
          ProblemType.SHUTTING_DOWN,
          ProblemType.INTERNAL_ERROR);

  private static final List<ProblemType> MODEL_ERRORS =
      List.of(
          ProblemType.UNAUTHORIZED,
          ProblemType.FORBIDDEN,
          ProblemType.NOT_FOUND,
          ProblemType.NOT_ACCEPTABLE,
          ProblemType.QUOTA_EXCEEDED,
          ProblemType.INTERNAL_ERROR);

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
      OpenApiProblems.addComponents(openApi.getComponents());
      openApi.getComponents().addSchemas(UPLOAD_SCHEMA, uploadSchema());
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
        OpenApiProblems.addCommon(
            models.getGet(), List.of(ProblemType.NOT_ACCEPTABLE, ProblemType.INTERNAL_ERROR));
      }
      PathItem model = openApi.getPaths().get("/v1/models/{name}");
      if (model != null && model.getGet() != null) {
        model
            .getGet()
            .tags(List.of("models"))
            .operationId("getModel")
            .summary("Describe the loaded model");
        OpenApiProblems.addCommon(model.getGet(), MODEL_ERRORS);
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
    for (String type : ApiContract.RAW_IMAGE_TYPES) {
      content.addMediaType(type, new MediaType().schema(new BinarySchema()));
    }
    content.addMediaType(
        ApiContract.MULTIPART,
        new MediaType()
            .schema(new Schema<>().$ref("#/components/schemas/" + UPLOAD_SCHEMA))
            .addEncoding(
                ApiContract.IMAGE_PART,
                new Encoding().contentType("image/*, application/octet-stream")));
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
    OpenApiProblems.addCommon(operation, EXPLAIN_ERRORS);
  }

  /** Present only while the result cache is on. */
  private static void addCacheHeaders(ApiResponse response) {
    response.addHeaderObject(
        org.springframework.http.HttpHeaders.ETAG,
        new Header()
            .description(
                "Names the answer by the images' SHA-256, the model and the options; send it back"
                    + " in `If-None-Match`")
            .schema(new StringSchema()));
    response.addHeaderObject(
        org.springframework.http.HttpHeaders.CACHE_CONTROL,
        new Header()
            .description("`private, max-age=` the result cache's time to live, in seconds")
            .schema(new StringSchema()));
  }

  private static void documentClassify(Operation operation) {
    operation
        .tags(List.of("classification"))
        .operationId("classify")
        .summary("Classify one or more images")
        .description(
            "Send the images as multipart parts named `image` (several parts are classified in one call, results"
                + " in upload order), or one image as the raw request body. The declared content type only picks"
                + " the variant: the format is always sniffed from the bytes. With the result cache on"
                + " (`classifier.cache.enabled`) an answer carries an `ETag` and `Cache-Control: private,"
                + " max-age=…`; sending that `ETag` back in `If-None-Match` with the same images and options"
                + " is answered 304 without a body and without running the model.");
    operation.requestBody(new RequestBody().required(true).content(imageBody()));
    ApiResponse ok = operation.getResponses().get("200");
    if (ok != null && ok.getContent() != null) {
      ok.description("One result per image, in upload order");
      ok.getContent()
          .values()
          .forEach(media -> media.addExamples("synthetic-weights", OpenApiExamples.success()));
      addCacheHeaders(ok);
    }
    ApiResponse notModified =
        new ApiResponse()
            .description(
                "Not Modified: `If-None-Match` named this answer's `ETag` (the same images, model and"
                    + " options; only while the result cache is on)");
    addCacheHeaders(notModified);
    operation.getResponses().addApiResponse("304", notModified);
    OpenApiProblems.addCommon(operation, CLASSIFY_ERRORS);
  }
}

package dev.classifier.rest.v1;

import dev.classifier.http.RequestIdFilter;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The error half of the OpenAPI document, generated from {@link ProblemType} so the spec cannot
 * list an error the service does not return: the Problem schema with every documented type, one
 * response per status listing its types with examples, and the correlation and retry headers.
 */
final class OpenApiProblems {

  private static final String PROBLEM_JSON = "application/problem+json";
  private static final String PROBLEM_SCHEMA = "Problem";
  private static final String REQUEST_ID = RequestIdFilter.HEADER;

  private OpenApiProblems() {}

  static void addComponents(Components components) {
    components.addSchemas(PROBLEM_SCHEMA, problemSchema());
    components.addHeaders(REQUEST_ID, requestIdHeader());
    components.addHeaders(
        "Retry-After",
        new Header()
            .description("Seconds after which a retry is likely to succeed")
            .schema(new IntegerSchema()));
  }

  /**
   * The request-id header on the operation and every response, and a problem response per status.
   */
  static void addCommon(Operation operation, List<ProblemType> errors) {
    operation.addParametersItem(
        new Parameter()
            .in("header")
            .name(REQUEST_ID)
            .required(false)
            .description(
                "Correlation id, echoed back when it matches "
                    + RequestIdFilter.REGEX
                    + ", else replaced by a UUID")
            .schema(new StringSchema().pattern("^" + RequestIdFilter.REGEX + "$")));
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
        .filter(ProblemType::documented)
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

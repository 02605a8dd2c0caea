package dev.classifier.testing;

import dev.classifier.client.ApiClient;
import dev.classifier.client.model.Problem;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client openapi-generator makes from the committed {@code api/openapi.yaml} (library
 * restclient, Jackson 3), set up as an integrator would set it up.
 */
public final class GeneratedClients {

  private GeneratedClients() {}

  /**
   * A client of the service on {@code port}. openapi-generator's restclient template sends and
   * receives binary bodies as java.io.File, for which Spring has no message converter: an
   * integrator adds one, as here.
   */
  public static ApiClient client(int port) {
    RestClient rest =
        ApiClient.buildRestClientBuilder(ApiClient.createDefaultMapper(null))
            .configureMessageConverters(converters -> converters.addCustomConverter(new FileBody()))
            .build();
    ApiClient client = new ApiClient(rest);
    client.setBasePath("http://localhost:" + port);
    return client;
  }

  /** The problem body of a refused call, read into the generated model as a client would. */
  public static Problem problem(RestClientResponseException error) {
    return JsonMapper.builder()
        .build()
        .readValue(error.getResponseBodyAsByteArray(), Problem.class);
  }

  /**
   * A binary body as a file: written from one for a request, read into a temporary one for a
   * response (the template types binary responses as File too).
   */
  private static final class FileBody extends AbstractHttpMessageConverter<File> {

    FileBody() {
      super(MediaType.ALL);
    }

    @Override
    protected boolean supports(Class<?> type) {
      return File.class.isAssignableFrom(type);
    }

    @Override
    protected File readInternal(Class<? extends File> type, HttpInputMessage input)
        throws IOException {
      java.nio.file.Path file = Files.createTempFile("generated-client", ".bin");
      file.toFile().deleteOnExit();
      Files.copy(input.getBody(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return file.toFile();
    }

    @Override
    protected void writeInternal(File file, HttpOutputMessage output) throws IOException {
      Files.copy(file.toPath(), output.getBody());
    }
  }
}

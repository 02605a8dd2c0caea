package dev.classifier.grpc;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Open Inference Protocol's gRPC door ({@code classifier.grpc.*}, in the README's configuration
 * table). Its largest inbound message is {@code classifier.max-upload-size}, like an HTTP body.
 *
 * @param enabled false runs no gRPC server at all
 * @param port plaintext HTTP/2 (h2c), 8081 as KServe's custom runtimes expect; 0 picks a free one
 */
@Validated
@ConfigurationProperties("classifier.grpc")
public record GrpcProperties(
    @DefaultValue("true") boolean enabled, @Min(0) @Max(65535) @DefaultValue("8081") int port) {}

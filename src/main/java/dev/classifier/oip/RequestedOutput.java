package dev.classifier.oip;

/**
 * An output the client asked for.
 *
 * @param binary the output's {@code binary_data} parameter, or null when it gave none (then the
 *     request's {@code binary_data_output} decides)
 * @param classification the classification extension's class count, 0 when not asked for
 */
public record RequestedOutput(String name, Boolean binary, int classification) {}

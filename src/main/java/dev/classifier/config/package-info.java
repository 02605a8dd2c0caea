/**
 * Wiring and settings: the validated {@code classifier.*} properties, the beans that build the
 * engine from them, warm-up, readiness and settling. May import image, inference, model, explain
 * and metrics; never core, a door or http.
 */
package dev.classifier.config;
